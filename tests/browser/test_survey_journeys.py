"""A respondent who uses only the keyboard; a researcher reading results and trying the study
in test mode; a Delphi round 2; focus after a failed submit; the check of every page's id
references."""

import re

import pyreadstat
import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from rtwcomp.surveys import responding, studies
from rtwcomp.surveys.models import Invitation, Study, SurveyResponse
from tests.browser import conftest
from tests.browser.conftest import assert_accessible
from tests.conftest import make_researcher

pytestmark = pytest.mark.browser


def tab_to(page, selector, limit=300):
    """Press Tab until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def enter_and_wait(page):
    """Press Enter on a link or button and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def rate_with_keyboard(page, item_pk, value):
    """Tab into the item's radio group, check the first point, arrow to `value`."""
    tab_to(page, f"input[name='item-{item_pk}']")
    page.keyboard.press("Space")
    for _ in range(value - 1):
        page.keyboard.press("ArrowRight")


@pytest.fixture
def keyboard_study(framework_live):
    study = studies.create_study(
        name="Keyboard study",
        framework=framework_live,
        items="8",
        items_per_page=5,
        anonymous=True,
    )
    return studies.open_study(study)


def test_keyboard_only_respondent_saves_resumes_and_finishes(browser, live_server, keyboard_study):
    study = keyboard_study
    items = list(study.items.order_by("position"))
    wanted = {item.pk: (i % 5) + 1 for i, item in enumerate(items)}
    first = browser.new_context(base_url=live_server.url)
    page = first.new_page()
    page.goto(f"/s/{study.slug}/")
    assert_accessible(page)
    tab_to(page, "button[type=submit]:not([name=language])")
    enter_and_wait(page)
    expect(page.get_by_text("Page 1 of 3")).to_be_visible()
    assert_accessible(page)
    for item in items[:5]:
        rate_with_keyboard(page, item.pk, wanted[item.pk])
    tab_to(page, "button[value=next]")
    enter_and_wait(page)
    expect(page.get_by_text("Page 2 of 3")).to_be_visible()
    rate_with_keyboard(page, items[5].pk, wanted[items[5].pk])
    tab_to(page, "button[value=save]")
    enter_and_wait(page)
    code = page.locator("#resume-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert_accessible(page)
    first.close()

    other = browser.new_context(base_url=live_server.url)
    page = other.new_page()
    page.goto(f"/s/{study.slug}/")
    tab_to(page, "a[href$='/resume/']")
    enter_and_wait(page)
    tab_to(page, "#code")
    page.keyboard.type(code)
    enter_and_wait(page)
    expect(page.get_by_text("Page 2 of 3")).to_be_visible()
    expect(
        page.locator(f"input[name='item-{items[5].pk}'][value='{wanted[items[5].pk]}']")
    ).to_be_checked()
    for item in items[6:]:
        rate_with_keyboard(page, item.pk, wanted[item.pk])
    tab_to(page, "button[value=next]")
    enter_and_wait(page)
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    assert_accessible(page)
    tab_to(page, "input[name=q-country]")  # Australia, the first choice
    page.keyboard.press("ArrowDown")  # moves to Canada and checks it
    tab_to(page, "button[value=submit]")
    enter_and_wait(page)
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert_accessible(page)
    other.close()

    response = SurveyResponse.objects.get(study=study)
    assert response.completed and response.attributes["country"] == "CA"
    stored = dict(response.answers.values_list("item_id", "value"))
    assert stored == wanted


def test_researcher_sees_the_response_and_downloads_spss(page, keyboard_study, tmp_path):
    study = keyboard_study
    make_researcher("lead", password="a-long-password-9")
    study.owner = User.objects.get(username="lead")
    study.save()
    response = responding.start(study, language="en")
    items = list(study.items.order_by("position"))
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for item in items:
        data[f"item-{item.pk}"] = "4"
    responding.save_items(response, items, data, 1, finishing=True)
    responding.submit(response, None)

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill("a-long-password-9")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/studies/{study.slug}/")
    expect(page.locator("dd").filter(has_text=re.compile(r"^1$")).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Results").click()
    expect(page.get_by_text("1 completed responses")).to_be_visible()
    assert_accessible(page)
    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="SPSS data file").click()
    path = tmp_path / "study.sav"
    download.value.save_as(path)
    frame, meta = pyreadstat.read_sav(str(path))
    assert len(frame) == 1
    assert [frame.iloc[0][i.competency.code.replace("-", "_")] for i in items] == [4.0] * len(items)


def test_delphi_round_two_shows_round_one_distribution(page, framework_live):
    study = studies.create_study(
        name="Delphi panel",
        framework=framework_live,
        items="RTWC-001,RTWC-002",
        access=Study.Access.INVITATION,
        anonymous=False,
        delphi=True,
    )
    studies.open_study(study)
    from django.http import QueryDict

    items = list(study.items.order_by("position"))
    for i in range(5):
        invitation = Invitation.objects.create(study=study, email=f"p{i}@example.org")
        response = responding.start(study, language="en", invitation=invitation)
        data = QueryDict(mutable=True)
        data[f"item-{items[0].pk}"] = "5"
        data[f"item-{items[1].pk}"] = str(i + 1)
        responding.save_items(response, items, data, 1, finishing=True)
        responding.submit(response, invitation.token)
    studies.start_next_round(study)
    invitation = Invitation.objects.get(email="p3@example.org")
    page.goto(f"/s/{study.slug}/i/{invitation.token}/")
    expect(page.get_by_role("heading", name="Delphi panel")).to_be_visible()  # the introduction
    page.get_by_role("link", name="Start").click()
    expect(page.get_by_text("Your rating in round 1: 4")).to_be_visible()
    expect(page.get_by_text("The panel in round 1 (n = 5)")).to_be_visible()
    assert page.locator(".distribution li").count() == 5
    assert page.locator("fieldset.item").count() == 1
    assert_accessible(page)


def log_in(page, username="lead", password="a-long-password-9"):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_focus_moves_to_the_summary_after_a_failed_submit(page, keyboard_study):
    page.goto(f"/s/{keyboard_study.slug}/")
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Next").click()  # nothing rated: the soft warning
    expect(page.locator("#problems")).to_be_focused()
    expect(page.locator("#problems")).to_have_attribute("role", "alert")
    assert_accessible(page)
    make_researcher("lead", password="a-long-password-9")
    log_in(page, password="not-the-password")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert_accessible(page)


def test_a_researcher_tries_the_draft_in_test_mode(page, framework_live):
    lead = make_researcher("lead", password="a-long-password-9")
    study = studies.create_study(
        name="Draft to try", framework=framework_live, items="3", items_per_page=5, owner=lead
    )
    log_in(page)
    page.goto(f"/studies/{study.slug}/")
    assert_accessible(page)
    page.get_by_role("button", name="Start a test response").click()
    expect(page.get_by_text("Test response: it is kept out of the results")).to_be_visible()
    assert page.locator("nav[aria-label=Main]").count() == 0
    page.get_by_role("link", name="Start").click()
    for item in study.items.all():
        page.locator(f"input[name='item-{item.pk}'][value='4']").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_text("This was a test response")).to_be_visible()
    page.get_by_role("link", name="Back to the study").click()
    expect(page.get_by_text("1 test response")).to_be_visible()
    page.get_by_role("button", name="Delete test responses").click()
    expect(page.get_by_text("1 test response deleted.")).to_be_visible()
    assert not SurveyResponse.objects.filter(study=study).exists()


def test_the_reference_check_catches_an_id_that_does_not_exist(page, live_server):
    html = (
        '<!doctype html><html lang="en"><title>t</title><label for="nowhere">A</label>'
        '<input id="here" aria-describedby="here-help gone"><p id="here-help">help</p></html>'
    )
    page.route("**/dangling/", lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto("/dangling/")
    for _ in range(50):  # the page's report arrives through its binding, between calls
        if len(conftest.DANGLING) >= 2:
            break
        page.evaluate("() => 0")
    found, conftest.DANGLING[:] = list(conftest.DANGLING), []
    assert sorted(found) == [
        '/dangling/: aria-describedby="gone" on <input>',
        '/dangling/: for="nowhere" on <label>',
    ]

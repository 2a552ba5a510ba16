"""Assessments in the browser: a mentor observes a coordinator on a phone, loses the
connection and finds the draft; an outside rater answers once through a private link; the
coordinator sees both ratings side by side; a colleague changing the URL gets 404."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from rtwcomp.assessments import services
from rtwcomp.assessments.models import Organisation, Rating
from rtwcomp.interop.csv_input import text_source
from rtwcomp.interop.people_csv import read_people_csv
from tests.assessments.conftest import PEOPLE
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser
PASSWORD = "x-long-password-0"
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def people(framework_live):
    organisation = Organisation.objects.create(slug="acme", name="Acme", framework=framework_live)
    services.import_people(organisation, read_people_csv(text_source(PEOPLE), "people.csv"))
    found = {}
    for person in organisation.people.all():
        key = person.email.split("@")[0]
        person.user = User.objects.create_user(key, password=PASSWORD)
        person.save()
        found[key] = person
    return found


def log_in(page, username, next_url):
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_observe_on_a_phone_answer_once_and_compare(browser, live_server, people):
    ana = people["ana"]
    first = ana.organisation.framework.groups.first()
    competency = first.competencies.first()

    # A mentor, on a phone, starts an observation and rates one competency.
    mentor = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
    page = mentor.new_page()
    log_in(page, "max", f"/assess/people/{ana.pk}/observe/")
    page.get_by_label("Activity observed").select_option("workplace visit")
    page.get_by_label("Setting").fill("warehouse floor")
    page.get_by_role("button", name="Start the checklist").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("workplace visit")
    assert_accessible(page)
    draft_url = page.url
    level = page.locator(f'input[name="level_{competency.pk}"][value="3"]')
    status = page.locator(".autosave")
    level.check()  # saved as soon as it changes
    expect(status).to_contain_text("Draft saved", timeout=15_000)
    first_save = status.inner_text()
    page.get_by_label("Evidence").first.fill("Calm, clear with the supervisor")
    # ... and what is typed 3 s after the typing stops: the status shows a later time.
    expect(status).not_to_have_text(first_save, timeout=15_000)
    expect(status).to_contain_text("Draft saved")
    # The connection drops: the page cannot be reached; back online, the draft is intact.
    mentor.set_offline(True)
    with pytest.raises(Exception):  # noqa: B017 - the browser's own network error
        page.goto(draft_url, timeout=3_000)
    mentor.set_offline(False)
    page.goto(draft_url)
    expect(page.locator(f'input[name="level_{competency.pk}"][value="3"]')).to_be_checked()
    expect(page.get_by_label("Evidence").first).to_have_value("Calm, clear with the supervisor")
    page.get_by_role("button", name="Submit the observation").click()
    expect(page.locator(".messages")).to_contain_text("1 rating kept.")
    mentor.close()

    # An outside rater answers through a single-use link, and cannot answer again.
    _made, token = services.request_feedback(
        ana, source="outside", rater_name="Wendy Worker", competencies=[competency], user=None
    )
    rater = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
    form = rater.new_page()
    form.goto(f"/assess/f/{token}/")
    expect(form.get_by_role("heading", level=1)).to_have_text("How does Ana Coordinator do?")
    expect(form.get_by_role("navigation", name="Main")).to_have_count(0)
    assert_accessible(form)
    form.locator(f'input[name="level_{competency.pk}"][value="1"]').check()
    form.get_by_role("button", name="Send my ratings").click()
    expect(form.get_by_role("heading", level=1)).to_have_text("Thank you")
    answer_again = form.goto(f"/assess/f/{token}/")
    assert answer_again.status == 410
    rater.close()
    assert sorted(Rating.objects.values_list("source", "level")) == [
        ("observed", 3),
        ("outside", 1),
    ]

    # The coordinator sees both side by side; a colleague who changes the URL gets 404.
    own = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = own.new_page()
    log_in(page, "ana", f"/assess/people/{ana.pk}/")
    row = page.get_by_role("row").filter(has_text=competency.code)
    expect(row).to_contain_text("3.0 (observed)")
    assert re.search(r"\b1\b", row.inner_text())
    assert_accessible(page)
    own.close()
    colleague = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = colleague.new_page()
    log_in(page, "ben", "/assess/")
    assert page.goto(f"/assess/people/{ana.pk}/").status == 404
    colleague.close()

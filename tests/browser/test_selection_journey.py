"""Selection in the browser: an interviewer scores a candidate on her own sheet, sees the
panel's scores only once she has submitted, and the panel compares two candidates."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from rtwcomp.assessments.models import Organisation, Requirement, RoleProfile
from rtwcomp.selection import services
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser
PASSWORD = "x-long-password-0"


@pytest.fixture
def vacancy(framework_live):
    admin = User.objects.create_user("pat", password=PASSWORD)
    admin.groups.add(Group.objects.get_or_create(name="programme-admins")[0])
    organisation = Organisation.objects.create(
        slug="acme", name="Acme", framework=framework_live, owner=admin
    )
    profile = RoleProfile.objects.create(
        organisation=organisation, framework=framework_live, name="New coordinator"
    )
    for competency in framework_live.competencies.filter(ksab_type="attitude")[:2]:
        Requirement.objects.create(profile=profile, competency=competency, level=2)
    guide = services.make_guide(profile, name="Intake", size=3, user=admin)
    panel = [User.objects.create_user(name, password=PASSWORD) for name in ("sue", "ben")]
    found = services.open_vacancy(
        organisation, title="RTW coordinator", guide=guide, panel=panel, user=admin
    )
    carla = services.add_candidate(found, name="Carla Candidate")
    dev = services.add_candidate(found, name="Dev Candidate")
    items = list(guide.items.all())
    ben = panel[1]
    services.save_sheet(carla, ben, {i.pk: (3, "Ben's note on Carla") for i in items}, submit=True)
    services.save_sheet(dev, ben, {i.pk: (1, "") for i in items}, submit=True)
    services.save_sheet(dev, panel[0], {i.pk: (2, "") for i in items}, submit=True)
    return found, carla, items


def log_in(page, username, next_url):
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_an_interviewer_scores_and_the_panel_compares(browser, live_server, vacancy):
    found, carla, items = vacancy
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    log_in(page, "sue", f"/selection/candidates/{carla.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Carla Candidate")
    expect(page.get_by_text("shown once you have submitted yours")).to_be_visible()
    expect(page.get_by_text("Ben's note on Carla")).to_have_count(0)
    assert_accessible(page)
    for n, score in enumerate((4, 3, 2), start=1):
        group = page.get_by_role("group", name=f"Score for question {n}")
        group.get_by_label(str(score), exact=True).check()
    page.get_by_label("Note on question 1").fill("Clear example of persistence")
    page.get_by_role("button", name="Save the scores").click()
    expect(page.locator(".messages")).to_contain_text("Scores saved.")
    expect(
        page.get_by_role("group", name="Score for question 1").get_by_label("4", exact=True)
    ).to_be_checked()
    page.get_by_role("button", name="Submit the sheet").click()
    expect(page.locator(".messages")).to_contain_text("Score sheet submitted.")
    expect(page.get_by_text("Ben's note on Carla")).to_have_count(3)
    assert_accessible(page)

    page.goto(f"/selection/vacancies/{found.pk}/")
    page.get_by_role("link", name="Compare the candidates").click()
    table = page.get_by_role("table").first
    expect(table.get_by_role("columnheader", name="Carla Candidate")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Dev Candidate")).to_be_visible()
    total = table.get_by_role("row").filter(has_text="Weighted total")
    # Carla: Sue 4, 3, 2 and Ben 3, 3, 3, weighted 3, 3, 2 -> (3x3.5 + 3x3 + 2x2.5) / 8
    # Dev: Sue 2s and Ben 1s -> 1.5
    expect(total).to_contain_text("3.1")
    expect(total).to_contain_text("1.5")
    expect(page.get_by_text("Krippendorff's alpha").first).to_be_visible()
    assert_accessible(page)
    context.close()

    outsider = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = outsider.new_page()
    User.objects.create_user("max", password=PASSWORD)
    log_in(page, "max", "/selection/")
    assert page.goto(f"/selection/vacancies/{found.pk}/compare/").status == 404
    outsider.close()

"""Assessments as each role uses them in the browser: a coordinator completes a
self-assessment and sees her gaps; a supervisor sees the team heat map and the trends; the
person page and the self-assessment page in French."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from rtwcomp.assessments import services
from rtwcomp.assessments.models import Rating, Requirement, RoleProfile
from rtwcomp.assessments.rounds import create_round
from tests.browser import test_assessment_journey as journey
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser
people = journey.people  # the fixture: Acme's people, each with a log-in
log_in = journey.log_in


def _context(browser, live_server):
    return browser.new_context(base_url=live_server.url, locale="en-GB")


@pytest.fixture
def lead(people):
    """A role profile requiring level 3 of the first three competencies of the first group."""
    organisation = people["ana"].organisation
    profile = RoleProfile.objects.create(
        organisation=organisation, framework=organisation.framework, name="Lead"
    )
    competencies = list(organisation.framework.groups.first().competencies.all()[:3])
    for competency in competencies:
        Requirement.objects.create(profile=profile, competency=competency, level=3)
    return profile, competencies


def test_a_coordinator_completes_a_self_assessment_and_sees_her_gaps(
    browser,
    live_server,
    people,
    lead,
):
    ana = people["ana"]
    profile, competencies = lead
    context = _context(browser, live_server)
    page = context.new_page()
    log_in(page, "ana", f"/assess/people/{ana.pk}/")
    page.get_by_role("link", name="Assess yourself").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Self-assessment")
    assert_accessible(page)
    for competency, level in zip(competencies, ("1", "2", "3"), strict=True):
        page.locator(f'input[name="level_{competency.pk}"][value="{level}"]').check()
    page.get_by_label("Evidence").first.fill("Planned 40 files this month")
    page.get_by_role("button", name="Keep these ratings").click()
    expect(page.locator(".messages")).to_contain_text("3 ratings kept.")
    page.get_by_label("Compare with the role profile").select_option(str(profile.pk))
    page.get_by_role("button", name="Show").click()
    gaps = page.locator("table[aria-describedby=gaps]")
    first = gaps.get_by_role("row").filter(has_text=competencies[0].code)
    expect(first).to_contain_text("1.0 (self)")
    expect(first).to_contain_text("2.0")  # required 3 minus assessed 1
    expect(gaps.get_by_role("row").nth(1)).to_contain_text(competencies[0].code)  # largest first
    expect(page.locator("#profile-chart")).to_be_visible()
    assert_accessible(page)
    context.close()
    assert Rating.objects.filter(subject=ana, source="self").count() == 3


def test_a_supervisor_sees_the_heat_map_and_the_trends(browser, live_server, people):
    ana, max_ = people["ana"], people["max"]
    organisation = ana.organisation
    create_round(organisation, "Spring", dt.date(2026, 3, 1), dt.date(2026, 5, 31), None)
    create_round(organisation, "Autumn", dt.date(2026, 9, 1), dt.date(2026, 11, 30), None)
    group = organisation.framework.groups.first()
    competency = group.competencies.first()
    for who, level, on in (
        (ana, 1, dt.date(2026, 4, 1)),
        (ana, 3, dt.date(2026, 10, 1)),
        (max_, 2, dt.date(2026, 4, 1)),
        (max_, 4, dt.date(2026, 10, 1)),
    ):
        services.record(who, competency, source="self", instrument="self", level=level,
                        user=None, rated_on=on)  # fmt: skip
    context = _context(browser, live_server)
    page = context.new_page()
    log_in(page, "sue", "/assess/")
    page.get_by_role("link", name="North").click()
    heat = page.locator("table.heat")
    expect(heat.get_by_role("row").filter(has_text="Ana Coordinator")).to_contain_text("3.0")
    expect(heat.get_by_role("row").filter(has_text="Max Mentor")).to_contain_text("4.0")
    expect(page.get_by_role("heading", name="Trends across rounds")).to_be_visible()
    expect(page.get_by_role("img", name="Team North")).to_be_visible()
    trend = page.get_by_role("table").filter(has_text="Autumn")
    # Ana and Max: spring (1 + 2) / 2, autumn (3 + 4) / 2
    expect(trend.get_by_role("row").filter(has_text=group.name[:20])).to_contain_text("1.5")
    expect(trend.get_by_role("row").filter(has_text=group.name[:20])).to_contain_text("3.5")
    assert_accessible(page)
    context.close()


def test_the_person_and_self_assessment_pages_in_french(browser, live_server, people):
    ana = people["ana"]
    competency = ana.organisation.framework.groups.first().competencies.first()
    services.record(ana, competency, source="self", instrument="self", level=2, user=None)
    context = _context(browser, live_server)
    page = context.new_page()
    log_in(page, "ana", f"/assess/people/{ana.pk}/")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Évaluations côte à côte")).to_be_visible()
    french = competency.translated("statement", "fr")
    assert french != competency.statement
    expect(page.get_by_role("row").filter(has_text=competency.code)).to_contain_text(french[:40])
    assert_accessible(page)
    page.get_by_role("link", name="M’autoévaluer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Autoévaluation")
    expect(page.locator("main")).to_contain_text("pas encore")
    expect(page.locator("main")).to_contain_text(french[:40])
    expect(page.get_by_role("button", name="Conserver ces évaluations")).to_be_visible()
    assert_accessible(page)
    context.close()


def test_an_admin_invites_a_coordinator_who_chooses_a_password_and_logs_in(
    browser, live_server, people
):
    import re
    from urllib.parse import urlsplit

    from django.contrib.auth.models import Group, User
    from django.core import mail

    from rtwcomp.assessments.models import Person

    organisation = people["ana"].organisation
    admin = User.objects.create_user("pat", password=journey.PASSWORD)
    admin.groups.add(Group.objects.get_or_create(name="programme-admins")[0])
    organisation.owner = admin
    organisation.save()
    carol = Person.objects.create(
        organisation=organisation, name="Carol New", email="carol@acme.example",
        is_coordinator=True,
    )  # fmt: skip
    context = _context(browser, live_server)
    page = context.new_page()
    log_in(page, "pat", f"/assess/people/{carol.pk}/")
    expect(page.get_by_role("heading", name="Log-in")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send a log-in invitation").click()
    expect(page.locator(".messages")).to_contain_text("sent to carol@acme.example")
    context.close()

    (link,) = re.findall(r"http://\S+/assess/welcome/\S+/", mail.outbox[-1].body)
    newcomer = _context(browser, live_server)
    page = newcomer.new_page()
    page.goto(urlsplit(link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your password")
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("a-long-new-password-7")
    page.get_by_label("New password confirmation").fill("a-long-new-password-7")
    page.get_by_role("button", name="Set the password").click()
    expect(page.locator(".messages")).to_contain_text("Your password is set")
    page.get_by_label("Username").fill("carol@acme.example")
    page.get_by_label("Password").fill("a-long-new-password-7")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/assess/people/{carol.pk}/")
    expect(page.get_by_role("link", name="Assess yourself")).to_be_visible()
    newcomer.close()

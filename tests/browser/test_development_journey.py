"""Development plans in the browser: a coordinator makes a plan pre-filled from her gaps and
she and her mentor agree to it; a disguised executable is refused as evidence; a reminder
e-mail for a due reassessment is sent by background work and its link opens the plan."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from rtwcomp.assessments.models import Rating, Requirement, RoleProfile
from rtwcomp.development.models import Evidence, Plan
from tests.browser.conftest import assert_accessible
from tests.browser.test_assessment_journey import log_in, people  # noqa: F401

pytestmark = pytest.mark.browser
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64 + b"This program cannot be run in DOS mode"


@pytest.fixture
def lead(people):  # noqa: F811
    ana = people["ana"]
    framework = ana.organisation.framework
    profile = RoleProfile.objects.create(
        organisation=ana.organisation, framework=framework, name="Lead"
    )
    for code, level in (("RTWC-001", 3), ("RTWC-003", 2)):
        competency = framework.competencies.get(code=code)
        Requirement.objects.create(profile=profile, competency=competency, level=level)
    attitude = framework.competencies.filter(ksab_type="attitude").first()
    Requirement.objects.create(profile=profile, competency=attitude, level=3)
    Rating.objects.create(
        subject=ana, competency=framework.competencies.get(code="RTWC-001"), source="mentor",
        instrument="feedback", rater=people["max"], level=1, rated_on=dt.date(2026, 3, 1),
    )  # fmt: skip
    return profile


def test_plan_agreed_evidence_refused_and_reminder_link_works(
    browser,
    live_server,
    people,  # noqa: F811
    lead,
    run_jobs,
    settings,  # noqa: F811
):
    settings.SITE_URL = live_server.url
    ana = people["ana"]
    coordinator = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = coordinator.new_page()
    log_in(page, "ana", f"/develop/people/{ana.pk}/new/")
    page.get_by_label("Role profile").select_option(label="Lead")
    page.get_by_role("button", name="Make the draft plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Development plan")
    goals = page.locator("article.goal")
    expect(goals).to_have_count(2)  # the attitude is left out, and said so
    expect(goals.first).to_contain_text("RTWC-001")
    expect(page.get_by_text("Left out, as personal attributes")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Agree as coordinator").click()
    expect(page.locator(".messages")).to_contain_text("Your agreement is recorded.")

    mentor = browser.new_context(base_url=live_server.url, locale="en-GB")
    other = mentor.new_page()
    plan = Plan.objects.get(person=ana)
    log_in(other, "max", f"/develop/plans/{plan.pk}/")
    other.get_by_role("button", name="Agree as mentor or supervisor").click()
    expect(other.locator(".lead")).to_contain_text("agreed")
    expect(other.locator("#workflow").locator("..")).to_contain_text("Agreed as coordinator by ana")
    mentor.close()

    # A program renamed to look like a PDF is refused, with the reason.
    page.reload()
    first = goals.first
    first.get_by_text("Change this goal, add an activity or evidence").click()
    first.get_by_label("Evidence file").set_input_files(
        {"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": EXE}
    )
    first.get_by_role("button", name="Upload").click()
    expect(page.locator(".field-error").first).to_contain_text(
        "certificate.pdf is a program (a Windows executable)"
    )
    assert not Evidence.objects.exists()
    assert_accessible(page)

    # The reassessment is due today: the worker e-mails a reminder whose link opens the plan.
    page.goto(f"/develop/plans/{plan.pk}/")
    page.get_by_label("Reassessment date").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Save the date").click()
    expect(page.locator(".messages")).to_contain_text("Plan saved.")
    assert not mail.outbox  # nothing is sent inside the request
    run_jobs()
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    link = re.search(r"(http://\S+/develop/plans/\d+/)", message.body)[1]
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Development plan: Ana")
    page.goto("/develop/reminders/")
    expect(page.get_by_role("table")).to_contain_text("sent")
    coordinator.close()

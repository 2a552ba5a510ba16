"""Mentoring in the browser: the matching page proposes pairs with their reasons and a
programme admin overrides one, then applies the rest; the mentor logs a meeting and starts
an observation of the mentee from it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from rtwcomp.assessments import services
from rtwcomp.assessments.models import Organisation
from rtwcomp.interop.csv_input import text_source
from rtwcomp.interop.people_csv import read_people_csv
from rtwcomp.mentoring.models import Mentorship
from tests.assessments.conftest import PEOPLE
from tests.browser.conftest import assert_accessible
from tests.browser.test_assessment_journey import PASSWORD, log_in
from tests.mentoring.conftest import add_mentoring

pytestmark = pytest.mark.browser


@pytest.fixture
def acme(framework_live):
    admin = User.objects.create_user("admin", password=PASSWORD)
    admin.groups.add(Group.objects.get_or_create(name="programme-admins")[0])
    organisation = Organisation.objects.create(
        slug="acme", name="Acme", owner=admin, framework=framework_live
    )
    services.import_people(organisation, read_people_csv(text_source(PEOPLE), "people.csv"))
    people, users = {}, {"admin": admin}
    for person in organisation.people.all():
        key = person.email.split("@")[0]
        person.user = User.objects.create_user(key, password=PASSWORD)
        person.save()
        people[key], users[key] = person, person.user
    return add_mentoring(organisation, people, users)


def test_propose_override_apply_then_meet_and_observe(browser, live_server, acme):
    c1, c2 = acme.competencies[:2]

    # The programme admin opens the matching page: two pairs proposed, with their reasons.
    admin = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = admin.new_page()
    log_in(page, "admin", "/mentoring/")
    page.get_by_role("link", name="Acme").click()
    proposal = page.locator("table.proposal")
    ben_row = proposal.get_by_role("row").filter(has_text="Ben Coordinator")
    expect(ben_row).to_contain_text("Max Mentor")
    expect(ben_row).to_contain_text(f"{c1.code} {c1.statement}: need 3.00, mentor at level 4.0")
    expect(proposal.get_by_role("row").filter(has_text="Mia Mentor")).to_contain_text("5.00")
    assert_accessible(page)

    # She overrides one: Ben gets Mia, who works in his office.
    page.get_by_label("Mentee", exact=True).select_option(label="Ben Coordinator")
    page.get_by_label("Mentor", exact=True).select_option(label="Mia Mentor")
    page.get_by_label("Why").fill("Same office.")
    page.get_by_role("button", name="Pair them").click()
    expect(page.locator(".messages")).to_contain_text("Pair made.")
    # The proposal is computed again: only Max is left, and Mia has one place left for him.
    rows = page.locator("table.proposal tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Max Mentor")
    page.get_by_role("button", name="Apply all proposed pairs").click()
    expect(page.locator(".messages")).to_contain_text("1 pair made.")
    expect(page.get_by_text("No pair to propose")).to_be_visible()
    assert_accessible(page)
    admin.close()
    ben_pair = Mentorship.objects.get(mentee=acme.people["ben"], until__isnull=True)
    assert (ben_pair.mentor.name, ben_pair.made_by) == ("Mia Mentor", "override")

    # Mia logs her first meeting with Ben ...
    mentor = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = mentor.new_page()
    log_in(page, "mia", "/mentoring/")
    page.get_by_role("link", name="Ben Coordinator").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mia Mentor mentoring Ben Coordinator"
    )
    page.get_by_label("Competencies discussed").select_option([str(c1.pk), str(c2.pk)])
    page.get_by_label("Notes").fill("Walked through Ben's first case conference.")
    page.get_by_label("Next steps").fill("Mia joins Ben's next workplace visit.")
    page.get_by_role("button", name="Log the meeting").click()
    expect(page.locator(".messages")).to_contain_text("Meeting logged.")
    expect(page.locator("section.meeting")).to_contain_text("Mia joins Ben's next workplace visit.")
    assert_accessible(page)

    # ... and starts an observation from it: the checklist opens at the discussed group.
    page.get_by_label("Activity to observe").select_option("workplace visit")
    page.get_by_role("button", name="Start an observation from this meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ben Coordinator: workplace visit")
    expect(page.locator(f'input[name="level_{c1.pk}"]').first).to_be_visible()
    page.locator(f'input[name="level_{c1.pk}"][value="3"]').check()
    page.get_by_role("button", name="Submit the observation").click()
    expect(page.locator(".messages")).to_contain_text("1 rating kept.")
    mentor.close()

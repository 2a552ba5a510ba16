"""Stage 6 end to end, in English and in French: a coordinator's gaps become a plan that she
and her mentor agree; the programme admin applies the mentor matching; the mentor logs a
meeting serving a goal and observes her from it; she assesses herself again in a later
round; her progress page shows the improvement with the goal reached marked.

Pages are driven through attributes (form actions, field names) where their text may be
translated mid-way; French is asserted only on strings the catalogue translates already."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from playwright.sync_api import expect

from rtwcomp.assessments import services
from rtwcomp.assessments.models import Observation, Organisation, Rating
from rtwcomp.assessments.rounds import create_round
from rtwcomp.development.models import Plan
from rtwcomp.interop.csv_input import text_source
from rtwcomp.interop.people_csv import read_people_csv
from rtwcomp.mentoring.models import Meeting, Mentorship
from tests.assessments.conftest import PEOPLE
from tests.browser.conftest import assert_accessible
from tests.browser.test_assessment_journey import PASSWORD, log_in
from tests.mentoring.conftest import add_mentoring

pytestmark = pytest.mark.browser
EARLIER = (1, 1, 2, 2)  # Ana's first self-assessment of the profile's four competencies
LATER = (3, 3, 3, 3)  # ... and in the later round
# Visible labels that the French catalogue translates already.
FRENCH = {
    "nav": "Évaluations",
    "side_by_side": "Évaluations côte à côte",
    "gaps": "Écarts par rapport au profil",
    "history": "Historique",
    "submit_observation": "Soumettre l’observation",
    "self": "Autoévaluation",
}
ENGLISH = {
    "nav": "Assessments",
    "side_by_side": "Ratings side by side",
    "gaps": "Gaps to the profile",
    "history": "History",
    "submit_observation": "Submit the observation",
    "self": "Self-assessment",
}


@pytest.fixture
def acme(framework_live):
    """Acme with its programme admin, the people file, Mia, the profile and two rounds: Ana
    assessed herself low in the earlier one."""
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
    today = timezone.localdate()
    earlier = today - dt.timedelta(days=200)
    create_round(organisation, "Earlier", earlier - dt.timedelta(days=30), earlier, admin)
    create_round(
        organisation, "Later", earlier + dt.timedelta(days=1), today + dt.timedelta(days=30), admin
    )
    world = add_mentoring(organisation, people, users)
    ana = people["ana"]
    for competency, level in zip(world.competencies, EARLIER, strict=True):
        services.record(
            ana, competency, source="self", instrument="self", level=level,
            user=ana.user, rater=ana, rated_on=earlier,
        )  # fmt: skip
    return world


def enter(browser, live_server, username: str, url: str, language: str):
    """A browser of `username`, logged in at `url`, in `language` chosen with the page's own
    language buttons, as a user does."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    log_in(page, username, url)
    if language == "fr":
        page.get_by_role("button", name="Français").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
    return context, page


def submit(page, action: str) -> None:
    page.locator(f'form[action="{action}"] button[type="submit"]').click()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_gaps_plan_match_meet_observe_reassess_progress(browser, live_server, acme, language):
    words = FRENCH if language == "fr" else ENGLISH
    ana, c1 = acme.people["ana"], acme.competencies[0]
    codes = [c.code for c in acme.competencies]

    # Ana sees her gaps to the profile on her own page ...
    context, page = enter(
        browser, live_server, "ana", f"/assess/people/{ana.pk}/?profile={acme.profile.pk}", language
    )
    nav = page.get_by_role("banner").get_by_role("navigation").first
    expect(nav.get_by_role("link", name=words["nav"])).to_be_visible()
    expect(page.get_by_role("heading", name=words["side_by_side"])).to_be_visible()
    expect(page.locator("#gaps")).to_contain_text(words["gaps"])
    # The row of actions shows no bullets (they sat on the links).
    bullet = page.locator("ul.actions li").first.evaluate(
        "li => getComputedStyle(li).listStyleType"
    )
    assert bullet == "none"
    gaps = page.locator('table[aria-describedby="gaps"]')
    for code in codes:
        expect(gaps).to_contain_text(code)
    assert_accessible(page)

    # ... and makes a plan from them: one goal per gap, most pressing first.
    nav.locator('a[href="/develop/"]').click()
    page.locator(f'a[href="/develop/people/{ana.pk}/new/"]').click()
    page.locator('select[name="profile"]').select_option(str(acme.profile.pk))
    assert_accessible(page)
    page.locator('form button[type="submit"]').last.click()
    goals = page.locator("article.goal")
    expect(goals).to_have_count(4)
    expect(goals.first).to_contain_text(c1.code)  # the widest gap: 3 - 1
    plan = Plan.objects.get(person=ana)
    expect(page.locator("#history")).to_have_text(words["history"])
    assert_accessible(page)

    # Her mentor agrees, then she does: the plan is agreed.
    mentor_context, other = enter(
        browser, live_server, "max", f"/develop/plans/{plan.pk}/", language
    )
    submit(other, f"/develop/plans/{plan.pk}/agree/")
    expect(other.locator("#workflow").locator("..")).to_contain_text("max")
    assert_accessible(other)
    page.reload()
    submit(page, f"/develop/plans/{plan.pk}/agree/")
    expect(page.locator(f'form[action="/develop/plans/{plan.pk}/agree/"]')).to_have_count(0)
    plan.refresh_from_db()
    assert plan.status == "agreed"
    assert sorted(plan.agreements.values_list("party", flat=True)) == ["coordinator", "mentor"]

    # The programme admin runs the mentor matching and applies it.
    admin_context, admin = enter(browser, live_server, "admin", "/mentoring/", language)
    admin.locator('a[href="/mentoring/organisations/acme/"]').click()
    expect(admin.locator("table.proposal tbody tr")).to_have_count(2)
    assert_accessible(admin)
    submit(admin, "/mentoring/organisations/acme/apply/")
    expect(admin.locator(".messages")).to_be_visible()
    assert_accessible(admin)
    admin_context.close()
    open_pairs = Mentorship.objects.filter(until__isnull=True)
    assert sorted((p.mentee.name, p.mentor.name, p.made_by) for p in open_pairs) == [
        ("Ana Coordinator", "Max Mentor", "people_file"),
        ("Ben Coordinator", "Max Mentor", "matching"),
        ("Max Mentor", "Mia Mentor", "matching"),
    ]

    # Max logs a meeting with Ana that serves her first goal ...
    pair = open_pairs.get(mentee=ana)
    other.goto("/mentoring/")
    other.locator(f'a[href="/mentoring/pairs/{pair.pk}/"]').click()
    goal = plan.goals.get(competency=c1)
    other.locator('select[name="meeting-competencies"]').select_option([str(c1.pk)])
    other.locator(f'input[name="meeting-goals"][value="{goal.pk}"]').check()
    other.locator('textarea[name="meeting-notes"]').fill(
        "Went through Ana's first case conference."
    )
    submit(other, f"/mentoring/pairs/{pair.pk}/meetings/")
    expect(other.locator("section.meeting")).to_contain_text(c1.code)
    meeting = Meeting.objects.get(mentorship=pair)
    assert list(meeting.goals.all()) == [goal]
    assert_accessible(other)

    # ... and observes her from it: the checklist has the discussed competency.
    other.locator(f'select[name="activity"]#activity-{meeting.pk}').select_option(index=0)
    submit(other, f"/mentoring/meetings/{meeting.pk}/observe/")
    expect(other.locator(f'input[name="level_{c1.pk}"]').first).to_be_visible()
    assert_accessible(other)
    other.locator(f'input[name="level_{c1.pk}"][value="4"]').check()
    other.get_by_role("button", name=words["submit_observation"]).click()
    expect(other.locator(".messages")).to_be_visible()
    observation = Observation.objects.get(subject=ana)
    assert observation.status == "submitted"
    assert list(meeting.observations.all()) == [observation]
    mentor_context.close()

    # Ana assesses herself again in the later round and marks her first goal reached.
    page.goto(f"/assess/people/{ana.pk}/self/?group={c1.group.key}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(words["self"])
    for competency, level in zip(acme.competencies, LATER, strict=True):
        if competency.group_id == c1.group_id:
            page.locator(f'input[name="level_{competency.pk}"][value="{level}"]').check()
    assert_accessible(page)
    page.locator('main form[method="post"] button[type="submit"]').click()
    expect(page.locator(".messages")).to_be_visible()
    assert Rating.objects.filter(subject=ana, source="self", level=3).exists()
    today = timezone.localdate().isoformat()
    page.goto(f"/develop/plans/{plan.pk}/")
    article = page.locator(f"#goal-{goal.pk}")
    article.locator("summary").click()
    article.locator(f'input[name="g{goal.pk}-done_on"]').fill(today)
    submit(article, f"/develop/goals/{goal.pk}/")
    expect(page.locator(f"#goal-{goal.pk}")).to_contain_text(today)

    # The progress page: her group's level rose from the earlier round to the later one,
    # and the goal reached is marked on the chart and listed.
    page.goto(f"/develop/people/{ana.pk}/progress/")
    group_row = page.locator("table tbody tr").filter(has_text=str(c1.group.name)).first
    cells = group_row.locator("td")
    expect(cells).to_have_count(2)
    before, after = (float(cells.nth(i).inner_text().replace(",", ".")) for i in (0, 1))
    assert before == pytest.approx(sum(EARLIER) / 4)
    assert after > before
    expect(page.locator("main")).to_contain_text(f"{today}: {c1.code}")
    milestone = page.locator('svg[role="img"] line.milestone title')
    expect(milestone).to_have_text(re.compile(rf"^{today} {c1.code}"))
    assert_accessible(page)
    context.close()

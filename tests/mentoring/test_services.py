"""Pairs made, overridden and ended keep `Person.mentors` (read by the assessment rules) in
step; capacities bound the matching; meetings keep what was discussed; an observation
started from a meeting carries its competencies."""

from __future__ import annotations

import datetime as dt

import pytest

from rtwcomp.assessments import services as assessments
from rtwcomp.assessments.models import Round
from rtwcomp.mentoring import selectors, services
from rtwcomp.mentoring.models import Mentorship


def _proposed(mentoring, **basis):
    found = selectors.proposal(
        mentoring.world.organisation, selectors.Basis(mentoring.profile, **basis)
    )
    return [(r["mentee"].name, r["mentor"].name, r["covered"]) for r in found["pairs"]]


def test_the_proposal_covers_the_most_need_with_reasons(mentoring):
    found = selectors.proposal(mentoring.world.organisation, selectors.Basis(mentoring.profile))
    assert [(r["mentee"].name, r["mentor"].name, r["covered"]) for r in found["pairs"]] == [
        ("Ben Coordinator", "Max Mentor", 6.0),
        ("Max Mentor", "Mia Mentor", 5.0),
    ]
    c1, c2, c3, c4 = (c.code for c in mentoring.competencies)
    assert selectors.reason_text(found["pairs"][0]) == (
        f"covers 6.00 of need: {c1} (need 3.00, mentor at 4.0); {c2} (need 3.00, mentor at 4.0)"
    )
    assert [r["competency"].code for r in found["pairs"][1]["reasons"]] == [c3, c4]
    assert found["unmatched"] == []


def test_capacity_bounds_the_proposal_and_is_refused_out_of_range(mentoring):
    organisation = mentoring.world.organisation
    max_ = mentoring.people["max"]
    services.set_capacities(organisation, {max_.pk: 1})  # Ana takes his one place
    assert _proposed(mentoring) == [("Max Mentor", "Mia Mentor", 5.0)]
    with pytest.raises(services.MentoringError, match="0 to 20"):
        services.set_capacities(organisation, {max_.pk: 21})
    with pytest.raises(services.MentoringError, match="mentors"):
        services.set_capacities(organisation, {mentoring.people["ben"].pk: 1})


def test_applying_makes_the_pairs_records_people_file_links_and_links_the_people(mentoring):
    organisation, admin = mentoring.world.organisation, mentoring.world.admin
    people = mentoring.people
    made = services.apply_matching(organisation, selectors.Basis(mentoring.profile), admin)
    assert [(p.mentor.name, p.mentee.name, p.made_by) for p in made] == [
        ("Max Mentor", "Ben Coordinator", "matching"),
        ("Mia Mentor", "Max Mentor", "matching"),
    ]
    assert "covers 6.00 of need" in made[0].reason and made[0].by == admin
    # Ana's mentor came from the people file: now a pair too, so she has a pair page.
    recorded = Mentorship.objects.get(mentee=people["ana"])
    assert (recorded.mentor, recorded.made_by) == (people["max"], "people_file")
    assert set(people["ben"].mentors.all()) == {people["max"]}
    assert set(people["max"].mentors.all()) == {people["mia"]}
    # The assessment rules follow: Mia may now see and observe Max.
    assert mentoring.users["mia"].has_perm("assessments.observe_person", people["max"])
    assert _proposed(mentoring) == []  # nobody left without a mentor
    assert services.apply_matching(organisation, selectors.Basis(mentoring.profile), admin) == []


def test_an_override_ends_the_current_pair_and_respects_capacity(mentoring):
    people, admin = mentoring.people, mentoring.world.admin
    first = services.pair(people["max"], people["ben"], made_by="matching", user=admin)
    chosen = services.override(people["ben"], people["mia"], admin, "Same office.")
    first.refresh_from_db()
    assert first.until == dt.date.today() and chosen.made_by == "override"
    assert chosen.reason == "Same office."
    assert set(people["ben"].mentors.all()) == {people["mia"]}
    assert not mentoring.users["max"].has_perm("assessments.view_person", people["ben"])
    with pytest.raises(services.MentoringError, match="already"):
        services.override(people["ben"], people["mia"], admin)
    services.set_capacities(mentoring.world.organisation, {people["mia"].pk: 1})
    with pytest.raises(services.MentoringError, match="no place left"):
        services.override(people["max"], people["mia"], admin)
    with pytest.raises(services.MentoringError, match="not a mentor"):
        services.override(people["max"], people["ana"], admin)
    with pytest.raises(services.MentoringError, match="themself"):
        services.override(people["max"], people["max"], admin)


def test_ending_a_pair_unlinks_and_closes_its_log(mentoring):
    people = mentoring.people
    pair = services.pair(people["mia"], people["ben"], made_by="override", user=None)
    services.end(pair, None)
    assert not people["ben"].mentors.exists()
    with pytest.raises(services.MentoringError, match="ended already"):
        services.end(pair, None)
    pair.refresh_from_db()
    with pytest.raises(services.MentoringError, match="closed"):
        services.log_meeting(pair, None, held_on=dt.date.today())


def test_a_meeting_keeps_competencies_and_goals_of_the_mentees_plan_only(mentoring):
    from rtwcomp.development.models import Goal, Plan

    people, c = mentoring.people, mentoring.competencies
    pair = services.pair(people["max"], people["ben"], made_by="matching", user=None)
    plan = Plan.objects.create(person=people["ben"], profile=mentoring.profile)
    goal = Goal.objects.create(plan=plan, competency=c[0], target=3)
    other = Goal.objects.create(
        plan=Plan.objects.create(person=people["ana"]), competency=c[0], target=3
    )
    meeting = services.log_meeting(
        pair, None, held_on=dt.date(2026, 11, 20), competencies=c[:2], notes="Went well.",
        next_steps="Visit a workplace together.", goals=[goal],
    )  # fmt: skip
    assert set(meeting.competencies.all()) == set(c[:2]) and list(meeting.goals.all()) == [goal]
    assert list(selectors.meeting_choices(pair)["goals"]) == [goal]
    with pytest.raises(services.MentoringError, match="mentee's own plans"):
        services.log_meeting(pair, None, held_on=dt.date.today(), goals=[other])


def test_an_observation_from_a_meeting_carries_its_competencies_and_submits(mentoring):
    people, c = mentoring.people, mentoring.competencies
    pair = services.pair(people["max"], people["ben"], made_by="matching", user=None)
    meeting = services.log_meeting(pair, None, held_on=dt.date.today(), competencies=c[2:4])
    started = services.observe_from(
        meeting, activity="workplace visit", observed_on=dt.date(2026, 11, 24)
    )
    assert (started.subject, started.observer, started.status) == (
        people["ben"], people["max"], "draft",
    )  # fmt: skip
    assert set(started.marks) == {str(c[2].pk), str(c[3].pk)}
    assert list(meeting.observations.all()) == [started]
    assert services.first_group(meeting) == c[2].group.key
    marks = {str(c[2].pk): {"level": 3, "evidence": "Seen at the visit.", "indicators": {}}}
    assessments.save_draft(started, marks)
    assert assessments.submit_observation(started, mentoring.users["max"]) == 1
    with pytest.raises(services.MentoringError, match="RTW activities"):
        services.observe_from(meeting, activity="golf", observed_on=dt.date.today())


def test_a_round_uses_only_the_ratings_given_up_to_its_end(mentoring):
    organisation, people, c = mentoring.world.organisation, mentoring.people, mentoring.competencies
    autumn = Round.objects.create(
        organisation=organisation, name="Autumn", starts_on="2026-10-01", ends_on="2026-11-15"
    )
    # After the round Ben is rated proficient on c1 by his supervisor: no need there now,
    # but the round still sees his self-assessment of 0.
    assessments.record(
        people["ben"], c[0], source="supervisor", instrument="observation", level=3,
        user=None, rater=people["sue"], rated_on=dt.date(2026, 11, 20),
    )  # fmt: skip
    now = selectors.proposal(organisation, selectors.Basis(mentoring.profile))["pairs"]
    then = selectors.proposal(organisation, selectors.Basis(mentoring.profile, autumn))["pairs"]
    assert [r["covered"] for r in now if r["mentee"] == people["ben"]] == [3.0]
    assert [r["covered"] for r in then if r["mentee"] == people["ben"]] == [6.0]
    early = Round.objects.create(
        organisation=organisation, name="Early", starts_on="2026-01-01", ends_on="2026-02-01"
    )
    assert (
        selectors.proposal(organisation, selectors.Basis(mentoring.profile, early))["pairs"] == []
    )

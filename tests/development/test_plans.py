"""A plan from gaps: goals in priority order without personal attributes, editable goals,
and the route suggested from how the validation study's respondents acquired each
competency."""

from __future__ import annotations

import datetime as dt

import pytest

from rtwcomp.development import selectors, services
from rtwcomp.development.models import Activity, Plan, PlanEvent
from tests.development.helpers import (
    MET,
    SKILL_A,
    SKILL_B,
    attitude,
    competency,
    login,
    study_with_acquired,
)


def test_a_plan_is_prefilled_from_the_gaps_without_personal_attributes(world, plan):
    codes = [g.competency.code for g in plan.goals.select_related("competency")]
    # SKILL_A: required 3, assessed 1 (gap 2); SKILL_B: never assessed (full gap 2);
    # MET is met; the attitude is a selection criterion, not a goal.
    assert codes == [SKILL_A, SKILL_B]
    assert [g.target for g in plan.goals.all()] == [3, 2]
    assert plan.status == Plan.Status.DRAFT
    assert PlanEvent.objects.filter(plan=plan, to_status="draft").count() == 1
    page = login(world, "ana").get(f"/develop/plans/{plan.pk}/")
    assert page.status_code == 200
    assert "Left out, as personal attributes" in page.text
    assert attitude(world).statement in page.text
    assert MET not in [g.competency.code for g in plan.goals.all()]


def test_goals_are_added_reordered_changed_and_removed_on_the_page(world, plan):
    ana = login(world, "ana")
    new = competency(world, MET)
    added = ana.post(
        f"/develop/plans/{plan.pk}/goals/",
        {"new-competency": new.pk, "new-target": "4", "new-due_on": "2027-01-31"},
    )
    assert added.status_code == 302
    goal = plan.goals.get(competency=new)
    assert goal.position == 2 and goal.target == 4 and goal.due_on == dt.date(2027, 1, 31)
    twice = ana.post(
        f"/develop/plans/{plan.pk}/goals/", {"new-competency": new.pk, "new-target": "3"}
    )
    assert twice.status_code == 400 and "already" in twice.text
    assert ana.post(f"/develop/goals/{goal.pk}/move/", {"direction": "up"}).status_code == 302
    assert [g.competency.code for g in plan.goals.all()] == [SKILL_A, MET, SKILL_B]
    changed = ana.post(
        f"/develop/goals/{goal.pk}/",
        {f"g{goal.pk}-target": "2", f"g{goal.pk}-notes": "shadow Max", f"g{goal.pk}-due_on": ""},
    )
    assert changed.status_code == 302
    goal.refresh_from_db()
    assert goal.target == 2 and goal.notes == "shadow Max" and goal.due_on is None
    too_long = ana.post(
        f"/develop/goals/{goal.pk}/", {f"g{goal.pk}-target": "2", f"g{goal.pk}-notes": "x" * 2001}
    )
    assert too_long.status_code == 400 and "at most 2000 characters" in too_long.text
    assert ana.post(f"/develop/goals/{goal.pk}/remove/").status_code == 302
    assert not plan.goals.filter(pk=goal.pk).exists()


def test_a_profile_of_another_organisation_is_refused(world, profile):
    from rtwcomp.assessments.models import Organisation

    other = Organisation.objects.create(slug="other", name="Other", owner=world.admin)
    profile.organisation = other
    profile.save()
    with pytest.raises(services.PlanError, match="another organisation"):
        services.create_plan(world.people["ana"], profile, world.users["ana"])
    assert not Plan.objects.exists()


def test_the_route_is_suggested_from_how_respondents_acquired_it(world, profile, plan):
    study_with_acquired(
        world,
        {
            SKILL_A: ["mentorship", "mentorship", "experience", "training", "personal"],
            SKILL_B: ["personal", "other"],
        },
    )
    profile.study = world.organisation.framework.studies.get()
    profile.save()
    counts = selectors.acquired_counts(profile)
    advice_a = selectors.route_advice(counts[SKILL_A])
    assert advice_a["route"] == Activity.Route.MENTORSHIP and advice_a["n"] == 5
    shares = {s["label"]: s["share"] for s in advice_a["shares"]}
    assert shares["mentorship"] == "40.0%" and shares["formal training"] == "20.0%"
    assert shares["personal attribute"] == "20.0%"
    assert selectors.route_advice(counts[SKILL_B])["route"] is None  # no developable way
    page = login(world, "max").get(f"/develop/plans/{plan.pk}/")
    assert "Suggested route: mentorship, from how 5 respondents" in page.text
    assert "No route suggested: 2 respondents" in page.text


def test_without_a_study_that_asked_the_page_says_no_study_data(world, profile, plan):
    study_with_acquired(world, {SKILL_A: ["training"]})
    study = world.organisation.framework.studies.get()
    study.ask_acquired = False
    study.save()
    profile.study = study
    profile.save()
    assert selectors.acquired_counts(profile) is None
    page = login(world, "ana").get(f"/develop/plans/{plan.pk}/")
    assert "no study data" in page.text


def test_activities_are_added_by_route_and_marked_done(world, plan):
    goal = plan.goals.first()
    ana = login(world, "ana")
    made = ana.post(
        f"/develop/goals/{goal.pk}/activities/",
        {f"a{goal.pk}-route": "training", f"a{goal.pk}-description": "Law course",
         f"a{goal.pk}-due_on": "2027-02-01"},
    )  # fmt: skip
    assert made.status_code == 302
    activity = goal.activities.get()
    assert activity.route == "training" and activity.due_on == dt.date(2027, 2, 1)
    bad = ana.post(
        f"/develop/goals/{goal.pk}/activities/",
        {f"a{goal.pk}-route": "magic", f"a{goal.pk}-description": "x"},
    )
    assert bad.status_code == 400
    assert ana.post(f"/develop/activities/{activity.pk}/done/").status_code == 302
    activity.refresh_from_db()
    assert activity.done_on is not None


def test_the_maintenance_log_is_kept_and_listed(world, plan):
    ana = login(world, "ana")
    target = competency(world, MET)
    logged = ana.post(
        f"/develop/plans/{plan.pk}/maintenance/",
        {"cpd-competency": target.pk, "cpd-done_on": "2026-11-02", "cpd-kind": "reading",
         "cpd-note": "Read the new policy"},
    )  # fmt: skip
    assert logged.status_code == 302
    entry = world.people["ana"].maintenance.get()
    assert entry.kind == "reading" and entry.done_on == dt.date(2026, 11, 2)
    page = ana.get(f"/develop/plans/{plan.pk}/")
    assert "Read the new policy" in page.text and "reading and self-study" in page.text
    wrong = ana.post(
        f"/develop/plans/{plan.pk}/maintenance/",
        {"cpd-competency": target.pk, "cpd-done_on": "2026-11-02", "cpd-kind": "dreaming"},
    )
    assert wrong.status_code == 400


def test_study_answers_are_labelled_in_the_pages_language(world, profile):
    from collections import Counter

    from django.utils import translation

    with translation.override("fr"):
        advice = selectors.route_advice(Counter({"mentorship": 3, "training": 1}))
        kinds = dict(selectors.maintenance_kinds())
    assert {s["label"] for s in advice["shares"]} >= {"mentorat", "formation formelle"}
    assert kinds["reading"] == "lecture et autoformation"
    assert advice["route"] == Activity.Route.MENTORSHIP

"""The development API: plans with goals and activities, and activities, for those who
may see the person."""

from __future__ import annotations

import datetime as dt

from rtwcomp.development import services
from tests.development.helpers import SKILL_A, login


def test_plans_and_activities_through_the_api(world, plan):
    goal = plan.goals.get(competency__code=SKILL_A)
    services.add_activity(goal, route="training", description="Course", due_on=dt.date(2027, 1, 5))
    done = services.add_activity(goal, route="self_study", description="Read", due_on=None)
    services.complete_activity(done, dt.date(2026, 11, 1))
    services.agree(plan, world.users["ana"])
    max_ = login(world, "max")
    listed = max_.get("/api/v1/development/plans").json()
    assert [p["id"] for p in listed] == [plan.pk] and listed[0]["status"] == "draft"
    detail = max_.get(f"/api/v1/development/plans/{plan.pk}").json()
    assert [g["competency"] for g in detail["goals"]][0] == SKILL_A
    first = detail["goals"][0]
    assert [a["route"] for a in first["activities"]] == ["training", "self_study"]
    assert detail["agreements"][0]["party"] == "coordinator"
    open_only = max_.get("/api/v1/development/activities?open_only=true").json()
    assert [a["description"] for a in open_only] == ["Course"]
    assert len(max_.get("/api/v1/development/activities").json()) == 2
    ben = login(world, "ben")
    assert ben.get("/api/v1/development/plans").json() == []
    assert ben.get("/api/v1/development/activities").json() == []
    assert ben.get(f"/api/v1/development/plans/{plan.pk}").status_code == 404
    assert ben.get("/api/v1/development/plans/99999999999999999999").status_code in (404, 422)

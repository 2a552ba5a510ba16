"""Development plans and their activities, for whoever may see the person's records (the
coordinator, their mentor, their team's supervisors, their organisation's admins)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router, Schema

from rtwcomp import permissions
from rtwcomp.api.auth import signed_in
from rtwcomp.api.errors import INVALID, NOT_FOUND, UNAUTHORIZED
from rtwcomp.development import selectors
from rtwcomp.development.models import BY_DUE_DATE, Activity, Plan

router = Router(tags=["development"], auth=signed_in)


class PlanOut(Schema):
    id: int
    person: int
    person_name: str
    profile: str | None
    status: str
    reassess_on: dt.date | None
    created_at: dt.datetime


class ActivityOut(Schema):
    id: int
    plan: int
    goal: int
    competency: str
    route: str
    description: str
    due_on: dt.date | None
    done_on: dt.date | None


class GoalOut(Schema):
    id: int
    competency: str
    target: int
    position: int
    due_on: dt.date | None
    done_on: dt.date | None
    notes: str
    activities: list[ActivityOut]


class AgreementOut(Schema):
    party: str
    user: str | None
    agreed_at: dt.datetime


class PlanDetail(PlanOut):
    goals: list[GoalOut]
    agreements: list[AgreementOut]


def _plan_out(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "person": plan.person_id,
        "person_name": plan.person.name,
        "profile": plan.profile.name if plan.profile else None,
        "status": plan.status,
        "reassess_on": plan.reassess_on,
        "created_at": plan.created_at,
    }


def _activity_out(activity: Activity, plan_id: int, code: str) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "plan": plan_id,
        "goal": activity.goal_id,
        "competency": code,
        "route": activity.route,
        "description": activity.description,
        "due_on": activity.due_on,
        "done_on": activity.done_on,
    }


@router.get("/plans", response={200: list[PlanOut], **UNAUTHORIZED})
def list_plans(request: HttpRequest) -> list[dict[str, Any]]:
    """The plans this user may see."""
    return [_plan_out(p) for p in selectors.plans(request.user)]


@router.get("/plans/{plan_id}", response={200: PlanDetail, **UNAUTHORIZED, **NOT_FOUND, **INVALID})
def get_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    """A plan with its goals (in order), their activities and the agreements given."""
    plan = selectors.plan_or_404(request.user, plan_id)
    activities = Prefetch("activities", queryset=Activity.objects.order_by(*BY_DUE_DATE))
    goals = plan.goals.select_related("competency").prefetch_related(activities)
    return {
        **_plan_out(plan),
        "goals": [
            {
                "id": g.pk, "competency": g.competency.code, "target": g.target,
                "position": g.position, "due_on": g.due_on, "done_on": g.done_on,
                "notes": g.notes,
                "activities": [_activity_out(a, plan.pk, g.competency.code)
                               for a in g.activities.all()],
            }
            for g in goals
        ],
        "agreements": [
            {"party": a.party, "user": a.user.get_username() if a.user else None,
             "agreed_at": a.agreed_at}
            for a in plan.agreements.select_related("user")
        ],
    }  # fmt: skip


@router.get("/activities", response={200: list[ActivityOut], **UNAUTHORIZED, **INVALID})
def list_activities(request: HttpRequest, open_only: bool = False) -> list[dict[str, Any]]:
    """The activities of every plan this user may see, soonest due first; `open_only`
    leaves out those done."""
    plans = permissions.plans_for(request.user, Plan.objects.all())
    found = Activity.objects.filter(goal__plan__in=plans).select_related("goal__competency")
    if open_only:
        found = found.filter(done_on__isnull=True)
    found = found.order_by(*BY_DUE_DATE)
    return [_activity_out(a, a.goal.plan_id, a.goal.competency.code) for a in found]

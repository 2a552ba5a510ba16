"""The rules and writes of development plans: a plan from gaps, its goals and activities,
agreement and the workflow, evidence, and the maintenance (CPD) log.

A refusal is a `PlanError` whose message is translated, shown on the form or as a message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from rtwcomp import permissions
from rtwcomp.assessments import selectors as assessments
from rtwcomp.assessments.models import Person, RoleProfile
from rtwcomp.development import filetypes, reminders
from rtwcomp.development.models import (
    Activity,
    Agreement,
    Evidence,
    Goal,
    MaintenanceEntry,
    Plan,
    PlanEvent,
)
from rtwcomp.frameworks.models import Competency

Status = Plan.Status
# The moves the workflow allows; "agreed" is reached only by both parties agreeing.
MOVES = {
    Status.AGREED: {Status.IN_PROGRESS, Status.DRAFT},
    Status.IN_PROGRESS: {Status.DONE},
    Status.DONE: {Status.IN_PROGRESS},
}


class PlanError(Exception):
    """A refused change to a plan; the message says why, translated."""


@transaction.atomic
def create_plan(person: Person, profile: RoleProfile | None, user: Any) -> Plan:
    """A draft plan with one goal per gap to `profile` (most pressing first), leaving out
    personal attributes: those are selected for, not trained (the 2010 study)."""
    if profile is not None and profile.organisation_id != person.organisation_id:
        raise PlanError(_("That role profile belongs to another organisation."))
    plan = Plan.objects.create(person=person, profile=profile, created_by=user)
    PlanEvent.objects.create(plan=plan, to_status=Status.DRAFT, user=user)
    rows = assessments.gap_rows(person, profile) if profile else []
    trainable = [r for r in rows if not r["gap"].personal_attribute and _open(r["gap"])]
    Goal.objects.bulk_create(
        Goal(plan=plan, competency=r["competency"], target=r["gap"].required, position=i)
        for i, r in enumerate(trainable)
    )
    return plan


def _open(gap: Any) -> bool:
    """A gap still to close: never assessed, or assessed below the required level."""
    return gap.gap is None or gap.gap > 0


def left_out(person: Person, profile: RoleProfile | None) -> list[Any]:
    """The personal-attribute gaps a plan leaves out, with their competencies."""
    rows = assessments.gap_rows(person, profile) if profile else []
    return [r for r in rows if r["gap"].personal_attribute and _open(r["gap"])]


def _editable(plan: Plan) -> None:
    if plan.status == Status.DONE:
        raise PlanError(_("This plan is done: move it back to “in progress” to change it."))


def update_plan(plan: Plan, *, reassess_on: dt.date | None) -> Plan:
    _editable(plan)
    plan.reassess_on = reassess_on
    plan.save(update_fields=["reassess_on"])
    reminders.schedule(plan)
    return plan


def add_goal(plan: Plan, competency: Competency, target: int, due_on: dt.date | None) -> Goal:
    _editable(plan)
    framework = plan.person.organisation.framework_id
    if competency.framework_id != framework:
        raise PlanError(_("Choose a competency of the organisation's framework."))
    if plan.goals.filter(competency=competency).exists():
        raise PlanError(_("This plan has a goal for that competency already."))
    last = plan.goals.aggregate(last=Max("position"))["last"]
    return Goal.objects.create(
        plan=plan, competency=competency, target=target, due_on=due_on,
        position=0 if last is None else last + 1,
    )  # fmt: skip


def update_goal(goal: Goal, **fields: Any) -> Goal:
    """Change a goal's target, due date, notes or done date."""
    _editable(goal.plan)
    for name, value in fields.items():
        setattr(goal, name, value)
    goal.save(update_fields=list(fields))
    return goal


def remove_goal(goal: Goal) -> None:
    _editable(goal.plan)
    goal.delete()


@transaction.atomic
def move_goal(goal: Goal, step: int) -> None:
    """Swap a goal with its neighbour above (step -1) or below (+1); renumbers the plan."""
    _editable(goal.plan)
    goals = list(goal.plan.goals.select_for_update().order_by("position", "pk"))
    at = goals.index(goal)
    other = at + step
    if 0 <= other < len(goals):
        goals[at], goals[other] = goals[other], goals[at]
    for position, each in enumerate(goals):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])


def add_activity(goal: Goal, **fields: Any) -> Activity:
    _editable(goal.plan)
    activity = Activity.objects.create(goal=goal, **fields)
    reminders.schedule(goal.plan)
    return activity


def complete_activity(activity: Activity, on: dt.date | None = None) -> Activity:
    _editable(activity.goal.plan)
    activity.done_on = on or timezone.localdate()
    activity.save(update_fields=["done_on"])
    reminders.schedule(activity.goal.plan)
    return activity


@transaction.atomic
def agree(plan: Plan, user: Any) -> Agreement:
    """Record `user`'s agreement, as coordinator or as mentor or supervisor; the second
    party's agreement makes the plan "agreed"."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Status.DRAFT:
        raise PlanError(_("Only a draft plan is agreed to."))
    party = permissions.agreeing_party(user, plan)
    if party is None:
        raise PlanError(_("Only the coordinator and their mentor or supervisor agree to a plan."))
    if plan.agreements.filter(party=party).exists():
        raise PlanError(_("You have agreed to this plan already."))
    agreement = Agreement.objects.create(plan=plan, party=party, user=user)
    if plan.agreements.count() == len(Agreement.Party.choices):
        _record_move(plan, Status.AGREED, user)
    return agreement


@transaction.atomic
def move(plan: Plan, to: str, user: Any) -> Plan:
    """Move the plan along the workflow, kept as an event. Back to draft clears the
    agreements (the changed plan must be agreed again)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if to not in MOVES.get(plan.status, set()):
        raise PlanError(
            _("A plan cannot move from “%(old)s” to “%(new)s”.")
            % {"old": plan.get_status_display(), "new": Status(to).label}
            if to in Status.values
            else _("Unknown status.")
        )
    if to == Status.DRAFT:
        plan.agreements.all().delete()
    _record_move(plan, to, user)
    return plan


def _record_move(plan: Plan, to: str, user: Any) -> None:
    PlanEvent.objects.create(plan=plan, from_status=plan.status, to_status=to, user=user)
    plan.status = to
    plan.save(update_fields=["status"])


def evidence_limit() -> int:
    return int(getattr(settings, "RTWCOMP_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


REFUSALS = {
    "executable": lambda name: (
        _(
            "%(name)s is a program (a Windows executable), whatever its name says: evidence must "
            "be a PDF, an image (PNG, JPEG), plain text, or a Word or Excel document."
        )
        % {"name": name}
    ),
    "archive": lambda name: (
        _(
            "%(name)s is a zip archive but not a Word or Excel document: evidence must be a "
            "PDF, an image (PNG, JPEG), plain text, or a Word or Excel document."
        )
        % {"name": name}
    ),
    "unknown": lambda name: (
        _(
            "%(name)s is not a PDF, an image (PNG, JPEG), plain UTF-8 text, or a Word or Excel "
            "document, judging by its content."
        )
        % {"name": name}
    ),
}


def attach(goal: Goal, upload: Any, user: Any, activity: Activity | None = None) -> Evidence:
    """Keep an upload as evidence of `goal`, after checking its size (before reading it)
    and its type (from its bytes)."""
    name = str(upload.name)[:200]
    limit = evidence_limit()
    if upload.size > limit:
        raise PlanError(
            _("%(name)s is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if activity is not None and activity.goal_id != goal.pk:
        raise PlanError(_("That activity belongs to another goal."))
    content = upload.read()
    try:
        kind = filetypes.detect(content)
    except filetypes.Refused as refused:
        raise PlanError(REFUSALS[str(refused)](name)) from refused
    return Evidence.objects.create(
        goal=goal, activity=activity, name=name, content_type=kind, size=len(content),
        content=content, uploaded_by=user,
    )  # fmt: skip


def log_maintenance(person: Person, user: Any, **fields: Any) -> MaintenanceEntry:
    framework = person.organisation.framework_id
    if fields["competency"].framework_id != framework:
        raise PlanError(_("Choose a competency of the organisation's framework."))
    return MaintenanceEntry.objects.create(person=person, recorded_by=user, **fields)

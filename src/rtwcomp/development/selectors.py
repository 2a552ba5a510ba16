"""Reads that shape development plans for pages and the API."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rtwcomp import permissions
from rtwcomp.assessments.models import RoleProfile
from rtwcomp.assessments.selectors import known_id
from rtwcomp.development import services
from rtwcomp.development.models import BY_DUE_DATE, Activity, Evidence, Goal, Plan, Reminder
from rtwcomp.reports import format as fmt
from rtwcomp.reports.profile_report import PlanSection
from rtwcomp.surveys.models import ACQUIRED_CHOICES, MAINTAINED_CHOICES, Answer, SurveyResponse

# How respondents said they acquired a competency -> the route a plan would use for it.
# Personal attributes are selected for, not developed; "other" names no route.
ROUTE_OF_ACQUIRED = {
    "training": Activity.Route.TRAINING,
    "experience": Activity.Route.ON_THE_JOB,
    "mentorship": Activity.Route.MENTORSHIP,
}


def plans(user: Any) -> Any:
    """The plans `user` may see, newest first within each person."""
    found = permissions.plans_for(user, Plan.objects.select_related("person", "profile"))
    return found.annotate(goal_count=Count("goals"))


def plan_or_404(user: Any, pk: int, perm: str = "development.view_plan") -> Plan:
    found = (
        permissions.plans_for(user, Plan.objects.select_related("person__organisation", "profile"))
        .filter(pk=known_id(pk))
        .first()
    )
    if found is None or not user.has_perm(perm, found):
        raise Http404("Not found")
    return found


def goal_or_404(user: Any, pk: int) -> Goal:
    """A goal of a plan `user` may change; 404 otherwise."""
    found = Goal.objects.select_related("plan__person").filter(pk=known_id(pk)).first()
    if found is None or not user.has_perm("development.change_plan", found.plan):
        raise Http404("Not found")
    return found


def activity_or_404(user: Any, pk: int) -> Activity:
    found = Activity.objects.select_related("goal__plan__person").filter(pk=known_id(pk)).first()
    if found is None or not user.has_perm("development.change_plan", found.goal.plan):
        raise Http404("Not found")
    return found


def evidence_or_404(user: Any, pk: int) -> Evidence:
    """An evidence file of a plan `user` may see; 404 otherwise (as for one that is not)."""
    found = Evidence.objects.select_related("goal__plan__person").filter(pk=known_id(pk)).first()
    if found is None or not user.has_perm("development.view_plan", found.goal.plan):
        raise Http404("Not found")
    return found


def reminder_or_404(user: Any, pk: int) -> Reminder:
    found = Reminder.objects.select_related("person").filter(pk=known_id(pk)).first()
    if found is None or not permissions.may_stop_reminder(user, found):
        raise Http404("Not found")
    return found


def profiles_of(person: Any) -> Any:
    return RoleProfile.objects.filter(organisation=person.organisation_id)


def acquired_counts(profile: RoleProfile | None) -> dict[str, Counter[str]] | None:
    """Competency code -> how many respondents of the profile's validation study said they
    acquired it each way; None when there is no study or it did not ask."""
    study = profile.study if profile is not None and profile.study_id else None
    if study is None or not study.ask_acquired:
        return None
    answers = (
        Answer.objects.filter(response__in=SurveyResponse.objects.completed().filter(study=study))
        .exclude(acquired="")
        .values_list("item__competency__code", "acquired")
        .annotate(n=Count("pk"))
    )
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for code, acquired, n in answers:
        counts[code][acquired] += n
    return counts


def route_advice(counts: Counter[str] | None) -> dict[str, Any] | None:
    """The share of respondents per way of acquiring, and the route suggested: the
    developable way (training, experience, mentorship) most of them named."""
    if not counts:
        return None
    total = sum(counts.values())
    french = (translation.get_language() or "en").startswith("fr")
    shares = [
        {"label": fr if french else en, "share": fmt.percent(counts[value] / total),
         "n": counts[value]}
        for value, en, fr in ACQUIRED_CHOICES
    ]  # fmt: skip
    developable = {v: counts[v] for v in ROUTE_OF_ACQUIRED if counts[v]}
    best = max(developable, key=lambda v: (developable[v], v)) if developable else None
    route = ROUTE_OF_ACQUIRED[best] if best else None
    return {"shares": shares, "n": total, "route": route, "route_label": route and route.label}


def plan_page(plan: Plan, user: Any) -> dict[str, Any]:
    """Everything a plan's page shows."""
    counts = acquired_counts(plan.profile)
    goals = list(
        plan.goals.select_related("competency").prefetch_related(
            Prefetch("activities", queryset=Activity.objects.order_by(*BY_DUE_DATE)),
            Prefetch("evidence", queryset=Evidence.objects.defer("content")),
        )
    )
    for goal in goals:
        goal.advice = None if counts is None else route_advice(counts.get(goal.competency.code))
    person = plan.person
    return {
        "plan": plan,
        "person": person,
        "goals": goals,
        "study_asked": counts is not None,
        "left_out": services.left_out(person, plan.profile),
        "agreements": plan.agreements.select_related("user"),
        "events": plan.events.select_related("user"),
        "maintenance": _with_kind_labels(
            person.maintenance.select_related("competency", "recorded_by")
        ),
        "reminders": plan.reminders.filter(person=person),
        "party": permissions.agreeing_party(user, plan),
        "may_change": user.has_perm("development.change_plan", plan),
        "limit": services.evidence_limit(),
    }


def current_plan(person: Any) -> Plan | None:
    """The person's newest plan not yet done, else their newest plan."""
    found = person.plans.exclude(status=Plan.Status.DONE).order_by("-created_at").first()
    return found or person.plans.order_by("-created_at").first()


def plan_report_section(person: Any) -> PlanSection | None:
    """The profile report's section on the person's current plan and how far it has got
    (registered with `assessments.report_data.PLAN_SECTIONS`); None without a plan."""
    plan = current_plan(person)
    if plan is None:
        return None
    goals = list(plan.goals.select_related("competency").prefetch_related("activities"))
    reached = sum(goal.done_on is not None for goal in goals)
    summary = ngettext(
        "%(done)d of %(n)d goal reached", "%(done)d of %(n)d goals reached", len(goals)
    ) % {"done": reached, "n": len(goals)}
    facts = [
        (_("Role profile"), plan.profile.name if plan.profile else "–"),
        (_("Reassessment date"), _iso(plan.reassess_on)),
        (_("Made"), plan.created_at.date().isoformat()),
    ]
    return PlanSection(
        status=str(plan.get_status_display()),
        summary=summary,
        facts=facts,
        goals=[_goal_row(goal) for goal in goals],
        labels=_plan_labels(),
    )


def _iso(day: Any) -> str:
    return day.isoformat() if day else "–"


def _goal_row(goal: Goal) -> dict[str, str]:
    activities = list(goal.activities.all())
    done = sum(a.done_on is not None for a in activities)
    return {
        "code": goal.competency.code,
        "statement": goal.competency.translated("statement"),
        "target": str(goal.get_target_display()),
        "due": _iso(goal.due_on),
        "done": _iso(goal.done_on),
        "activities": _("%(done)d of %(n)d done") % {"done": done, "n": len(activities)}
        if activities
        else _("none yet"),
    }


def _plan_labels() -> dict[str, str]:
    return {
        "title": _("Development plan"),
        "status": _("Status"),
        "progress": _("Progress"),
        "goals": _("Goals, in the plan's order"),
        "goal": _("Goal"),
        "target": _("Target level"),
        "due": _("Due"),
        "done": _("Reached on"),
        "activities": _("Activities"),
        "no_goals": _("No goals yet."),
    }


def my_reminders(user: Any) -> Any:
    """The reminders addressed to `user` (through their person records), soonest first."""
    if not user.is_authenticated:
        return Reminder.objects.none()
    return Reminder.objects.filter(person__user=user.pk).select_related("plan", "person")


def in_language(choices: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """The survey's (value, English, French) choices as (value, label) in the language of
    the page."""
    french = (translation.get_language() or "en").startswith("fr")
    return [(value, fr if french else en) for value, en, fr in choices]


def maintenance_kinds() -> list[tuple[str, str]]:
    return in_language(MAINTAINED_CHOICES)


def _with_kind_labels(entries: Any) -> list[Any]:
    labels = dict(maintenance_kinds())
    found = list(entries)
    for entry in found:
        entry.kind_label = labels.get(entry.kind, entry.kind)
    return found

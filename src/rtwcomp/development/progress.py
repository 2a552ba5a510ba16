"""Progress over assessment rounds: a coordinator's mean level per group in each round (the
assessments app's trends), with their plans' milestones; and, for a programme, the share
of coordinators meeting their role profile per group.

Meeting a profile is judged on where a coordinator stood at the end of each round: the
combining rule of `assessments.gaps` over each rater's latest current rating dated on or
before the round's last day, so a requirement met in an earlier round still counts when a
later round did not assess it again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from rtwcomp.assessments import gaps as gap_rules
from rtwcomp.assessments import selectors as assessments
from rtwcomp.assessments.models import Organisation, Person, Rating, Requirement
from rtwcomp.development.models import Goal, Plan
from rtwcomp.reports import assessment_charts as charts
from rtwcomp.reports import format as fmt

Latest = dict[int, dict[str, list[int]]]


def standing(ratings: list[tuple[int, int, str, int, int, dt.date]], day: dt.date) -> dict:
    """Person id -> `Latest` (competency -> source -> each rater's latest level, oldest
    first) from `ratings` (person, competency, source, rater key, level, date), given in
    time order, counting those dated on or before `day`."""
    latest: dict[tuple, tuple[int, int]] = {}
    for order, (person, competency, source, rater, level, rated_on) in enumerate(ratings):
        if rated_on <= day:
            latest[(person, competency, source, rater)] = (order, level)
    shaped: dict[int, Latest] = {}
    for (person, competency, source, _rater), (_order, level) in sorted(
        latest.items(), key=lambda item: item[1][0]
    ):
        shaped.setdefault(person, {}).setdefault(competency, {}).setdefault(source, []).append(
            level
        )
    return shaped


def _ratings(people: list[Person]) -> list[tuple[int, int, str, int, int, dt.date]]:
    rows = (
        Rating.objects.current()
        .filter(subject__in=people)
        .order_by("rated_on", "recorded_at", "pk")
        .values_list("subject_id", "competency_id", "source", "rater_id", "pk", "level", "rated_on")
    )
    return [(s, c, src, r if r is not None else -pk, lv, d) for s, c, src, r, pk, lv, d in rows]


def trajectory(person: Person) -> dict[str, Any]:
    """Per group, the person's mean assessed level in each round (`assessments.selectors.
    trends`: a round's level uses that round's ratings), with the goals their plans marked
    reached (milestones), as a chart and as a table."""
    organisation = person.organisation
    found = assessments.trends(organisation, [person])
    rounds = found["rounds"]
    rows = [(row["group"].translated("name"), row["values"]) for row in found["rows"]]
    milestones = _milestones(person, rounds)
    chart = charts.trend_chart(
        "trajectory",
        [r.name for r in rounds],
        [charts.Series(label, values) for label, values in rows],
        organisation.top_level,
        _("Assessed level per group over rounds"),
        _(
            "One line per group: the mean assessed level in each assessment round, "
            "from left to right, with a dashed vertical line for each goal reached in a "
            "development plan; the table that follows holds the same numbers."
        ),
        milestones=[charts.Milestone(m["position"], m["text"]) for m in milestones],
        milestone_label=_("goal reached (plan milestone)"),
    )
    return {
        "person": person,
        "rounds": rounds,
        "rows": [{"label": label, "cells": [_cell(v) for v in values]} for label, values in rows],
        "chart": chart,
        "milestones": milestones,
        "top": organisation.top_level,
    }


def position_between(day: dt.date, ends: Sequence[dt.date]) -> float:
    """Where `day` falls among the rounds' last days, as a fractional round index (0 = the
    first round): a goal reached half way from one round's end to the next's lies at +0.5;
    before the first round's end it lies on the first round, after the last on the last."""
    if not ends or day <= ends[0]:
        return 0.0
    for index in range(1, len(ends)):
        if day <= ends[index]:
            before, after = ends[index - 1], ends[index]
            return index - 1 + (day - before).days / max((after - before).days, 1)
    return float(len(ends) - 1)


def _milestones(person: Person, rounds: list[Any]) -> list[dict[str, Any]]:
    goals = Goal.objects.filter(plan__person=person, done_on__isnull=False).select_related(
        "competency"
    )
    ends = [r.ends_on for r in rounds]
    found = []
    for goal in goals.order_by("done_on", "pk"):
        label = f"{goal.competency.code} {goal.competency.translated('statement')}"
        found.append(
            {
                "date": goal.done_on,
                "label": label,
                "text": f"{goal.done_on.isoformat()} {label}",
                "position": position_between(goal.done_on, ends),
            }
        )
    return found


def _cell(value: float | None) -> str:
    return "–" if value is None else fmt.fixed(value, 1)


def _whole_percent(share: float) -> str:
    return f"{fmt.integer(100 * share)}%"


def organisation_or_404(user: Any, slug: str) -> Organisation:
    found = Organisation.objects.filter(slug=slug).first()
    if found is None or not user.has_perm("development.view_programme", found):
        raise Http404("Not found")
    return found


def profile_of(people: list[Person]) -> dict[int, int]:
    """Person id -> the role profile of their latest plan that names one."""
    plans = (
        Plan.objects.filter(person__in=people, profile__isnull=False)
        .order_by("person", "created_at", "pk")
        .values_list("person_id", "profile_id")
    )
    return dict(plans)  # the latest wins


def programme(organisation: Organisation) -> dict[str, Any]:
    """Per group and round, the share of coordinators (with a plan naming a profile) who
    meet every requirement of their profile in that group at the end of the round."""
    rounds = list(organisation.rounds.order_by("starts_on"))
    framework = organisation.framework
    groups = list(framework.groups.all()) if framework else []
    coordinators = list(organisation.people.filter(is_coordinator=True))
    profiles = profile_of(coordinators)
    needs: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for profile, competency, group, level in Requirement.objects.filter(
        profile__in=set(profiles.values())
    ).values_list("profile_id", "competency_id", "competency__group_id", "level"):
        needs[profile][group][competency] = level
    ratings = _ratings([p for p in coordinators if p.pk in profiles])
    rows = []
    for group in groups:
        shares = []
        for round_ in rounds:
            at_end = standing(ratings, round_.ends_on)
            shares.append(_share(profiles, needs, group.pk, at_end))
        rows.append((group.translated("name"), shares))
    counted = sum(1 for p in coordinators if p.pk in profiles)
    return {
        "organisation": organisation,
        "rounds": rounds,
        "counted": counted,
        "coordinators": len(coordinators),
        "rows": [
            {"label": label, "cells": ["–" if s is None else fmt.percent(s) for s in shares]}
            for label, shares in rows
        ],
        "chart": _programme_chart(rounds, rows),
    }


def _programme_chart(rounds: list[Any], rows: list[tuple[str, list[float | None]]]) -> Any:
    return charts.trend_chart(
        "programme",
        [r.name for r in rounds],
        [charts.Series(label, shares) for label, shares in rows],
        1.0,
        _("Share meeting their profile per group over rounds"),
        _(
            "One line per group: the share of coordinators meeting every requirement of their "
            "role profile in it at the end of each assessment round, as a percentage, from "
            "left to right; the table that follows holds the same numbers."
        ),
        step=0.25,
        written=_whole_percent,
    )


def _share(
    profiles: dict[int, int], needs: dict, group: int, at_end: dict[int, Latest]
) -> float | None:
    """The share meeting the group's requirements among those whose profile has some."""
    judged = met = 0
    for person, profile in profiles.items():
        required = needs[profile].get(group)
        if not required:
            continue
        levels = gap_rules.assessed_by_competency(at_end.get(person, {}))
        judged += 1
        met += all(levels.get(c, -1) >= level for c, level in required.items())
    return met / judged if judged else None

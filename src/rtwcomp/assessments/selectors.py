"""Reads that shape assessment records for pages, the API and exports."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import F, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from rtwcomp.assessments import gaps as gap_rules
from rtwcomp.assessments.levels import GroupMeans, Levels
from rtwcomp.assessments.models import Person, Rating, RoleProfile
from rtwcomp.assessments.scales import labels as scale_labels
from rtwcomp.frameworks.models import Competency
from rtwcomp.permissions import (
    about_people_for,
    editable,
    may_self_assess,
    may_view_team,
    people_for,
)
from rtwcomp.reports import format as fmt
from rtwcomp.stats import raters

# competency id -> source -> the latest level of each rater, oldest first
Latest = dict[int, dict[str, list[int]]]


def people(user: Any) -> Any:
    """The people whose records `user` may see."""
    return people_for(user, Person.objects.select_related("organisation", "team"))


def ratings(user: Any, person: Person) -> Any:
    """Every rating of `person` `user` may see, corrections and superseded ones included."""
    return about_people_for(user, Rating.objects.filter(subject=person)).select_related(
        "competency", "rater"
    )


def latest_by_source(person: Person) -> Latest:
    """competency id -> source -> the latest current level of each rater, oldest first."""
    return latest_by_source_of([person]).get(person.pk, {})


def profile_gaps(
    person: Person, profile: RoleProfile, latest: Latest | None = None
) -> list[gap_rules.Gap]:
    """The person's gaps against a role profile (the rule in `gaps.RULE`), weighted by the
    importance the profile's validation study found."""
    requirements = profile.requirements.select_related("competency")
    required = {r.competency_id: r.level for r in requirements}
    kinds = {r.competency_id: r.competency.ksab_type for r in requirements}
    latest = latest_by_source(person) if latest is None else latest
    return gap_rules.gaps(required, latest, kinds, importance(profile))


SOURCES = ("self", "mentor", "supervisor", "peer", "outside", "observed")
# Self and others differ notably when they are this many levels apart (of 0-4).
DIFFERENCE = 2


def my_people(user: Any) -> dict[str, list[Person]]:
    """The people `user` may see, by why: themselves, mentees, team, organisation."""
    visible = list(people(user).prefetch_related("mentors", "team__supervisors"))
    sorted_out: dict[str, list[Person]] = {"self": [], "mentees": [], "team": [], "others": []}
    for person in visible:
        if person.user_id == user.pk:
            sorted_out["self"].append(person)
        elif any(m.user_id == user.pk for m in person.mentors.all()):
            sorted_out["mentees"].append(person)
        elif person.team and any(s.user_id == user.pk for s in person.team.supervisors.all()):
            sorted_out["team"].append(person)
        else:
            sorted_out["others"].append(person)
    return sorted_out


# The largest id a database column holds: a larger number in a URL names nothing.
MAX_ID = 2**63 - 1


def known_id(pk: int) -> int:
    """`pk` if it can be an id; otherwise 404 (the databases refuse to compare with it)."""
    if not 0 < pk <= MAX_ID:
        raise Http404("Not found")
    return pk


def person_or_404(user: Any, pk: int, perm: str = "assessments.view_person") -> Person:
    found = people(user).filter(pk=known_id(pk)).first()
    if found is None or not user.has_perm(perm, found):
        raise Http404("Not found")
    return found


def own_record_or_404(user: Any, pk: int) -> Person:
    """The person `pk` if it is `user` themself (for a self-assessment); 404 otherwise."""
    found = people(user).filter(pk=known_id(pk)).first()
    if found is None or not may_self_assess(user, found):
        raise Http404("Not found")
    return found


def acting_as(user: Any, person: Person) -> Person | None:
    """The record of `user` in `person`'s organisation (who rates, when they rate)."""
    return Person.objects.filter(organisation=person.organisation_id, user=user.pk).first()


def groups_of(person: Person) -> Any:
    framework = person.organisation.framework
    return framework.groups.all() if framework else []


def group_competencies(person: Person, key: str | None) -> tuple[Any, list[Any]]:
    """A group of the organisation's framework (the first one when `key` names none) and
    its competencies with their indicators."""
    groups = list(groups_of(person))
    group = next((g for g in groups if g.key == key), groups[0] if groups else None)
    if group is None:
        return None, []
    return group, list(group.competencies.prefetch_related("indicators"))


def side_by_side(
    person: Person, profile: RoleProfile | None = None, latest: Latest | None = None
) -> dict[str, Any]:
    """Each rated (or required) competency's latest level by source, the combined level,
    the self-versus-others difference and the gap to the profile."""
    latest = latest_by_source(person) if latest is None else latest
    required = {r.competency_id: r.level for r in profile.requirements.all()} if profile else {}
    framework = person.organisation.framework
    rows = []
    for competency in framework.competencies.select_related("group") if framework else []:
        by_source = latest.get(competency.pk, {})
        if not by_source and competency.pk not in required:
            continue
        assessed, basis = gap_rules.combine(by_source)
        rows.append(
            {
                "competency": competency,
                "statement": competency.translated("statement"),
                "levels": [_last(by_source.get(s)) for s in SOURCES],
                "assessed": None if assessed is None else fmt.fixed(assessed, 1),
                "basis": basis,
                "difference": _difference(by_source),
                "required": required.get(competency.pk),
            }
        )
    labels = [Rating.Source(s).label for s in SOURCES]
    return {"sources": labels, "rows": rows, "threshold": DIFFERENCE}


def _last(levels: list[int] | None) -> int | None:
    return levels[-1] if levels else None


def _difference(by_source: dict[str, list[int]]) -> str:
    """'over' or 'under' when the self-assessment is DIFFERENCE levels or more above or
    below the median of the others' latest ratings (observation included); else ''."""
    others = [v for s in (*gap_rules.OTHERS, "observed") for v in by_source.get(s, [])]
    if not by_source.get("self") or not others:
        return ""
    delta = by_source["self"][-1] - statistics.median(others)
    return "over" if delta >= DIFFERENCE else "under" if delta <= -DIFFERENCE else ""


def importance(profile: RoleProfile) -> dict[int, float]:
    """Competency id -> share rating in the top categories in the profile's study."""
    from rtwcomp.surveys.results import cached_analysis

    found = cached_analysis(profile.study) if profile.study_id else None
    if found is None:
        return {}
    shares = dict(zip(found[1].items["item"], found[1].items["share_top"], strict=True))
    competencies = Competency.objects.filter(framework=profile.framework, code__in=shares)
    return {c.pk: float(shares[c.code]) for c in competencies if not math.isnan(shares[c.code])}


def gap_rows(
    person: Person, profile: RoleProfile | None, latest: Latest | None = None
) -> list[dict[str, Any]]:
    """The prioritised gaps with their competencies, for a page."""
    if profile is None:
        return []
    found = profile_gaps(person, profile, latest)
    competencies = Competency.objects.in_bulk([g.competency for g in found])
    return [
        {
            "gap": g,
            "competency": competencies[g.competency],
            "statement": competencies[g.competency].translated("statement"),
            "assessed": None if g.assessed is None else fmt.fixed(g.assessed, 1),
            "size": None if g.gap is None else fmt.fixed(g.gap, 1),
            "importance": None if g.importance is None else fmt.proportion(g.importance),
        }
        for g in found
    ]


def team_or_404(user: Any, pk: int) -> Any:
    """A team whose members' records `user` may see: its supervisors', its organisation's
    admins' and superusers'; 404 otherwise."""
    from rtwcomp.assessments.models import Team

    team = Team.objects.select_related("organisation").filter(pk=known_id(pk)).first()
    if team is None or not may_view_team(user, team):
        raise Http404("Not found")
    return team


def heat_map(team: Any, levels: Levels | None = None) -> dict[str, Any]:
    """Members x groups: the mean assessed level (the rule in `gaps.RULE`) of each member's
    assessed competencies in each group of the organisation's framework. The cells are
    kept in the shared cache until a member is rated again or the team changes."""
    framework = team.organisation.framework
    groups = list(framework.groups.all()) if framework else []
    levels = levels or Levels(framework, list(team.members.all()), [])  # ordered by name
    members = levels.members
    key = f"rtwcomp:heat:{team.pk}:{framework.pk if framework else 0}:{levels.stamp}"
    cells = cache.get(key)
    if cells is None:
        means = levels.overall() if framework else {}
        cells = {m.pk: [_cell(means.get(m.pk, {}).get(g.pk)) for g in groups] for m in members}
        cache.set(key, cells, 3600)
    rows = [
        {"person": m, "href": reverse("assessments:person", args=[m.pk]), "cells": cells[m.pk]}
        for m in members
    ]
    return {"team": team, "groups": groups, "rows": rows}


def _cell(value: float | None) -> dict[str, str]:
    """A heat-map cell: the value as written, and the class of its colour step (0-4)."""
    if value is None:
        return {"text": "–", "css": "heat-none"}
    return {"text": fmt.fixed(value, 1), "css": f"heat-{round(value)}"}


def _mean(values: list[float] | None) -> float | None:
    return sum(values) / len(values) if values else None


def latest_by_source_of(people: list[Person], ratings: Any = None) -> dict[int, Latest]:
    """`latest_by_source` of several people with one query: person id -> competency id ->
    source -> the latest level of each rater, oldest first. Raters without a record (outside
    raters) count one each. The database picks each rater's latest rating (a window
    function), so only those rows reach Python. `ratings` narrows the ratings looked at
    (those of one round)."""
    rater = Coalesce(F("rater"), -F("pk"))
    newest_first = [F("rated_on").desc(), F("recorded_at").desc(), F("pk").desc()]
    rank = Window(
        RowNumber(), partition_by=[F("subject"), F("competency"), F("source"), rater],
        order_by=newest_first,
    )  # fmt: skip
    rows = (
        (Rating.objects if ratings is None else ratings)
        .current()
        .filter(subject__in=people)
        .annotate(rank=rank)
        .filter(rank=1)
        .order_by("rated_on", "recorded_at", "pk")
        .values_list("subject_id", "competency_id", "source", "level")
    )
    shaped: dict[int, Latest] = {}
    for subject, competency, source, level in rows:
        shaped.setdefault(subject, {}).setdefault(competency, {}).setdefault(source, []).append(
            level
        )
    return shaped


def my_teams(user: Any) -> list[Any]:
    """Teams whose heat map `user` may open."""
    from rtwcomp.assessments.models import Team

    teams = Team.objects.select_related("organisation").prefetch_related("supervisors")
    return [
        t for t in teams.filter(organisation__in=organisations_of(user)) if may_view_team(user, t)
    ]


def organisations_of(user: Any) -> Any:
    """Organisations where `user` is a person, or which they administer."""
    from rtwcomp.assessments.models import Organisation

    mine = Person.objects.filter(user=user.pk).values("organisation")
    return Organisation.objects.filter(pk__in=mine) | editable(user, Organisation.objects.all())


def profile_or_404(profiles: Any) -> RoleProfile:
    found = profiles.first()
    if found is None:
        raise Http404("Not found")
    return found


# ICCs need a few competencies rated by every source to say anything.
MIN_COMPLETE_FOR_ICC = 3


def agreement(person: Person, latest: Latest | None = None) -> list[dict[str, Any]]:
    """Per group, how far the sources agree on the person: Krippendorff's ordinal alpha over
    sources x competencies (latest level of each source), and ICC(2,1), absolute agreement,
    over the competencies every one of those sources rated. None where undefined."""
    framework = person.organisation.framework
    latest = latest_by_source(person) if latest is None else latest
    rows = []
    for group in framework.groups.prefetch_related("competencies") if framework else []:
        table = {
            c.pk: {s: v[-1] for s, v in latest.get(c.pk, {}).items() if v}
            for c in group.competencies.all()
        }
        sources = sorted({s for levels in table.values() for s in levels})
        if len(sources) < 2:
            continue
        matrix = np.array([[table[c].get(s, np.nan) for c in table] for s in sources], dtype=float)
        labels = [str(Rating.Source(s).label) for s in sources]  # shown: not the keys
        rows.append({"group": group, "sources": sources, "labels": labels, **_agreement(matrix)})
    return rows


def _agreement(matrix: Any) -> dict[str, Any]:
    paired = int(((~np.isnan(matrix)).sum(axis=0) >= 2).sum())
    complete = int((~np.isnan(matrix)).all(axis=0).sum())
    try:
        alpha = raters.krippendorff_alpha(matrix, "ordinal")
    except raters.RatingsError:
        alpha = None
    icc2 = None
    if complete >= MIN_COMPLETE_FOR_ICC:
        icc2 = next(r for r in raters.icc(matrix.T) if r.form == "ICC2")
    icc_text = None
    if icc2 is not None:
        icc_text = f"{fmt.coefficient(icc2.icc)} ({fmt.interval(icc2.lower, icc2.upper)})"
    alpha_text = None if alpha is None else fmt.coefficient(alpha)
    return {
        "paired": paired,
        "complete": complete,
        "alpha": alpha,
        "icc2": icc2,
        "alpha_text": alpha_text,
        "icc_text": icc_text,
    }


def competencies_of_groups(person: Person, keys: list[str]) -> list[Competency]:
    framework = person.organisation.framework
    found = Competency.objects.filter(framework=framework, group__key__in=keys)
    return list(found.order_by("group__position", "position"))


def person_page(person: Person, profile: RoleProfile | None) -> dict[str, Any]:
    """Everything a person's page shows, from one read of their ratings."""
    latest = latest_by_source(person)
    found = trends(person.organisation, [person])
    by_group = profile_by_group(person, profile, latest)
    title = _("Mean assessed level per group and round: %(name)s") % {"name": person.name}
    return {
        **side_by_side(person, profile, latest),
        "gaps": gap_rows(person, profile, latest),
        "agreement": agreement(person, latest),
        "observations": person.observations.select_related("observer"),
        "trends": found,
        "trend_chart": trend_chart(
            found, "trend", title, trend_desc(), person.organisation.top_level
        ),
        "by_group": by_group,
        "profile_chart": profile_chart(by_group, person),
        "scale": scale_labels(person.organisation),
    }


def trend_desc() -> str:
    return _(
        "One line per group of competencies, across assessment rounds from left to right; "
        "the same values are in the table that follows."
    )


def team_page(team: Any) -> dict[str, Any]:
    """The heat map and the team's trends, from one read of the members' ratings."""
    organisation = team.organisation
    members = list(team.members.all())
    levels = Levels(organisation.framework, members, list(organisation.rounds.all()))
    found = trends(organisation, members, levels)
    title = _("Team %(name)s: mean assessed level per group and round") % {"name": team.name}
    top = organisation.top_level
    return {
        **heat_map(team, levels),
        "trends": found,
        "trend_chart": trend_chart(found, "trend", title, trend_desc(), top),
        "scale": scale_labels(organisation),
        "top": top,
    }


def organisation_or_404(user: Any, slug: str) -> Any:
    """An organisation its programme admins (and superusers) may manage; 404 otherwise."""
    from rtwcomp.assessments.models import Organisation
    from rtwcomp.permissions import get_or_404

    return get_or_404(user, "assessments.change_organisation", Organisation.objects, slug=slug)


def administered(user: Any) -> Any:
    """Organisations `user` manages as a programme admin."""
    from rtwcomp.assessments.models import Organisation

    return editable(user, Organisation.objects.all())


def organisation_page(organisation: Any) -> dict[str, Any]:
    """An organisation's rounds, with the number of ratings each holds."""
    from rtwcomp.assessments.rounds import ratings_in

    rounds = [
        {"round": r, "ratings": ratings_in(r).current().count()} for r in organisation.rounds.all()
    ]
    from rtwcomp.assessments.scales import labels

    return {"organisation": organisation, "rounds": rounds, "scale": labels(organisation)}


def trends(
    organisation: Any, members: list[Person], levels: Levels | None = None
) -> dict[str, Any]:
    """Per group, the mean assessed level (the rule in `gaps.RULE`) in each round of the
    organisation: of one person, or of a team (the mean of its members' means, so each
    member counts once). A round's assessed level uses only the ratings of that round. The
    means are kept in the shared cache until a member is rated again or the rounds or the
    framework change, as the heat map's cells are."""
    framework = organisation.framework
    rounds = list(organisation.rounds.all())
    groups = list(framework.groups.all()) if framework else []
    if not rounds or not groups or not members:
        return {"rounds": rounds, "rows": []}
    levels = levels or Levels(framework, members, rounds)
    periods = tuple((r.pk, r.starts_on.toordinal(), r.ends_on.toordinal()) for r in rounds)
    key = f"rtwcomp:trends:{framework.pk}:{hash(periods)}:{levels.stamp}"
    means = cache.get(key)
    if means is None:
        per_round = levels.per_round()
        means = _round_means(groups, rounds, per_round)
        cache.set(key, means, 3600)
    rows = [
        {"group": g, "values": means[g.pk], "texts": [_text(v) for v in means[g.pk]]}
        for g in groups
        if any(v is not None for v in means[g.pk])
    ]
    return {"rounds": rounds, "rows": rows}


def _round_means(
    groups: list[Any], rounds: list[Any], per_round: dict[int, GroupMeans]
) -> dict[int, list[float | None]]:
    """Group id -> the mean of the members' means in each round (None: nobody rated)."""
    means: dict[int, list[float | None]] = {g.pk: [] for g in groups}
    for round_ in rounds:
        members = per_round[round_.pk].values()
        for group in groups:
            means[group.pk].append(_mean([m[group.pk] for m in members if group.pk in m]))
    return means


def _text(value: float | None) -> str:
    return "–" if value is None else fmt.fixed(value, 1)


def trend_chart(found: dict[str, Any], chart_id: str, title: str, desc: str, top: int) -> Any:
    """The trends as an SVG line chart (None when there is nothing to draw)."""
    from rtwcomp.reports.assessment_charts import Series, trend_chart

    if not found["rows"]:
        return None
    series = [Series(r["group"].translated("name"), r["values"]) for r in found["rows"]]
    names = [r.name for r in found["rounds"]]
    return trend_chart(chart_id, names, series, top, title, desc)


def profile_by_group(
    person: Person, profile: RoleProfile | None, latest: Latest | None = None
) -> list[dict[str, Any]]:
    """Per group with requirements: the mean required level and the mean assessed level (the
    rule in `gaps.RULE`) of the required competencies assessed so far."""
    if profile is None:
        return []
    latest = latest_by_source(person) if latest is None else latest
    requirements = profile.requirements.select_related("competency__group")
    by_group: dict[Any, list[tuple[int, float | None]]] = defaultdict(list)
    for r in requirements.order_by("competency__group__position", "competency__position"):
        assessed, _basis = gap_rules.combine(latest.get(r.competency_id, {}))
        by_group[r.competency.group].append((r.level, assessed))
    rows = []
    for group, pairs in by_group.items():
        assessed = [a for _level, a in pairs if a is not None]
        rows.append(
            {
                "group": group,
                "name": group.translated("name"),
                "required": _mean([float(level) for level, _a in pairs]),
                "assessed": _mean(assessed),
                "assessed_count": len(assessed),
                "required_count": len(pairs),
            }
        )
    return rows


def profile_chart(rows: list[dict[str, Any]], person: Person) -> Any:
    """The profile per group as SVG: required (bar) against assessed (diamond)."""
    from rtwcomp.reports.assessment_charts import profile_chart as draw

    if not rows:
        return None
    return draw(
        "profile", [r["name"] for r in rows], [r["required"] for r in rows],
        [r["assessed"] for r in rows], person.organisation.top_level,
        (_("required"), _("assessed")), _("Profile per group"), profile_desc(),
    )  # fmt: skip


def profile_desc() -> str:
    return _(
        "Per group of competencies, the mean level the role profile requires (a bar) and "
        "the mean assessed level of those competencies (a diamond); the table that follows "
        "holds the same values."
    )


def chosen_profile(person: Person, value: str) -> RoleProfile | None:
    """The role profile of the person's organisation a query parameter names, if any."""
    if not value.isdigit() or len(value) > 18:
        return None
    return RoleProfile.objects.filter(organisation=person.organisation_id, pk=int(value)).first()


def profiles(user: Any) -> Any:
    """Role profiles of the organisations `user` administers or belongs to."""
    from rtwcomp.assessments.models import Organisation
    from rtwcomp.permissions import organisations_for

    open_to = organisations_for(user, Organisation.objects.all())
    found = RoleProfile.objects.filter(organisation__in=open_to)
    return found.select_related("organisation", "framework").order_by("organisation", "name")


def rounds_for(user: Any) -> Any:
    """Assessment rounds of the organisations `user` administers or belongs to."""
    from rtwcomp.assessments.models import Organisation, Round
    from rtwcomp.permissions import organisations_for

    open_to = organisations_for(user, Organisation.objects.all())
    return Round.objects.filter(organisation__in=open_to).select_related("organisation")


def assessments(person: Person) -> list[dict[str, Any]]:
    """The person's assessments: each round of their organisation with the number of their
    current ratings in it."""
    from rtwcomp.assessments.rounds import ratings_in

    return [
        {"round": r, "ratings": ratings_in(r).current().filter(subject=person).count()}
        for r in person.organisation.rounds.all()
    ]


def assessment(user: Any, person: Person, round_pk: int) -> tuple[Any, Any]:
    """One assessment: a round of the person's organisation and the person's ratings in it
    (corrections and superseded ratings included); 404 for a round of another organisation."""
    from rtwcomp.assessments.rounds import ratings_in

    found = person.organisation.rounds.filter(pk=known_id(round_pk)).first()
    if found is None:
        raise Http404("Not found")
    mine = about_people_for(user, ratings_in(found).filter(subject=person))
    return found, mine.select_related("competency", "rater", "feedback", "superseded_by")

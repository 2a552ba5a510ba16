"""Reads that shape mentorship data: the matching's input and proposal, pairs, meetings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from rtwcomp.assessments import gaps as gap_rules
from rtwcomp.assessments import selectors as assessments
from rtwcomp.assessments.models import Organisation, Person, Rating, RoleProfile, Round
from rtwcomp.frameworks.models import Competency
from rtwcomp.mentoring import matching
from rtwcomp.mentoring.models import DEFAULT_CAPACITY, Meeting, Mentorship
from rtwcomp.permissions import mentorships_for
from rtwcomp.reports import format as fmt

RULE = gettext_noop(
    "need: the gap to the role profile weighted by the importance its validation study found "
    "(personal attributes left out: they are selected for, not mentored); strength: a "
    "combined level of %(level)s (proficient) or more; each pair covers "
    "the mentee's needs where the mentor is strong, and the matching covers the most need "
    "in total, each mentee with one mentor at most and no mentor over their capacity"
)


@dataclass(frozen=True)
class Basis:
    """What a matching is computed from: a role profile and, optionally, a round (ratings
    given on or before its last day)."""

    profile: RoleProfile
    round: Round | None = None


def pairs(user: Any) -> Any:
    """The pairs `user` may see, open ones first."""
    found = Mentorship.objects.select_related("mentor", "mentee", "mentee__organisation")
    open_first = F("until").desc(nulls_first=True)  # the same on SQLite and PostgreSQL
    return mentorships_for(user, found).order_by(open_first, "mentee__name", "-since", "-pk")


def pair_or_404(user: Any, pk: int, perm: str = "mentoring.view_mentorship") -> Mentorship:
    found = pairs(user).filter(pk=assessments.known_id(pk)).first()
    if found is None or not user.has_perm(perm, found):
        raise Http404("Not found")
    return found


def meeting_or_404(user: Any, pk: int) -> Meeting:
    found = Meeting.objects.filter(pk=assessments.known_id(pk), mentorship__in=pairs(user)).first()
    if found is None or not user.has_perm("mentoring.view_mentorship", found.mentorship):
        raise Http404("Not found")
    return found


def my_pairs(user: Any) -> dict[str, list[Mentorship]]:
    """The pairs `user` is in, as mentor and as mentee."""
    mine = pairs(user).filter(Q(mentor__user=user.pk) | Q(mentee__user=user.pk))
    out: dict[str, list[Mentorship]] = {"mentor": [], "mentee": []}
    for pair in mine:
        out["mentor" if pair.mentor.user_id == user.pk else "mentee"].append(pair)
    return out


def pair_page(pair: Mentorship) -> dict[str, Any]:
    meetings = pair.meetings.prefetch_related("competencies", "goals__competency", "observations")
    return {"pair": pair, "meetings": meetings}


def capacities(organisation: Organisation) -> list[dict[str, Any]]:
    """Each mentor's capacity (DEFAULT_CAPACITY unless set), mentees taken and places left."""
    mentors = (
        organisation.people.filter(is_mentor=True)
        .select_related("mentor_capacity")
        .annotate(taken=Count("mentees", distinct=True))
    )
    rows = []
    for mentor in mentors:
        capacity = getattr(mentor, "mentor_capacity", None)
        places = DEFAULT_CAPACITY if capacity is None else capacity.capacity
        rows.append(
            {
                "person": mentor,
                "capacity": places,
                "taken": mentor.taken,
                "left": max(0, places - mentor.taken),
            }
        )
    return rows


def current_links(organisation: Organisation) -> list[dict[str, Any]]:
    """Every current mentor -> mentee link (`Person.mentors`) with its recorded pair, if any
    (links from a people file are recorded when the matching is next applied)."""
    through = Person.mentors.through
    links = through.objects.filter(from_person__organisation=organisation).select_related(
        "from_person", "to_person"
    )
    recorded = {
        (p.mentor_id, p.mentee_id): p
        for p in Mentorship.objects.filter(mentee__organisation=organisation, until__isnull=True)
    }
    rows = [
        {
            "mentee": link.from_person,
            "mentor": link.to_person,
            "pair": recorded.get((link.to_person_id, link.from_person_id)),
        }
        for link in links
    ]
    return sorted(rows, key=lambda r: (r["mentee"].name, r["mentor"].name))


def matching_input(organisation: Organisation, basis: Basis) -> dict[str, Any]:
    """The matching's plain input: needs of the coordinators who have no mentor, combined
    levels of the mentors, and the places each mentor has left."""
    mentees = list(
        organisation.people.filter(is_coordinator=True, mentors__isnull=True).order_by("pk")
    )
    mentors = capacities(organisation)
    people = mentees + [m["person"] for m in mentors]
    latest = latest_levels(people, basis.round)
    requirements = basis.profile.requirements.select_related("competency")
    required = {r.competency_id: r.level for r in requirements}
    kinds = {r.competency_id: r.competency.ksab_type for r in requirements}
    weights = assessments.importance(basis.profile)
    needs = {}
    for mentee in mentees:
        found = gap_rules.gaps(required, latest.get(mentee.pk, {}), kinds, weights)
        needs[mentee.pk] = {
            g.competency: g.priority for g in found if not g.personal_attribute and g.priority
        }
    levels = {
        m["person"].pk: gap_rules.assessed_by_competency(latest.get(m["person"].pk, {}))
        for m in mentors
        if m["left"] > 0
    }
    return {
        "needs": needs,
        "levels": levels,
        "capacity": {m["person"].pk: m["left"] for m in mentors},
        "mentees": mentees,
    }


def latest_levels(people: list[Person], round: Round | None = None) -> dict[int, Any]:
    """`assessments.selectors.latest_by_source_of`, or the same as it stood at the end of
    `round`: each rater's latest current rating given on or before the round's last day."""
    if round is None:
        return assessments.latest_by_source_of(people)
    rows = (
        Rating.objects.current()
        .filter(subject__in=people, rated_on__lte=round.ends_on)
        .order_by("rated_on", "recorded_at", "pk")
        .values_list("subject_id", "competency_id", "source", "rater_id", "pk", "level")
    )
    last: dict[tuple[int, int, str, int], int] = {}
    for subject, competency, source, rater, pk, level in rows:
        key = (subject, competency, source, rater if rater is not None else -pk)
        last.pop(key, None)  # keep the order of each rater's latest rating
        last[key] = level
    shaped: dict[int, Any] = {}
    for (subject, competency, source, _rater), level in last.items():
        shaped.setdefault(subject, {}).setdefault(competency, {}).setdefault(source, []).append(
            level
        )
    return shaped


def proposal(organisation: Organisation, basis: Basis) -> dict[str, Any]:
    """The proposed pairs with their reasons, and the coordinators left without a mentor."""
    found = matching_input(organisation, basis)
    made = matching.match(found["needs"], found["levels"], found["capacity"])
    people = {p.pk: p for p in organisation.people.all()}
    named = Competency.objects.in_bulk([r.competency for p in made for r in p.reasons])
    paired = {p.mentee for p in made}
    return {
        "pairs": [
            {
                "mentee": people[p.mentee],
                "mentor": people[p.mentor],
                "covered": p.covered,
                "covered_text": fmt.fixed(p.covered, 2),
                "reasons": [
                    {
                        "competency": named[r.competency],
                        "need": fmt.fixed(r.need, 2),
                        "level": fmt.fixed(r.level, 1),
                    }
                    for r in p.reasons
                ],
            }
            for p in made
        ],
        "unmatched": [m for m in found["mentees"] if m.pk not in paired],
        "rule": _(RULE) % {"level": fmt.fixed(matching.STRONG_LEVEL, 0)},
    }


def reason_text(row: dict[str, Any]) -> str:
    """A proposed pair's reasons in one line, as kept with the pair and printed by the CLI."""
    met = "; ".join(
        f"{r['competency'].code} (need {r['need']}, mentor at {r['level']})" for r in row["reasons"]
    )
    return f"covers {row['covered_text']} of need: {met}"


def basis_or_none(organisation: Organisation, profile: str, round: str) -> Basis | None:
    """The basis named by a profile and an optional round (names or ids, as given), or
    None when the organisation has no such profile."""
    profiles = organisation.profiles.all()
    chosen = _named(profiles, profile) if profile else profiles.first()
    if chosen is None:
        return None
    return Basis(chosen, _named(organisation.rounds.all(), round) if round else None)


def _named(queryset: Any, key: str) -> Any:
    if key.isdigit() and len(key) < 19:
        return queryset.filter(pk=int(key)).first()
    return queryset.filter(name=key).first()


def meeting_choices(pair: Mentorship) -> dict[str, Any]:
    """What a meeting form offers: the organisation's competencies, the mentee's plan goals."""
    from rtwcomp.development.models import Goal

    framework = pair.mentee.organisation.framework
    competencies = (
        Competency.objects.filter(framework=framework).order_by("group__position", "position")
        if framework
        else Competency.objects.none()
    )
    goals = Goal.objects.filter(plan__person=pair.mentee).select_related("competency", "plan")
    return {"competencies": competencies, "goals": goals}

"""People, their ratings and their gaps, for whoever may see each person's records
(themselves, their mentors, their team's supervisors, their organisation's admins)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from rtwcomp.api.auth import signed_in
from rtwcomp.api.errors import INVALID, NOT_FOUND, UNAUTHORIZED
from rtwcomp.assessments import gaps, selectors
from rtwcomp.assessments.models import Person, RoleProfile

router = Router(tags=["assessments"], auth=signed_in)


class PersonOut(Schema):
    id: int
    name: str
    organisation: str
    team: str | None
    roles: list[str]


class RatingOut(Schema):
    id: int
    competency: str
    source: str
    instrument: str
    level: int
    rater: str | None
    rated_on: dt.date
    evidence: str
    supersedes: int | None
    current: bool


class GapOut(Schema):
    competency: str
    required: int
    assessed: float | None
    basis: str
    gap: float | None
    importance: float | None
    priority: float
    personal_attribute: bool


class GapsOut(Schema):
    profile: str
    rule: str
    combining_rule: str
    gaps: list[GapOut]


def _person_out(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.name,
        "organisation": person.organisation.slug,
        "team": person.team.name if person.team else None,
        "roles": list(person.roles),
    }


@router.get("/people", response={200: list[PersonOut], **UNAUTHORIZED})
def list_people(request: HttpRequest) -> list[dict[str, Any]]:
    """The people whose records this user may see."""
    return [_person_out(p) for p in selectors.people(request.user)]


@router.get(
    "/people/{person_id}", response={200: PersonOut, **UNAUTHORIZED, **NOT_FOUND, **INVALID}
)
def get_person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    return _person_out(selectors.person_or_404(request.user, person_id))


@router.get(
    "/people/{person_id}/ratings",
    response={200: list[RatingOut], **UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def list_ratings(request: HttpRequest, person_id: int) -> list[dict[str, Any]]:
    """Every rating event of the person, superseded ones included (`current` is false)."""
    person = selectors.person_or_404(request.user, person_id)
    found = selectors.ratings(request.user, person).select_related("superseded_by")
    return [
        {
            "id": r.pk,
            "competency": r.competency.code,
            "source": r.source,
            "instrument": r.instrument,
            "level": r.level,
            "rater": r.rater.name if r.rater else None,
            "rated_on": r.rated_on,
            "evidence": r.evidence,
            "supersedes": r.supersedes_id,
            "current": not hasattr(r, "superseded_by"),
        }
        for r in found
    ]


@router.get(
    "/people/{person_id}/gaps/{profile_id}",
    response={200: GapsOut, **UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def get_gaps(request: HttpRequest, person_id: int, profile_id: int) -> dict[str, Any]:
    """The person's gaps to a role profile of their organisation, most pressing first."""
    person = selectors.person_or_404(request.user, person_id)
    profile = RoleProfile.objects.filter(
        pk=selectors.known_id(profile_id), organisation=person.organisation_id
    )
    found = selectors.profile_or_404(profile)
    rows = selectors.gap_rows(person, found)
    return {
        "profile": found.name,
        "rule": found.rule,
        "combining_rule": gaps.RULE,
        "gaps": [
            {
                "competency": r["competency"].code,
                **{k: getattr(r["gap"], k) for k in GapOut.model_fields if k != "competency"},
            }
            for r in rows
        ],
    }

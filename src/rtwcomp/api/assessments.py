"""People, their ratings, assessments (a person's ratings in one round) and gaps, for
whoever may see each person's records (themselves, their mentors, their team's supervisors,
their organisation's admins); role profiles and rounds for the people of an organisation
and its admins."""

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
    return [_rating_out(r) for r in found]


def _rating_out(r: Any) -> dict[str, Any]:
    return {
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


class RequirementOut(Schema):
    competency: str
    level: int


class ProfileOut(Schema):
    id: int
    name: str
    organisation: str
    framework: str
    framework_version: int
    rule: str
    study: str | None


class ProfileDetailOut(ProfileOut):
    requirements: list[RequirementOut]


class RoundOut(Schema):
    id: int
    organisation: str
    name: str
    starts_on: dt.date
    ends_on: dt.date


class AssessmentSummaryOut(Schema):
    round: RoundOut
    ratings: int


class AssessmentOut(Schema):
    person: int
    round: RoundOut
    ratings: list[RatingOut]


def _profile_out(profile: RoleProfile) -> dict[str, Any]:
    return {
        "id": profile.pk,
        "name": profile.name,
        "organisation": profile.organisation.slug,
        "framework": profile.framework.slug,
        "framework_version": profile.framework.version,
        "rule": profile.rule,
        "study": profile.study.slug if profile.study_id else None,
    }


def _round_out(found: Any) -> dict[str, Any]:
    return {
        "id": found.pk,
        "organisation": found.organisation.slug,
        "name": found.name,
        "starts_on": found.starts_on,
        "ends_on": found.ends_on,
    }


@router.get("/profiles", response={200: list[ProfileOut], **UNAUTHORIZED})
def list_profiles(request: HttpRequest) -> list[dict[str, Any]]:
    """Role profiles of the organisations this user administers or belongs to."""
    return [_profile_out(p) for p in selectors.profiles(request.user).select_related("study")]


@router.get(
    "/profiles/{profile_id}",
    response={200: ProfileDetailOut, **UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def get_profile(request: HttpRequest, profile_id: int) -> dict[str, Any]:
    """A role profile with the level it requires of each competency."""
    mine = selectors.profiles(request.user).filter(pk=selectors.known_id(profile_id))
    found = selectors.profile_or_404(mine)
    requirements = found.requirements.select_related("competency").order_by("competency__position")
    return {
        **_profile_out(found),
        "requirements": [{"competency": r.competency.code, "level": r.level} for r in requirements],
    }


@router.get("/rounds", response={200: list[RoundOut], **UNAUTHORIZED})
def list_rounds(request: HttpRequest) -> list[dict[str, Any]]:
    """Assessment rounds of the organisations this user administers or belongs to."""
    return [_round_out(r) for r in selectors.rounds_for(request.user)]


@router.get(
    "/people/{person_id}/assessments",
    response={200: list[AssessmentSummaryOut], **UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def list_assessments(request: HttpRequest, person_id: int) -> list[dict[str, Any]]:
    """The person's assessments: each round of their organisation and how many current
    ratings the person has in it."""
    person = selectors.person_or_404(request.user, person_id)
    return [
        {"round": _round_out(a["round"]), "ratings": a["ratings"]}
        for a in selectors.assessments(person)
    ]


@router.get(
    "/people/{person_id}/assessments/{round_id}",
    response={200: AssessmentOut, **UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def get_assessment(request: HttpRequest, person_id: int, round_id: int) -> dict[str, Any]:
    """An assessment: the person's ratings in one round, corrections and superseded ratings
    included (`current` is false for those a correction replaced)."""
    person = selectors.person_or_404(request.user, person_id)
    found, ratings = selectors.assessment(request.user, person, round_id)
    return {
        "person": person.pk,
        "round": _round_out(found),
        "ratings": [_rating_out(r) for r in ratings],
    }

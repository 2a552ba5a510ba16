"""Rules and writes of the assessment records: people, ratings, profiles."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rtwcomp.assessments.models import (
    FeedbackRequest,
    Observation,
    Organisation,
    Person,
    Rating,
    Requirement,
    RoleProfile,
    Team,
)
from rtwcomp.assessments.rounds import round_on
from rtwcomp.frameworks.models import Competency
from rtwcomp.interop.people_csv import PersonRow
from rtwcomp.site.models import hash_token


def known_people(organisation: Organisation) -> dict[str, tuple[str, ...]]:
    """E-mail address -> roles of the organisation's people (what a people file may name)."""
    return {p.email.lower(): p.roles for p in organisation.people.all()}


@transaction.atomic
def import_people(organisation: Organisation, rows: list[PersonRow]) -> dict[str, int]:
    """Create or update every person of an accepted people file in one transaction: their
    roles, team, mentor and the team a named supervisor supervises."""
    existing = {p.email.lower(): p for p in organisation.people.all()}
    teams = {t.name: t for t in organisation.teams.all()}
    created = 0
    for row in rows:
        team = _team(organisation, teams, row.team) if row.team else None
        person = existing.get(row.email) or Person(organisation=organisation, email=row.email)
        created += person.pk is None
        person.name, person.team = row.name, team
        for role in ("coordinator", "mentor", "supervisor"):
            setattr(person, f"is_{role}", role in row.roles)
        person.save()
        existing[row.email] = person
    for row in rows:
        person = existing[row.email]
        if row.mentor:
            person.mentors.add(existing[row.mentor])
        if row.supervisor and person.team is not None:
            person.team.supervisors.add(existing[row.supervisor])
    return {"created": created, "updated": len(rows) - created}


def _team(organisation: Organisation, teams: dict[str, Team], name: str) -> Team:
    if name not in teams:
        teams[name] = Team.objects.create(organisation=organisation, name=name)
    return teams[name]


def record(
    subject: Person,
    competency: Competency,
    *,
    source: str,
    instrument: str,
    level: int,
    user: Any,
    rater: Person | None = None,
    evidence: str = "",
    rated_on: dt.date | None = None,
    supersedes: Rating | None = None,
) -> Rating:
    """Keep one rating event. The competency must belong to a published framework version
    (instruments are generated from published versions only); the level must be on the
    organisation's scale. A rating dated inside a round belongs to that round."""
    top = subject.organisation.top_level
    if not 0 <= level <= top:
        raise ValueError(f"level {level} is outside 0-{top}")
    if competency.framework.status != "published":
        raise ValueError(f"{competency.code} is not in a published framework version")
    rated_on = rated_on or dt.date.today()
    return Rating.objects.create(
        subject=subject,
        competency=competency,
        source=source,
        instrument=instrument,
        level=level,
        rater=rater,
        evidence=evidence,
        rated_on=rated_on,
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
        supersedes=supersedes,
        round=round_on(subject.organisation_id, rated_on),
    )


@transaction.atomic
def correct(rating: Rating, *, level: int, user: Any, evidence: str = "") -> Rating:
    """A correction: a new event that supersedes `rating`, which stays in the history."""
    locked = Rating.objects.select_for_update().get(pk=rating.pk)
    if Rating.objects.filter(supersedes=locked).exists():
        raise ValueError("this rating has already been corrected: correct the correction")
    return record(
        locked.subject,
        locked.competency,
        source=locked.source,
        instrument=locked.instrument,
        level=level,
        user=user,
        rater=locked.rater,
        evidence=evidence or locked.evidence,
        rated_on=locked.rated_on,
        supersedes=locked,
    )


@transaction.atomic
def self_assess(
    person: Person, levels: Mapping[Competency, tuple[int, str]], user: Any
) -> list[Rating]:
    """A self-assessment: one rating per competency answered, all kept together or none."""
    return [
        record(
            person,
            competency,
            source=Rating.Source.SELF,
            instrument=Rating.Instrument.SELF,
            level=level,
            user=user,
            rater=person,
            evidence=evidence,
        )
        for competency, (level, evidence) in levels.items()
    ]


def self_assess_marks(person: Person, marks: Mapping[str, Mapping[str, Any]], user: Any) -> int:
    """Keep the levels given on a self-assessment page (unrated competencies are skipped);
    the number kept."""
    chosen = _rated(person, marks)
    self_assess(person, chosen, user)
    return len(chosen)


def _rated(
    person: Person, marks: Mapping[str, Mapping[str, Any]]
) -> dict[Competency, tuple[int, str]]:
    rated = {int(pk): m for pk, m in marks.items() if m.get("level") is not None}
    framework = person.organisation.framework
    competencies = Competency.objects.filter(framework=framework, pk__in=rated)
    return {c: (rated[c.pk]["level"], rated[c.pk].get("evidence", "")) for c in competencies}


def start_observation(subject: Person, observer: Person, **fields: Any) -> Observation:
    return Observation.objects.create(subject=subject, observer=observer, **fields)


def save_draft(observation: Observation, marks: Mapping[str, Mapping[str, Any]]) -> None:
    """Merge what was typed into the draft (a page shows one group's competencies)."""
    if observation.status != Observation.Status.DRAFT:
        raise ValueError("this observation has been submitted; start a new one")
    observation.marks = {**observation.marks, **marks}
    observation.save(update_fields=["marks", "updated_at"])


@transaction.atomic
def submit_observation(observation: Observation, user: Any) -> int:
    """Turn the draft's rated competencies into rating events; the number kept."""
    locked = Observation.objects.select_for_update().get(pk=observation.pk)
    if locked.status != Observation.Status.DRAFT:
        raise ValueError("this observation has been submitted already")
    chosen = _rated(locked.subject, locked.marks)
    for competency, (level, evidence) in chosen.items():
        record(
            locked.subject,
            competency,
            source=Rating.Source.OBSERVED,
            instrument=Rating.Instrument.OBSERVATION,
            level=level,
            user=user,
            rater=locked.observer,
            evidence=evidence,
            rated_on=locked.observed_on,
        )
    locked.status = Observation.Status.SUBMITTED
    locked.save(update_fields=["status", "updated_at"])
    return len(chosen)


class ProfileError(ValueError):
    """A role profile that cannot be made, said in words for the user."""


@transaction.atomic
def profile_from_study(
    organisation: Organisation, study: Any, name: str, level: int = 2
) -> RoleProfile:
    """A role profile from a completed validation study: each key item (rated in the top
    categories by more than the study's key share of respondents) requires `level`, the
    others nothing. Items are matched by code onto the organisation's framework version;
    the rule, with the study's n, is stored with the profile."""
    from rtwcomp.surveys.results import cached_analysis

    found = cached_analysis(study)
    if found is None:
        raise ProfileError(f"the study '{study.name}' has no completed response yet")
    data, analysis = found
    key_codes = set(analysis.items.loc[analysis.items["key"].fillna(False).astype(bool), "item"])
    framework = organisation.framework
    competencies = Competency.objects.filter(framework=framework, code__in=key_codes)
    rule = (
        f"From the study '{study.name}' ({len(data.responses)} respondents): each item rated "
        f"{study.top} or higher by more than {study.key_share:.0%} of respondents requires "
        f"level {level}; {competencies.count()} of its {len(analysis.items)} items; the "
        "others none."
    )
    profile = RoleProfile.objects.create(
        organisation=organisation, framework=framework, name=name, rule=rule, study=study
    )
    Requirement.objects.bulk_create(
        Requirement(profile=profile, competency=c, level=level) for c in competencies
    )
    return profile


FEEDBACK_DAYS = 14  # how long a feedback link stays valid


class FeedbackLinkError(Exception):
    """A feedback link that cannot be answered any more; the message says why."""


class UnknownLink(Exception):
    """No feedback link has this token: answered as for any page that does not exist."""


USED = _("This link has been used: each link gives one set of ratings.")


def request_feedback(
    subject: Person,
    *,
    source: str,
    rater_name: str,
    competencies: list[Competency],
    user: Any,
    days: int = FEEDBACK_DAYS,
) -> tuple[FeedbackRequest, str]:
    """A single-use link for one rater; returns the request and the token, which is not
    stored (only its hash) and so can be shown only now."""
    token = secrets.token_urlsafe(24)
    request = FeedbackRequest.objects.create(
        subject=subject,
        source=source,
        rater_name=rater_name,
        token_hash=hash_token(token),
        expires_at=timezone.now() + dt.timedelta(days=days),
        round=round_on(subject.organisation_id, timezone.localdate()),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    request.competencies.set(competencies)
    return request, token


def open_feedback(token: str) -> FeedbackRequest:
    """The request a link names, if it may still be answered."""
    found = FeedbackRequest.objects.filter(token_hash=hash_token(token)).first()
    if found is None:
        raise UnknownLink
    if found.used_at is not None:
        raise FeedbackLinkError(USED)
    if found.expires_at <= timezone.now():
        raise FeedbackLinkError(_("This link has expired. Ask whoever sent it for a new one."))
    return found


@transaction.atomic
def answer_feedback(token: str, marks: Mapping[str, Mapping[str, Any]]) -> int:
    """Keep a rater's answers and use up the link, together: a second answer through the
    same link (even at the same moment) finds it used and keeps nothing."""
    request = open_feedback(token)
    claimed = FeedbackRequest.objects.filter(pk=request.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not claimed:
        raise FeedbackLinkError(USED)
    wanted = {c.pk: c for c in request.competencies.all()}
    today = timezone.localdate()
    round_ = request.round or round_on(request.subject.organisation_id, today)
    top = request.subject.organisation.top_level
    kept = 0
    for pk, mark in marks.items():
        competency = wanted.get(int(pk))
        if competency is None or mark.get("level") is None:
            continue
        if not 0 <= mark["level"] <= top:
            raise ValueError(f"level {mark['level']} is outside 0-{top}")  # nothing kept
        Rating.objects.create(
            subject=request.subject,
            competency=competency,
            source=request.source,
            instrument=Rating.Instrument.FEEDBACK,
            level=mark["level"],
            evidence=mark.get("evidence", ""),
            rated_on=today,
            feedback=request,
            round=round_,
        )
        kept += 1
    return kept

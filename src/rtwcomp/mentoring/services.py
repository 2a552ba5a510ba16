"""Rules and writes of mentorship: capacities, pairs (made, overridden, ended), meetings and
the observations started from them.

`pair` and `end` are the only writers of pairs, and they keep `assessments.Person.mentors`
equal to the open pairs, which the assessment permission rules read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rtwcomp.assessments import services as assessments
from rtwcomp.assessments.models import Observation, Organisation, Person
from rtwcomp.frameworks.models import Competency
from rtwcomp.mentoring import selectors
from rtwcomp.mentoring.models import MAX_CAPACITY, Meeting, MentorCapacity, Mentorship


class MentoringError(ValueError):
    """A mentorship change refused, said in words for the user."""


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


@transaction.atomic
def set_capacities(organisation: Organisation, capacities: dict[int, int]) -> None:
    """Set mentors' capacities (person id -> 0..MAX_CAPACITY), all or none."""
    mentors = {p.pk: p for p in organisation.people.filter(is_mentor=True, pk__in=capacities)}
    if set(capacities) - set(mentors):
        raise MentoringError(_("Only the organisation's mentors have a capacity."))
    if any(not 0 <= c <= MAX_CAPACITY for c in capacities.values()):
        raise MentoringError(_("A capacity is from 0 to %(max)d mentees.") % {"max": MAX_CAPACITY})
    for pk, capacity in capacities.items():
        MentorCapacity.objects.update_or_create(person=mentors[pk], defaults={"capacity": capacity})


@transaction.atomic
def pair(
    mentor: Person,
    mentee: Person,
    *,
    made_by: str,
    user: Any,
    reason: str = "",
    on: dt.date | None = None,
) -> Mentorship:
    """Open a pair and link the mentor to the mentee (`Person.mentors`)."""
    _check_pairable(mentor, mentee)
    made = Mentorship.objects.create(
        mentor=mentor,
        mentee=mentee,
        since=on or timezone.localdate(),
        made_by=made_by,
        reason=reason,
        by=_user(user),
    )
    mentee.mentors.add(mentor)
    return made


def _check_pairable(mentor: Person, mentee: Person) -> None:
    if mentor.pk == mentee.pk:
        raise MentoringError(_("Nobody mentors themself."))
    if mentor.organisation_id != mentee.organisation_id or not mentor.is_mentor:
        raise MentoringError(_("%(name)s is not a mentor here.") % {"name": mentor.name})


@transaction.atomic
def end(pair: Mentorship, user: Any, on: dt.date | None = None) -> Mentorship:
    """Close an open pair and unlink the mentor from the mentee."""
    locked = Mentorship.objects.select_for_update().get(pk=pair.pk)
    if locked.until is not None:
        raise MentoringError(_("This pair has ended already."))
    locked.until = max(on or timezone.localdate(), locked.since)
    locked.save(update_fields=["until"])
    locked.mentee.mentors.remove(locked.mentor)
    return locked


def record_people_file_links(organisation: Organisation, user: Any) -> int:
    """Record as pairs the links a people file made (`Person.mentors` without an open pair),
    so every current link has a pair page; the number recorded."""
    recorded = 0
    for link in selectors.current_links(organisation):
        if link["pair"] is None:
            Mentorship.objects.create(
                mentor=link["mentor"],
                mentee=link["mentee"],
                since=timezone.localdate(),
                made_by=Mentorship.MadeBy.PEOPLE_FILE,
                reason=_("Named as mentor in the people file."),
                by=_user(user),
            )
            recorded += 1
    return recorded


@transaction.atomic
def apply_matching(organisation: Organisation, basis: selectors.Basis, user: Any) -> list[Any]:
    """Make every proposed pair, computed afresh in this transaction; the pairs made."""
    list(Organisation.objects.select_for_update().filter(pk=organisation.pk))
    record_people_file_links(organisation, user)
    proposed = selectors.proposal(organisation, basis)["pairs"]
    return [
        pair(
            row["mentor"],
            row["mentee"],
            made_by=Mentorship.MadeBy.MATCHING,
            user=user,
            reason=selectors.reason_text(row),
        )
        for row in proposed
    ]


@transaction.atomic
def override(mentee: Person, mentor: Person, user: Any, reason: str = "") -> Mentorship:
    """Give `mentee` the mentor an admin chose: their open pairs end, the new one opens.
    Refused when the mentor has no place left."""
    _check_pairable(mentor, mentee)
    list(Organisation.objects.select_for_update().filter(pk=mentee.organisation_id))
    record_people_file_links(mentee.organisation, user)
    current = Mentorship.objects.filter(mentee=mentee, until__isnull=True)
    if current.filter(mentor=mentor).exists():
        raise MentoringError(
            _("%(mentor)s mentors %(mentee)s already.")
            % {"mentor": mentor.name, "mentee": mentee.name}
        )
    places = {row["person"].pk: row["left"] for row in selectors.capacities(mentee.organisation)}
    if places.get(mentor.pk, 0) < 1:
        raise MentoringError(
            _("%(name)s has no place left: raise their capacity first.") % {"name": mentor.name}
        )
    for open_pair in current:
        end(open_pair, user)
    text = reason or _("Chosen by a programme admin.")
    return pair(mentor, mentee, made_by=Mentorship.MadeBy.OVERRIDE, user=user, reason=text)


@transaction.atomic
def log_meeting(
    pair: Mentorship,
    user: Any,
    *,
    held_on: dt.date,
    competencies: Iterable[Competency] = (),
    notes: str = "",
    next_steps: str = "",
    goals: Iterable[Any] = (),
) -> Meeting:
    """Keep one meeting of an open pair, with what was discussed and the plan goals it
    served (goals of the mentee's plans only)."""
    if pair.until is not None:
        raise MentoringError(_("This pair has ended: its meeting log is closed."))
    goals = list(goals)
    if any(g.plan.person_id != pair.mentee_id for g in goals):
        raise MentoringError(_("Only goals of the mentee's own plans can be linked."))
    framework = pair.mentee.organisation.framework_id
    competencies = list(competencies)
    if any(c.framework_id != framework for c in competencies):
        raise MentoringError(_("Only competencies of the organisation's framework."))
    meeting = Meeting.objects.create(
        mentorship=pair,
        held_on=held_on,
        notes=notes,
        next_steps=next_steps,
        recorded_by=_user(user),
    )
    meeting.competencies.set(competencies)
    meeting.goals.set(goals)
    return meeting


@transaction.atomic
def observe_from(
    meeting: Meeting, *, activity: str, observed_on: dt.date, setting: str = ""
) -> Observation:
    """A draft direct observation of the mentee by the mentor, with the competencies the
    meeting discussed already on it (not rated yet), linked to the meeting."""
    pair = meeting.mentorship
    if pair.until is not None:
        raise MentoringError(_("This pair has ended."))
    if activity not in pair.mentee.organisation.activities:
        raise MentoringError(_("Choose one of the organisation's RTW activities."))
    marks = {
        str(c.pk): {"level": None, "evidence": "", "indicators": {}}
        for c in meeting.competencies.all()
    }
    started = assessments.start_observation(
        pair.mentee,
        pair.mentor,
        activity=activity,
        setting=setting,
        observed_on=observed_on,
        marks=marks,
    )
    meeting.observations.add(started)
    return started


def first_group(meeting: Meeting) -> str:
    """The key of the framework group of the meeting's first competency discussed ('' if none):
    where the observation page opens."""
    first = meeting.competencies.select_related("group").order_by("group__position").first()
    return first.group.key if first is not None else ""

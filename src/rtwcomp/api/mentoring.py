"""Mentor-mentee pairs and their meetings, for whoever may see each pair (the mentor, the
mentee, their organisation's programme admins); meetings are logged by the pair only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from rtwcomp import permissions
from rtwcomp.api.auth import signed_in
from rtwcomp.api.errors import INVALID, NOT_FOUND, REFUSED, UNAUTHORIZED
from rtwcomp.mentoring import selectors, services
from rtwcomp.mentoring.models import MAX_NEXT_STEPS, MAX_NOTES, Meeting, Mentorship

router = Router(tags=["mentoring"], auth=signed_in)

MAX_CHOSEN = 200  # competencies or goals named by one meeting


class MentorshipOut(Schema):
    id: int
    organisation: str
    mentor: str
    mentee: str
    since: dt.date
    until: dt.date | None
    made_by: str
    reason: str
    meetings: int


class MeetingOut(Schema):
    id: int
    held_on: dt.date
    competencies: list[str]
    notes: str
    next_steps: str
    goals: list[int]


class MeetingIn(Schema):
    held_on: dt.date
    competencies: list[str] = Field(default_factory=list, max_length=MAX_CHOSEN)
    notes: str = Field("", max_length=MAX_NOTES)
    next_steps: str = Field("", max_length=MAX_NEXT_STEPS)
    goals: list[int] = Field(default_factory=list, max_length=MAX_CHOSEN)


def _pair_out(pair: Mentorship) -> dict[str, Any]:
    return {
        "id": pair.pk,
        "organisation": pair.mentee.organisation.slug,
        "mentor": pair.mentor.name,
        "mentee": pair.mentee.name,
        "since": pair.since,
        "until": pair.until,
        "made_by": pair.made_by,
        "reason": pair.reason,
        "meetings": pair.meetings.count(),
    }


def _meeting_out(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "held_on": meeting.held_on,
        "competencies": [c.code for c in meeting.competencies.all()],
        "notes": meeting.notes,
        "next_steps": meeting.next_steps,
        "goals": [g.pk for g in meeting.goals.all()],
    }


@router.get("/mentorships", response={200: list[MentorshipOut], **UNAUTHORIZED})
def list_mentorships(request: HttpRequest) -> list[dict[str, Any]]:
    """The pairs this user may see, open ones first."""
    return [_pair_out(p) for p in selectors.pairs(request.user)]


@router.get(
    "/mentorships/{mentorship_id}",
    response={200: MentorshipOut, **UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def get_mentorship(request: HttpRequest, mentorship_id: int) -> dict[str, Any]:
    return _pair_out(selectors.pair_or_404(request.user, mentorship_id))


@router.get(
    "/mentorships/{mentorship_id}/meetings",
    response={200: list[MeetingOut], **UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def list_meetings(request: HttpRequest, mentorship_id: int) -> list[dict[str, Any]]:
    """The pair's meetings, newest first."""
    pair = selectors.pair_or_404(request.user, mentorship_id)
    meetings = pair.meetings.prefetch_related("competencies", "goals")
    return [_meeting_out(m) for m in meetings]


@router.post(
    "/mentorships/{mentorship_id}/meetings",
    response={201: MeetingOut, **REFUSED, **UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def create_meeting(request: HttpRequest, mentorship_id: int, body: MeetingIn) -> Any:
    """Log a meeting of an open pair (its mentor or mentee only). Competencies by code in
    the organisation's framework; goals by id, of the mentee's plans."""
    pair = selectors.pair_or_404(request.user, mentorship_id)
    if not permissions.may_log_meeting(request.user, pair):
        raise Http404
    choices = selectors.meeting_choices(pair)
    competencies = list(choices["competencies"].filter(code__in=body.competencies))
    goals = list(choices["goals"].filter(pk__in=[g for g in body.goals if 0 < g < 2**63]))
    unknown = set(body.competencies) - {c.code for c in competencies}
    unknown |= {str(g) for g in body.goals} - {str(g.pk) for g in goals}
    if unknown:
        listed = ", ".join(sorted(unknown))
        return Status(400, {"detail": f"not in this pair's framework or plans: {listed}"})
    try:
        made = services.log_meeting(
            pair, request.user, held_on=body.held_on, competencies=competencies,
            notes=body.notes, next_steps=body.next_steps, goals=goals,
        )  # fmt: skip
    except services.MentoringError as error:
        return Status(400, {"detail": str(error)})
    return Status(201, _meeting_out(made))

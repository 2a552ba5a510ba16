"""Interview guides, candidates and score sheets, for a vacancy's hiring panel and its
organisation's programme admins; anyone else gets 404, as for a vacancy that does not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from rtwcomp import permissions
from rtwcomp.api.auth import signed_in
from rtwcomp.api.errors import INVALID, NOT_FOUND, REFUSED, UNAUTHORIZED
from rtwcomp.selection import selectors, services
from rtwcomp.selection.models import MAX_NOTE, MAX_NOTES, Candidate, ScoreSheet

router = Router(tags=["selection"], auth=signed_in)


class AnchorOut(Schema):
    level: int
    label: str
    text: str


class QuestionOut(Schema):
    id: int
    position: int
    competency: str
    weight: int
    reasons: list[str]
    question: str
    question_fr: str
    indicators: list[str]
    rubric: list[AnchorOut]


class GuideOut(Schema):
    id: int
    name: str
    profile: str
    rule: str
    questions: list[QuestionOut]


class CandidateIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field("", max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")
    notes: str = Field("", max_length=MAX_NOTES)


class CandidateOut(Schema):
    id: int
    name: str
    email: str
    notes: str


class ScoreIn(Schema):
    question: int
    score: int | None = Field(None, ge=0, le=4)
    note: str = Field("", max_length=MAX_NOTE)


class SheetIn(Schema):
    scores: list[ScoreIn] = Field(default_factory=list, max_length=100)
    submit: bool = False


class ScoreOut(Schema):
    question: int
    score: int
    note: str


class SheetOut(Schema):
    interviewer: str
    submitted_at: dt.datetime | None
    scores: list[ScoreOut]


@router.get("/guides/{guide_id}", response={200: GuideOut, **UNAUTHORIZED, **NOT_FOUND, **INVALID})
def get_guide(request: HttpRequest, guide_id: int) -> dict[str, Any]:
    """An interview guide: its questions in order, weights, rubrics (0-4)."""
    guide = selectors.guide_or_404(request.user, guide_id)
    questions = [
        {
            "id": row["item"].pk,
            "position": row["item"].position,
            "competency": row["competency"].code,
            "weight": row["item"].weight,
            "reasons": row["item"].reasons,
            "question": row["item"].question,
            "question_fr": row["item"].question_fr,
            "indicators": row["indicators"],
            "rubric": row["anchors"],
        }
        for row in selectors.item_rows(guide)
    ]
    return {"id": guide.pk, "name": guide.name, "profile": guide.profile.name,
            "rule": guide.rule, "questions": questions}  # fmt: skip


def _candidate_out(candidate: Candidate) -> dict[str, Any]:
    return {"id": candidate.pk, "name": candidate.name, "email": candidate.email,
            "notes": candidate.notes}  # fmt: skip


@router.get(
    "/vacancies/{vacancy_id}/candidates",
    response={200: list[CandidateOut], **UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def list_candidates(request: HttpRequest, vacancy_id: int) -> list[dict[str, Any]]:
    vacancy = selectors.vacancy_or_404(request.user, vacancy_id)
    return [_candidate_out(c) for c in vacancy.candidates.all()]


@router.post(
    "/vacancies/{vacancy_id}/candidates",
    response={201: CandidateOut, **REFUSED, **UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def create_candidate(request: HttpRequest, vacancy_id: int, payload: CandidateIn) -> Status:
    vacancy = selectors.vacancy_or_404(request.user, vacancy_id, "selection.change_vacancy")
    return Status(201, _candidate_out(services.add_candidate(vacancy, **payload.dict())))


def _sheet_out(sheet: ScoreSheet) -> dict[str, Any]:
    return {
        "interviewer": sheet.interviewer.get_username(),
        "submitted_at": sheet.submitted_at,
        "scores": [
            {"question": s.item_id, "score": s.score, "note": s.note} for s in sheet.scores.all()
        ],
    }


@router.get(
    "/candidates/{candidate_id}/scores",
    response={200: list[SheetOut], **UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def list_scores(request: HttpRequest, candidate_id: int) -> list[dict[str, Any]]:
    """The caller's own sheet, and the others' submitted sheets once theirs is submitted
    (a programme admin not on the panel sees every submitted sheet)."""
    candidate = selectors.candidate_or_404(request.user, candidate_id)
    own = selectors.sheet_of(candidate, request.user)
    others = [s for s in selectors.submitted_sheets(candidate, request.user) if s != own]
    return [_sheet_out(s) for s in ([own] if own else []) + others]


@router.post(
    "/candidates/{candidate_id}/scores",
    response={201: SheetOut, **REFUSED, **UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def create_scores(request: HttpRequest, candidate_id: int, payload: SheetIn) -> Status:
    """Keep the caller's scores of a candidate (panel members only); `submit` closes the
    sheet and shows it to the panel. A sheet the rules refuse (submitted already, a
    question of another guide, nothing scored) answers 400 saying why."""
    candidate = selectors.candidate_or_404(request.user, candidate_id)
    if not permissions.may_score(request.user, candidate.vacancy):
        raise Http404
    marks = {s.question: (s.score, s.note) for s in payload.scores}
    try:
        sheet = services.save_sheet(candidate, request.user, marks, submit=payload.submit)
    except services.SelectionError as error:
        return Status(400, {"detail": str(error)})
    return Status(201, _sheet_out(sheet))

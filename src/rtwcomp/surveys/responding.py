"""What happens as a respondent fills a study in: pages, answers, resume codes, submission.

Every call that changes data runs in one transaction, committed before the view answers;
answers are upserted per (response, item), so a page sent twice is stored once.

An invitation gives one completed response per round, however many browsers open it: the
submission inserts an `InvitationUse` (unique per invitation and round) in the same
transaction, so a second submission meets the database constraint and is discarded.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from rtwcomp.surveys.models import (
    ACQUIRED_CHOICES,
    MAINTAINED_CHOICES,
    Answer,
    Invitation,
    InvitationUse,
    Question,
    Response,
    Round,
    Study,
    StudyItem,
)

RESUME_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class Closed(Exception):
    """The study or this invitation takes no more answers."""


class Submitted(enum.Enum):
    """What became of a submission."""

    DONE = "done"
    #: the invitation had already been used for this round: the response was discarded
    ALREADY_USED = "already used"
    #: an invitations-only study, but the respondent's browser holds no invitation
    NEEDS_INVITATION = "needs invitation"


def already_used_message() -> str:
    return _("This invitation has already been used to answer.")


@dataclass
class PageResult:
    """Problems found on a submitted page, by field name; `warned` for soft-required."""

    errors: dict[str, str] = field(default_factory=dict)
    warned: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and not self.warned


def page_count(study: Study, round_: Round) -> int:
    """Item pages plus the closing page of questions about the respondent."""
    items = round_.items.count()
    per_page = max(1, study.items_per_page)
    return -(-items // per_page) + (1 if _asks_questions(study, round_) else 0)


def _asks_questions(study: Study, round_: Round) -> bool:
    return round_.number == 1 and study.questions.exists()


def page_items(study: Study, round_: Round, page: int) -> list[StudyItem]:
    """The items of one page, fetched alone: respondents load a page at a time."""
    per_page = max(1, study.items_per_page)
    items = round_.items.select_related("competency").order_by("position")
    return list(items[(page - 1) * per_page : page * per_page])


def is_question_page(study: Study, round_: Round, page: int, total: int) -> bool:
    return page == total and _asks_questions(study, round_)


def invitation_used(invitation: Invitation, round_: Round) -> bool:
    return InvitationUse.objects.filter(invitation=invitation, round=round_).exists()


def start(study: Study, *, language: str = "", invitation: Invitation | None = None) -> Response:
    """A new response in the study's current round (linked to the invitation unless anonymous).

    `language` is the one the respondent chose on the study's pages, if any; nothing is
    taken from the invitation. In a confidential study every browser that opens the same
    invitation continues the same response (one per invitation and round, a constraint).
    """
    if study.status != Study.Status.OPEN:
        raise Closed(_("This study is not open."))
    round_ = study.current_round()
    if invitation is not None and invitation_used(invitation, round_):
        raise Closed(already_used_message())
    linked = None if study.anonymous else invitation
    if linked is not None:
        existing = Response.objects.filter(round=round_, invitation=linked).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return Response.objects.create(
                study=study,
                round=round_,
                invitation=linked,
                language=language,
                started_on=timezone.localdate(),
                page=1,
            )
    except IntegrityError:
        if linked is None:
            raise
        # another browser opened the same invitation at the same moment
        return Response.objects.get(round=round_, invitation=linked)


def _valid_value(study: Study, raw: str) -> int | None:
    if raw.isdigit() and study.scale_min <= int(raw) <= study.scale_max:
        return int(raw)
    return None


@transaction.atomic(savepoint=False)
def save_items(
    response: Response, items: list[StudyItem], data: Any, page: int, *, finishing: bool
) -> PageResult:
    """Store the page's answers; check them by the study's answer rule.

    `finishing` is true when the respondent moves forward (next or submit); going back or
    saving for later never blocks on unanswered items.
    """
    study = response.study
    result = PageResult()
    acquired_ok = {c[0] for c in ACQUIRED_CHOICES}
    maintained_ok = {c[0] for c in MAINTAINED_CHOICES}
    rows = []
    unanswered = []
    for item in items:
        raw = str(data.get(f"item-{item.pk}", "")).strip()
        value = _valid_value(study, raw)
        if raw and value is None:
            result.errors[f"item-{item.pk}"] = _("Choose one of the scale points.")
        acquired = str(data.get(f"acquired-{item.pk}", "")).strip()
        if acquired and acquired not in acquired_ok:
            result.errors[f"acquired-{item.pk}"] = _("Choose one of the listed ways.")
            acquired = ""
        maintained = str(data.get(f"maintained-{item.pk}", "")).strip()
        if maintained and maintained not in maintained_ok:
            result.errors[f"maintained-{item.pk}"] = _("Choose one of the listed ways.")
            maintained = ""
        if value is None and not raw:
            unanswered.append(item)
        rows.append(
            Answer(
                response=response, item=item, value=value, acquired=acquired, maintained=maintained
            )
        )
    if rows:
        Answer.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["response", "item"],
            update_fields=["value", "acquired", "maintained"],
        )
    if finishing and unanswered and not result.errors:
        if study.answer_rule == Study.AnswerRule.REQUIRED:
            for item in unanswered:
                result.errors[f"item-{item.pk}"] = _("Please rate this competency.")
        elif study.answer_rule == Study.AnswerRule.SOFT and page not in response.warned_pages:
            response.warned_pages = [*response.warned_pages, page]
            response.save(update_fields=["warned_pages"])
            result.warned = True
    return result


@transaction.atomic(savepoint=False)
def save_questions(
    response: Response, questions: list[Question], data: Any, *, finishing: bool
) -> PageResult:
    """Store the answers about the respondent (kept in `Response.attributes`)."""
    result = PageResult()
    attributes = dict(response.attributes)
    for question in questions:
        name = f"q-{question.key}"
        allowed = {str(c["value"]) for c in question.choices}
        if question.kind == Question.Kind.MULTI:
            values = [v for v in data.getlist(name) if v]
            if any(v not in allowed for v in values):
                result.errors[name] = _("Choose from the listed options.")
                continue
            attributes[question.key] = values
            missing = not values
        else:
            value = str(data.get(name, "")).strip()[:200]
            if question.kind == Question.Kind.CHOICE and value and value not in allowed:
                result.errors[name] = _("Choose one of the listed options.")
                continue
            if question.kind == Question.Kind.NUMBER and value:
                try:
                    number = float(value.replace(",", "."))
                except ValueError:
                    number = -1
                if not 0 <= number <= 100:
                    result.errors[name] = _("Enter a number from 0 to 100.")
                    continue
                value = f"{number:g}"
            attributes[question.key] = value
            missing = not value
        if finishing and question.required and missing:
            result.errors[name] = _("This question needs an answer.")
    response.attributes = attributes
    response.save(update_fields=["attributes"])
    return result


def set_language(response: Response, language: str) -> None:
    """The language the respondent chose on the study's pages."""
    response.language = language
    Response.objects.filter(pk=response.pk).update(language=language)


def _invitation(response: Response, invitation_token: str | None) -> Invitation | None:
    if response.invitation_id is not None:
        return response.invitation
    if not invitation_token:
        return None
    return Invitation.objects.filter(study_id=response.study_id, token=invitation_token).first()


@transaction.atomic
def submit(response: Response, invitation_token: str | None) -> Submitted:
    """Mark the response complete; the invitation records only that its round is done.

    The invitation's use is inserted in the same transaction: when another browser has
    already completed this round with the same invitation, the unique constraint refuses
    it, and this response and its answers are discarded (`ALREADY_USED`).
    """
    locked = Response.objects.select_for_update().filter(pk=response.pk).first()
    if locked is None:
        return Submitted.ALREADY_USED
    if locked.submitted_on is not None:
        return Submitted.DONE
    study = response.study
    invitation = _invitation(locked, invitation_token)
    if invitation is None and study.access == Study.Access.INVITATION:
        return Submitted.NEEDS_INVITATION
    if invitation is not None:
        try:
            with transaction.atomic():
                InvitationUse.objects.create(invitation=invitation, round_id=locked.round_id)
        except IntegrityError:
            locked.delete()
            return Submitted.ALREADY_USED
    locked.submitted_on = timezone.localdate()
    locked.save(update_fields=["submitted_on"])
    response.submitted_on = locked.submitted_on
    return Submitted.DONE


def new_resume_code(response: Response) -> str:
    """A fresh code to resume on another device; only its hash is stored."""
    code = "".join(secrets.choice(RESUME_ALPHABET) for _ in range(12))
    response.resume_hash = hash_code(code)
    response.save(update_fields=["resume_hash"])
    return "-".join(code[i : i + 4] for i in range(0, 12, 4))


def hash_code(code: str) -> str:
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


def find_by_resume_code(study: Study, code: str) -> Response | None:
    """The unfinished response this code was given for (compared through its hash)."""
    if not code.strip():
        return None
    return Response.objects.filter(
        study=study, resume_hash=hash_code(code), submitted_on__isnull=True
    ).first()


def previous_ratings(response: Response) -> dict[int, int]:
    """{study item id: this panellist's rating in the previous round} (Delphi)."""
    if response.round.number == 1 or response.invitation_id is None:
        return {}
    earlier = Response.objects.filter(
        invitation_id=response.invitation_id, round__number=response.round.number - 1
    ).first()
    if earlier is None:
        return {}
    return dict(earlier.answers.filter(value__isnull=False).values_list("item_id", "value"))


def previous_distribution(study: Study, round_: Round) -> dict[int, dict[int, int]]:
    """{study item id: {scale value: count}} of the previous round's completed responses."""
    if round_.number == 1:
        return {}
    rows = (
        Answer.objects.filter(
            response__round__study=study,
            response__round__number=round_.number - 1,
            response__submitted_on__isnull=False,
            value__isnull=False,
        )
        .values("item_id", "value")
        .annotate(n=Count("id"))
    )
    counts: dict[int, dict[int, int]] = {}
    for row in rows:
        counts.setdefault(row["item_id"], {})[row["value"]] = row["n"]
    return counts

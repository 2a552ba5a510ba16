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
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from rtwcomp.surveys import throttle
from rtwcomp.surveys.models import (
    ACQUIRED_CHOICES,
    MAINTAINED_CHOICES,
    Answer,
    Invitation,
    InvitationUse,
    Question,
    Round,
    Study,
    StudyItem,
    SurveyResponse,
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


def takes_invitation(response: SurveyResponse, held_token: str, invitation: Invitation) -> bool:
    """Whether unfinished anonymous answers, resumed with a code in a browser that holds no
    invitation (`held_token` empty), may be submitted with `invitation` (not yet used for
    their round)."""
    return (
        not held_token
        and response.study.anonymous
        and not response.completed
        and not invitation_used(invitation, response.round)
    )


def start(
    study: Study, *, language: str = "", invitation: Invitation | None = None
) -> SurveyResponse:
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
        existing = SurveyResponse.objects.filter(round=round_, invitation=linked).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
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
        return SurveyResponse.objects.get(round=round_, invitation=linked)


def start_test(study: Study, *, language: str = "") -> SurveyResponse:
    """A test response: the researcher tries the instrument of a draft or open study as a
    respondent would. It is marked `is_test`, so results, counts, exports, reports and the
    API never see it (`SurveyResponseQuerySet.completed`), and deleted on demand."""
    if study.status not in (Study.Status.DRAFT, Study.Status.OPEN):
        raise Closed(_("Only a draft or open study can be tested."))
    return SurveyResponse.objects.create(
        study=study,
        round=study.current_round(),
        language=language,
        started_on=timezone.localdate(),
        page=1,
        is_test=True,
    )


def delete_test_responses(study: Study) -> int:
    """Delete the study's test responses and their answers; the number deleted."""
    tests = SurveyResponse.objects.filter(study=study, is_test=True)
    count = tests.count()
    tests.delete()
    return count


def _valid_value(study: Study, raw: str) -> int | None:
    if raw.isdigit() and study.scale_min <= int(raw) <= study.scale_max:
        return int(raw)
    return None


@transaction.atomic(savepoint=False)
def save_items(
    response: SurveyResponse, items: list[StudyItem], data: Any, page: int, *, finishing: bool
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
    response: SurveyResponse, questions: list[Question], data: Any, *, finishing: bool
) -> PageResult:
    """Store the answers about the respondent (kept in `SurveyResponse.attributes`)."""
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
        _store_other(question, data, attributes, result)
        if finishing and question.required and missing:
            result.errors[name] = _("This question needs an answer.")
    response.attributes = attributes
    response.save(update_fields=["attributes"])
    return result


OTHER_TEXT_MAX = 200


def _store_other(
    question: Question, data: Any, attributes: dict[str, Any], result: PageResult
) -> None:
    """The text of an "other, please specify" choice (field `q-<key>_other`), kept as
    attribute `<key>_other` only while that choice is chosen."""
    specify = {str(c["value"]) for c in question.choices if c.get("specify")}
    if not specify:
        return
    chosen = attributes.get(question.key)
    chosen = chosen if isinstance(chosen, list) else [chosen]
    text = str(data.get(f"q-{question.key}_other", "")).strip()
    if len(text) > OTHER_TEXT_MAX:
        result.errors[f"q-{question.key}"] = _("Say it in at most %(n)d characters.") % {
            "n": OTHER_TEXT_MAX
        }
    elif text and specify & {str(c) for c in chosen}:
        attributes[f"{question.key}_other"] = text
    else:
        attributes.pop(f"{question.key}_other", None)


def current_response(study: Study, key: str) -> SurveyResponse | None:
    """The response whose secret `key` the respondent's browser holds, if it belongs to the
    study's current round (answers of a closed Delphi round are not continued)."""
    response = SurveyResponse.objects.select_related("round").filter(study=study, key=key).first()
    if response is None or not in_current_round(study, response):
        return None
    response.study = study  # already loaded: spare a query on every page
    return response


def in_current_round(study: Study, response: SurveyResponse) -> bool:
    return response.round_id == study.current_round().pk


@dataclass(frozen=True)
class CodeCheck:
    """A code tried on a form: right or not; `retry_after` seconds when refused unchecked
    because of too many wrong tries (see `throttle`)."""

    ok: bool
    retry_after: int = 0


def check_access_code(study: Study, code: str, address: str) -> CodeCheck:
    """An open link's access code, compared in constant time and throttled per client
    address and per study; a right code does not count as a try."""
    if not study.access_code:
        return CodeCheck(ok=True)
    tried = throttle.attempt(throttle.ACCESS_CODE, study, address)
    if not tried.allowed:
        return CodeCheck(ok=False, retry_after=tried.retry_after)
    if not constant_time_compare(code.strip(), study.access_code):
        return CodeCheck(ok=False)
    throttle.give_back(tried)
    return CodeCheck(ok=True)


@dataclass(frozen=True)
class Resumed:
    """The unfinished response of the current round a resume code was given for, if any;
    `retry_after` seconds when refused unchecked because of too many wrong tries."""

    response: SurveyResponse | None
    retry_after: int = 0


def resume(study: Study, code: str, address: str) -> Resumed:
    """Find unfinished answers by their resume code (throttled like the access code)."""
    tried = throttle.attempt(throttle.RESUME_CODE, study, address)
    if not tried.allowed:
        return Resumed(None, retry_after=tried.retry_after)
    response = find_by_resume_code(study, code[:40])
    if response is None or not in_current_round(study, response):
        return Resumed(None)
    throttle.give_back(tried)
    return Resumed(response)


def set_language(response: SurveyResponse, language: str) -> None:
    """The language the respondent chose on the study's pages."""
    response.language = language
    SurveyResponse.objects.filter(pk=response.pk).update(language=language)


def _invitation(response: SurveyResponse, invitation_token: str | None) -> Invitation | None:
    if response.invitation_id is not None:
        return response.invitation
    if not invitation_token:
        return None
    return Invitation.objects.filter(study_id=response.study_id, token=invitation_token).first()


@transaction.atomic
def submit(response: SurveyResponse, invitation_token: str | None) -> Submitted:
    """Mark the response complete; the invitation records only that its round is done.

    The invitation's use is inserted in the same transaction: when another browser has
    already completed this round with the same invitation, the unique constraint refuses
    it, and this response and its answers are discarded (`ALREADY_USED`).
    """
    locked = SurveyResponse.objects.select_for_update().filter(pk=response.pk).first()
    if locked is None:
        return Submitted.ALREADY_USED
    if locked.submitted_on is not None:
        return Submitted.DONE
    study = response.study
    invitation = None if locked.is_test else _invitation(locked, invitation_token)
    if invitation is None and study.access == Study.Access.INVITATION and not locked.is_test:
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


def resume_code(response: SurveyResponse) -> str:
    """The code to finish these answers elsewhere; none for a confidential response linked
    to its invitation, whose personal link resumes it."""
    if response.invitation_id and not response.study.anonymous:
        return ""
    return new_resume_code(response)


def new_resume_code(response: SurveyResponse) -> str:
    """A fresh code to resume on another device; only its hash is stored."""
    code = "".join(secrets.choice(RESUME_ALPHABET) for _ in range(12))
    response.resume_hash = hash_code(code)
    response.save(update_fields=["resume_hash"])
    return "-".join(code[i : i + 4] for i in range(0, 12, 4))


def hash_code(code: str) -> str:
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


def find_by_resume_code(study: Study, code: str) -> SurveyResponse | None:
    """The unfinished response this code was given for (compared through its hash)."""
    if not code.strip():
        return None
    return SurveyResponse.objects.filter(
        study=study, resume_hash=hash_code(code), submitted_on__isnull=True
    ).first()


def previous_ratings(response: SurveyResponse) -> dict[int, int]:
    """{study item id: this panellist's rating in the previous round} (Delphi)."""
    if response.round.number == 1 or response.invitation_id is None:
        return {}
    earlier = SurveyResponse.objects.filter(
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
            response__in=SurveyResponse.objects.completed().filter(
                round__study=study, round__number=round_.number - 1
            ),
            value__isnull=False,
        )
        .values("item_id", "value")
        .annotate(n=Count("id"))
    )
    counts: dict[int, dict[int, int]] = {}
    for row in rows:
        counts.setdefault(row["item_id"], {})[row["value"]] = row["n"]
    return counts


@dataclass(frozen=True)
class PageContent:
    """What one page asks: items, or (on the closing page) the questions about the
    respondent."""

    number: int
    total: int
    items: list[StudyItem]
    questions: list[Question]
    asks_questions: bool


def page_content(study: Study, round_: Round, number: int) -> PageContent | None:
    """Page `number` of the round, or None when the round has no such page."""
    total = page_count(study, round_)
    if not 1 <= number <= total:
        return None
    asks = is_question_page(study, round_, number, total)
    items = [] if asks else page_items(study, round_, number)
    return PageContent(number, total, items, list(study.questions.all()) if asks else [], asks)


def stored_values(response: SurveyResponse, items: list[StudyItem]) -> dict[str, Any]:
    """The answers already given on a page, by form field name."""
    values: dict[str, Any] = {}
    for answer in response.answers.filter(item__in=items):
        values[f"item-{answer.item_id}"] = "" if answer.value is None else str(answer.value)
        values[f"acquired-{answer.item_id}"] = answer.acquired
        values[f"maintained-{answer.item_id}"] = answer.maintained
    for key, value in response.attributes.items():
        values[f"q-{key}"] = value
    return values


class Step(enum.Enum):
    """Where a sent page leads."""

    #: the answers were discarded meanwhile (another browser used the invitation)
    GONE = "gone"
    #: the answers were already submitted (in another browser)
    COMPLETED = "completed"
    #: the page has problems (or a soft-required warning) to show
    SHOW = "show"
    BACK = "back"
    SAVED = "saved"
    NEXT = "next"
    SUBMITTED = "submitted"


@dataclass(frozen=True)
class PageOutcome:
    step: Step
    result: PageResult = field(default_factory=PageResult)
    #: with SAVED: the resume code to show ("" when the personal link resumes)
    code: str = ""
    #: with SUBMITTED: what became of the submission
    submitted: Submitted = Submitted.DONE


@transaction.atomic
def answer_page(
    response: SurveyResponse, content: PageContent, data: Any, action: str, token: str
) -> PageOutcome:
    """Store a sent page and take the step it asks for (back, save, next or submit),
    committed together. `token` is the invitation the respondent's browser holds, if any."""
    # Another browser may have finished or discarded these answers meanwhile.
    submitted = list(
        SurveyResponse.objects.select_for_update()
        .filter(pk=response.pk)
        .values_list("submitted_on", flat=True)
    )
    if not submitted:
        return PageOutcome(Step.GONE)
    if submitted[0] is not None:
        return PageOutcome(Step.COMPLETED)
    finishing = action in ("next", "submit")
    if content.asks_questions:
        result = save_questions(response, content.questions, data, finishing=finishing)
    else:
        result = save_items(response, content.items, data, content.number, finishing=finishing)
    if result.errors or (finishing and not result.ok):
        return PageOutcome(Step.SHOW, result)
    return _step(response, content, action, token)


def _step(response: SurveyResponse, content: PageContent, action: str, token: str) -> PageOutcome:
    if action == "back":
        return PageOutcome(Step.BACK)
    if action == "save":
        return PageOutcome(Step.SAVED, code=resume_code(response))
    if content.number < content.total:
        advance(response, content.number + 1)
        return PageOutcome(Step.NEXT)
    return PageOutcome(Step.SUBMITTED, submitted=submit(response, token or None))


def advance(response: SurveyResponse, page: int) -> None:
    """Record that the respondent reached `page` (progress never goes back)."""
    if response.page < page:
        SurveyResponse.objects.filter(pk=response.pk, page__lt=page).update(page=page)

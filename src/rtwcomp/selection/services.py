"""The rules and writes of selection: questions, guides, vacancies, candidates, scores."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rtwcomp.assessments.gaps import PERSONAL_ATTRIBUTE
from rtwcomp.assessments.models import LEVELS, Organisation, RoleProfile
from rtwcomp.frameworks.models import Competency
from rtwcomp.selection import rubric
from rtwcomp.selection.models import (
    MAX_QUESTIONS,
    Candidate,
    GuideItem,
    InterviewGuide,
    InterviewQuestion,
    Score,
    ScoreSheet,
    Vacancy,
)


class SelectionError(ValueError):
    """A refusal, said in words for the user."""


def question_for(organisation: Organisation, competency: Competency) -> tuple[str, str, bool]:
    """The organisation's question on `competency` in English and French, and whether it
    was written (False: the default wording, not saved yet)."""
    saved = InterviewQuestion.objects.filter(
        organisation=organisation, competency=competency
    ).first()
    if saved is not None:
        return saved.text, saved.text_fr, True
    return (*_default(competency), False)


def _default(competency: Competency) -> tuple[str, str]:
    return rubric.default_question(competency.statement, competency.translated("statement", "fr"))


def save_question(
    organisation: Organisation, competency: Competency, *, text: str, text_fr: str, user: Any
) -> InterviewQuestion:
    """Write the organisation's question on a competency of its framework."""
    if competency.framework_id != organisation.framework_id:
        raise SelectionError(_("This competency is not in the organisation's framework."))
    found, _created = InterviewQuestion.objects.update_or_create(
        organisation=organisation,
        competency=competency,
        defaults={"text": text.strip(), "text_fr": text_fr.strip(), "updated_by": user},
    )
    return found


def _labels(organisation: Organisation) -> list[str]:
    scale = organisation.scale or []
    if len(scale) == rubric.MAX_SCORE + 1:
        return [str(label) for label in scale]
    return [str(label) for _level, label in LEVELS]


def _study_keys(profile: RoleProfile) -> set[str]:
    """Codes of the items the profile's validation study found key."""
    if not profile.study_id:
        return set()
    from rtwcomp.surveys.results import cached_analysis

    found = cached_analysis(profile.study)
    if found is None:
        return set()
    items = found[1].items
    return set(items.loc[items["key"].fillna(False).astype(bool), "item"])


def guide_candidates(profile: RoleProfile) -> list[rubric.Candidate]:
    """Every competency of the profile's framework, with what weighs it in a guide."""
    required = dict(profile.requirements.values_list("competency_id", "level"))
    study_keys = _study_keys(profile)
    competencies = Competency.objects.filter(framework=profile.framework_id).select_related("group")
    return [
        rubric.Candidate(
            competency=c.pk,
            personal_attribute=c.ksab_type == PERSONAL_ATTRIBUTE,
            key=required.get(c.pk, 0) > 0 or c.code in study_keys,
            required=required.get(c.pk, 0),
            order=(c.group.position, c.position),
        )
        for c in competencies
    ]


@transaction.atomic
def make_guide(profile: RoleProfile, *, name: str, size: int, user: Any) -> InterviewGuide:
    """A guide of `size` questions from a role profile, weighted by `rubric.RULE`; the
    questions and rubrics are copied into it as they are now."""
    organisation = profile.organisation
    if not 1 <= size <= MAX_QUESTIONS:
        raise SelectionError(_("A guide has 1 to %(n)d questions.") % {"n": MAX_QUESTIONS})
    if InterviewGuide.objects.filter(organisation=organisation, name=name).exists():
        raise SelectionError(_("A guide with this name already exists."))
    chosen = rubric.choose(guide_candidates(profile), size)
    guide = InterviewGuide.objects.create(
        organisation=organisation, profile=profile, name=name, rule=rubric.RULE, created_by=user
    )
    competencies = Competency.objects.prefetch_related("indicators").in_bulk(
        [c.competency for c in chosen]
    )
    labels = _labels(organisation)
    GuideItem.objects.bulk_create(
        _item(guide, position, choice, competencies[choice.competency], labels)
        for position, choice in enumerate(chosen, start=1)
    )
    return guide


def _item(
    guide: InterviewGuide,
    position: int,
    choice: rubric.Candidate,
    competency: Competency,
    labels: list[str],
) -> GuideItem:
    text, text_fr, _saved = question_for(guide.organisation, competency)
    indicators = [
        {"text": i.text, "text_fr": i.translated("text", "fr")} for i in competency.indicators.all()
    ]
    return GuideItem(
        guide=guide,
        competency=competency,
        position=position,
        weight=choice.weight,
        reasons=choice.reasons,
        question=text,
        question_fr=text_fr,
        indicators=indicators,
        anchors=rubric.anchors(labels, [i["text"] for i in indicators]),
    )


@transaction.atomic
def open_vacancy(
    organisation: Organisation,
    *,
    title: str,
    guide: InterviewGuide,
    panel: Iterable[Any],
    user: Any,
) -> Vacancy:
    if guide.organisation_id != organisation.pk:
        raise SelectionError(_("This guide belongs to another organisation."))
    members = list(panel)
    if not members:
        raise SelectionError(_("Name at least one interviewer."))
    vacancy = Vacancy.objects.create(
        organisation=organisation, title=title, guide=guide, created_by=user
    )
    vacancy.panel.set(members)
    return vacancy


def add_candidate(vacancy: Vacancy, *, name: str, email: str = "", notes: str = "") -> Candidate:
    return Candidate.objects.create(vacancy=vacancy, name=name, email=email, notes=notes)


Marks = Mapping[int, tuple[int | None, str]]  # guide item id -> (score or None, note)


@transaction.atomic
def save_sheet(candidate: Candidate, interviewer: Any, marks: Marks, *, submit: bool) -> ScoreSheet:
    """Keep an interviewer's scores of a candidate; submitting shows the sheet to the rest of
    the panel and closes it. A submitted sheet is not changed."""
    sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(
        candidate=candidate, interviewer=interviewer
    )
    if sheet.submitted_at is not None:
        raise SelectionError(_("This score sheet has been submitted: it can no longer change."))
    items = set(candidate.vacancy.guide.items.values_list("pk", flat=True))
    unknown = set(marks) - items
    if unknown:
        raise SelectionError(_("These scores are not for questions of this guide."))
    for item, (score, note) in marks.items():
        _keep_score(sheet, item, score, note)
    if submit:
        if not sheet.scores.exists():
            raise SelectionError(_("Score at least one question before submitting."))
        sheet.submitted_at = timezone.now()
    sheet.save()
    return sheet


def _keep_score(sheet: ScoreSheet, item: int, score: int | None, note: str) -> None:
    if score is None:
        sheet.scores.filter(item=item).delete()
        return
    if not 0 <= score <= rubric.MAX_SCORE:
        raise SelectionError(_("A score is from 0 to 4."))
    Score.objects.update_or_create(
        sheet=sheet, item_id=item, defaults={"score": score, "note": note}
    )


@transaction.atomic
def delete_candidate(candidate: Candidate) -> dict[str, int]:
    """Delete a candidate and every row about them (score sheets and scores); the counts by
    model, as Django reports them."""
    _total, by_model = candidate.delete()
    return by_model

"""Reads that shape selection records for pages and the API, through the permission model."""

from __future__ import annotations

import statistics
from typing import Any

import numpy as np
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rtwcomp import permissions
from rtwcomp.assessments.models import Organisation
from rtwcomp.assessments.selectors import known_id
from rtwcomp.frameworks.models import Competency
from rtwcomp.reports import format as fmt
from rtwcomp.selection import rubric, services
from rtwcomp.selection.models import Candidate, GuideItem, InterviewGuide, ScoreSheet, Vacancy
from rtwcomp.stats import raters

# ICC(2,1) needs this many questions scored by every interviewer to say anything.
MIN_COMPLETE_FOR_ICC = 3


def french() -> bool:
    return (get_language() or "en").split("-")[0] == "fr"


def vacancies(user: Any) -> Any:
    found = Vacancy.objects.select_related("organisation", "guide")
    return permissions.vacancies_for(user, found)


def organisations(user: Any) -> Any:
    """Organisations whose questions, guides and vacancies `user` manages."""
    return permissions.editable(user, Organisation.objects.all())


def organisation_or_404(user: Any, slug: str) -> Organisation:
    found = organisations(user).filter(slug=slug).first()
    if found is None or not user.has_perm("selection.manage_organisation", found):
        raise Http404("Not found")
    return found


def vacancy_or_404(user: Any, pk: int, perm: str = "selection.view_vacancy") -> Vacancy:
    found = vacancies(user).filter(pk=known_id(pk)).first()
    if found is None or not user.has_perm(perm, found):
        raise Http404("Not found")
    return found


def guide_or_404(user: Any, pk: int) -> InterviewGuide:
    found = permissions.vacancies_for(user, InterviewGuide.objects.all()).filter(pk=known_id(pk))
    guide = found.select_related("organisation", "profile").first()
    if guide is None or not user.has_perm("selection.view_guide", guide):
        raise Http404("Not found")
    return guide


def candidate_or_404(user: Any, pk: int, perm: str = "selection.view_vacancy") -> Candidate:
    """A candidate of a vacancy `user` may see (`perm` is asked of the vacancy)."""
    found = (
        Candidate.objects.filter(pk=known_id(pk), vacancy__in=vacancies(user))
        .select_related("vacancy__guide", "vacancy__organisation")
        .first()
    )
    if found is None or not user.has_perm(perm, found.vacancy):
        raise Http404("Not found")
    return found


def index(user: Any) -> dict[str, Any]:
    return {"vacancies": vacancies(user), "organisations": organisations(user)}


def questions(organisation: Organisation) -> list[dict[str, Any]]:
    """Each competency of the organisation's framework with its question (or the default)."""
    framework = organisation.framework
    found = framework.competencies.select_related("group") if framework else []
    rows = []
    for competency in found:
        text, text_fr, saved = services.question_for(organisation, competency)
        rows.append({"competency": competency, "text": text, "text_fr": text_fr, "saved": saved})
    return rows


def competency_or_404(organisation: Organisation, pk: int) -> Competency:
    found = Competency.objects.filter(pk=known_id(pk), framework=organisation.framework_id).first()
    if found is None:
        raise Http404("Not found")
    return found


def organisation_page(organisation: Organisation) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "questions": questions(organisation),
        "guides": organisation.interview_guides.select_related("profile"),
        "vacancies": organisation.vacancies.select_related("guide"),
    }


def item_rows(guide: InterviewGuide) -> list[dict[str, Any]]:
    """The guide's questions in the active language, with the rubric translated."""
    fr = french()
    rows = []
    for item in guide.items.select_related("competency"):
        rows.append(
            {
                "item": item,
                "competency": item.competency,
                "question": item.question_fr if fr else item.question,
                "indicators": [i["text_fr" if fr else "text"] for i in item.indicators],
                "anchors": [_anchor(a, fr) for a in item.anchors],
            }
        )
    return rows


def _anchor(anchor: dict[str, Any], fr: bool) -> dict[str, Any]:
    return {
        "level": anchor["level"],
        "label": _(anchor["label"]),
        "text": anchor["text_fr"] if fr else anchor["text"],
    }


def guide_page(guide: InterviewGuide) -> dict[str, Any]:
    return {"guide": guide, "rows": item_rows(guide)}


def sheet_of(candidate: Candidate, user: Any) -> ScoreSheet | None:
    return candidate.sheets.filter(interviewer=user.pk).prefetch_related("scores").first()


def sees_others(candidate: Candidate, user: Any) -> bool:
    """Whether `user` may see the other interviewers' submitted sheets of a candidate: a
    panel member once their own is submitted; a programme admin not on the panel always."""
    if permissions.may_score(user, candidate.vacancy):
        return candidate.sheets.filter(interviewer=user.pk, submitted_at__isnull=False).exists()
    return True


def submitted_sheets(candidate: Candidate, user: Any) -> list[ScoreSheet]:
    if not sees_others(candidate, user):
        return []
    found = candidate.sheets.filter(submitted_at__isnull=False).select_related("interviewer")
    return list(found.prefetch_related("scores"))


def candidate_page(candidate: Candidate, user: Any) -> dict[str, Any]:
    sheets = submitted_sheets(candidate, user)
    rows = item_rows(candidate.vacancy.guide)
    for row in rows:
        row["scores"] = [_score_of(s, row["item"]) for s in sheets]
    return {
        "candidate": candidate,
        "vacancy": candidate.vacancy,
        "rows": rows,
        "sheets": sheets,
        "sees_others": sees_others(candidate, user),
        "may_score": permissions.may_score(user, candidate.vacancy),
        "may_delete": user.has_perm("selection.delete_candidate", candidate.vacancy),
    }


def _score_of(sheet: ScoreSheet, item: GuideItem) -> Any:
    return next((s for s in sheet.scores.all() if s.item_id == item.pk), None)


def comparison(vacancy: Vacancy, user: Any) -> dict[str, Any]:
    """Candidates side by side: per question the mean score of the submitted sheets, the
    weighted total, each interviewer's weighted total, and how far the interviewers agree."""
    items = list(vacancy.guide.items.select_related("competency"))
    weights = {i.pk: i.weight for i in items}
    columns = []
    for candidate in vacancy.candidates.all():
        if not sees_others(candidate, user):
            columns.append({"candidate": candidate, "hidden": True})
            continue
        sheets = submitted_sheets(candidate, user)
        columns.append({"candidate": candidate, "hidden": False, **_column(items, weights, sheets)})
    rows = [
        {"item": item, "means": [c["means"][n] if not c["hidden"] else None for c in columns]}
        for n, item in enumerate(items)
    ]
    return {"vacancy": vacancy, "columns": columns, "rows": rows, "rule": _(vacancy.guide.rule)}


def _column(items: list[GuideItem], weights: dict[int, int], sheets: list[ScoreSheet]) -> Any:
    scores = {s.pk: {x.item_id: x.score for x in s.scores.all()} for s in sheets}
    means = {i.pk: _mean([scores[s.pk].get(i.pk) for s in sheets]) for i in items}
    total = rubric.weighted_total(means, weights)
    interviewers = [
        {
            "name": s.interviewer.get_full_name() or s.interviewer.get_username(),
            "total": _text(rubric.weighted_total(_single(scores[s.pk], items), weights)),
        }
        for s in sheets
    ]
    matrix = np.array([[scores[s.pk].get(i.pk, np.nan) for i in items] for s in sheets], float)
    return {
        "means": [_text(means[i.pk]) for i in items],
        "total": _text(total),
        "total_value": total,
        "interviewers": interviewers,
        "agreement": agreement(matrix),
    }


def _single(scores: dict[int, int], items: list[GuideItem]) -> dict[int, float | None]:
    return {i.pk: (float(scores[i.pk]) if i.pk in scores else None) for i in items}


def _mean(values: list[int | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def _text(value: float | None) -> str | None:
    return None if value is None else fmt.fixed(value, 1)


def agreement(matrix: Any) -> dict[str, Any]:
    """Agreement of interviewers (rows) over questions (columns, NaN: not scored):
    Krippendorff's ordinal alpha and ICC(2,1), each None with the reason when too few
    ratings make it undefined."""
    interviewers = int(matrix.shape[0]) if matrix.size else 0
    complete = int((~np.isnan(matrix)).all(axis=0).sum()) if interviewers else 0
    result: dict[str, Any] = {"interviewers": interviewers, "complete": complete}
    if interviewers < 2:
        return {**result, "alpha": None, "icc": None, "too_few": True}
    try:
        alpha: float | None = raters.krippendorff_alpha(matrix, "ordinal")
    except raters.RatingsError:
        alpha = None
    icc = None
    if complete >= MIN_COMPLETE_FOR_ICC:
        icc = next(r for r in raters.icc(matrix.T) if r.form == "ICC2")
    return {
        **result,
        "alpha": alpha,
        "icc": icc,
        "alpha_text": None if alpha is None else fmt.coefficient(alpha),
        "icc_text": None
        if icc is None
        else f"{fmt.coefficient(icc.icc)} ({fmt.interval(icc.lower, icc.upper)})",
        "too_few": alpha is None and icc is None,
    }

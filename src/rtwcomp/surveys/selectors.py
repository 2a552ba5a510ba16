"""Reads that shape a study's data for a page or the API.

Access first: `studies(user)` and `study(user, slug)` give only what `user` may work on
(rules in `rtwcomp.permissions`); everything else here takes a study already allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from rtwcomp import permissions
from rtwcomp.stats import SurveyAnalysis, SurveyDataError
from rtwcomp.surveys import exports, invitations, responding, results
from rtwcomp.surveys.models import ACQUIRED_CHOICES, MAINTAINED_CHOICES, Study, SurveyResponse


def studies(user: Any) -> QuerySet[Study]:
    return permissions.editable(user, Study.objects.select_related("framework"))


def study(user: Any, slug: str) -> Study:
    """The study if `user` may work on it; 404 otherwise, so its existence is not revealed."""
    return permissions.get_or_404(user, "surveys.change_study", Study.objects.all(), slug=slug)


@dataclass(frozen=True)
class ResponseCounts:
    completed: int = 0
    started: int = 0

    @property
    def in_progress(self) -> int:
        return self.started - self.completed


def response_counts(*of: Study) -> dict[int, ResponseCounts]:
    """Completed and started responses (every round) per study id: the one count of
    completed responses, for the study page, the study list, the API and the command line."""

    def per_study(responses: QuerySet[SurveyResponse]) -> dict[int, int]:
        rows = responses.filter(study__in=of).order_by().values("study").annotate(n=Count("pk"))
        return {row["study"]: row["n"] for row in rows}

    completed = per_study(SurveyResponse.objects.completed())
    started = per_study(SurveyResponse.objects.all())
    return {s.pk: ResponseCounts(completed.get(s.pk, 0), started.get(s.pk, 0)) for s in of}


def study_list(user: Any) -> list[dict[str, Any]]:
    """The studies `user` may work on, with their item and completed-response counts."""
    found = list(studies(user).annotate(item_count=Count("items")))
    counts = response_counts(*found)
    return [
        {"study": s, "items": s.item_count, "completed": counts[s.pk].completed}  # type: ignore[attr-defined]
        for s in found
    ]


def study_page(study: Study) -> dict[str, Any]:
    """The study page's facts: responses, response rate, current round, export formats."""
    counts = response_counts(study)[study.pk]
    return {
        "study": study,
        "completed": counts.completed,
        "in_progress": counts.in_progress,
        "rate": invitations.response_rate(study),
        "round": study.current_round(),
        "formats": [(f, f.upper()) for f in exports.FORMATS],
    }


# The dashboard's item table: (sort key or "" when it does not sort, header label).
COLUMNS = [
    ("rank", _("Rank")),
    ("item", _("Item")),
    ("", _("Statement")),
    ("group", _("Group")),
    ("n", "n"),
    ("mean", _("Mean")),
    ("share_top", _("Share top")),
    # xgettext:no-python-format
    ("", _("95% interval")),
    ("", _("Key")),
]
SORTS = {key for key, _label in COLUMNS if key}


def dashboard(
    study: Study,
    *,
    sort: str = "rank",
    descending: bool = False,
    group: str = "",
    key_only: bool = False,
) -> dict[str, Any]:
    """The results page: the (cached) analysis as plain rows, the item table filtered and
    sorted as asked, completed responses per day and, for Delphi studies, the rounds.

    `columns` lists the item table's headers as {"key", "label", "aria_sort"}.
    """
    context: dict[str, Any] = {"study": study, "analyzed": False}
    try:
        found = results.cached_analysis(study)
    except SurveyDataError as error:
        context["error"] = str(error)
        found = None
    if found is not None:
        sort = sort if sort in SORTS else "rank"
        context.update(_tables(study, *found, sort, descending, group, key_only))
    context["over_time"] = results.counts_over_time(study)
    if study.delphi:
        context["rounds"] = results.delphi_summary(study)
    return context


def _tables(
    study: Study,
    data: results.StudyData,
    analysis: SurveyAnalysis,
    sort: str,
    descending: bool,
    group: str,
    key_only: bool,
) -> dict[str, Any]:
    items = analysis.items.copy()
    if group:
        items = items[items["group"] == group]
    if key_only:
        items = items[items["key"].fillna(False).astype(bool)]
    items = items.sort_values(sort, ascending=not descending, kind="stable")
    acquisition = results.acquisition(study, data)
    by_group = (
        []
        if acquisition.empty
        else acquisition.drop(columns=["item", "n"])
        .groupby("group", sort=False)
        .mean()
        .reset_index()
        .to_dict("records")
    )
    return {
        "analyzed": True,
        "item_count": len(analysis.items),
        "items": items.to_dict("records"),
        "groups": analysis.groups.to_dict("records"),
        "subgroups": analysis.subgroup_tests.to_dict("records"),
        "group_names": list(analysis.groups["group"]),
        "sort": sort,
        "descending": descending,
        "columns": _columns(sort, descending),
        "group_filter": group,
        "key_only": key_only,
        "respondents": len(data.responses),
        "key_count": int(analysis.items["key"].fillna(False).astype(bool).sum()),
        "acquisition": acquisition.to_dict("records"),
        "acquisition_groups": by_group,
        "routes": [c for c in acquisition.columns if c not in ("item", "group", "n")],
    }


def _columns(sort: str, descending: bool) -> list[dict[str, str]]:
    return [
        {
            "key": key,
            "label": str(label),
            "aria_sort": ("descending" if descending else "ascending") if key == sort else "",
        }
        for key, label in COLUMNS
    ]


def respondent_page(
    study: Study,
    response: SurveyResponse,
    content: responding.PageContent,
    result: responding.PageResult,
    values: Any,
) -> dict[str, Any]:
    """A respondent page: one row per item (with the previous Delphi round's rating and
    distribution), the questions about the respondent, the scale and the problems found."""
    previous = responding.previous_ratings(response)
    distribution = responding.previous_distribution(study, response.round)
    scale = [
        {"value": str(p["value"]), "label": p.get("translations", {}).get(_lang(), p["label"])}
        for p in study.scale
    ]
    rows = [
        _item_row(item, values, result, previous, distribution.get(item.pk, {}), scale)
        for item in content.items
    ]
    return {
        "study": study,
        "response": response,
        "number": content.number,
        "total": content.total,
        "rows": rows,
        "questions": [_question_row(q, values, result) for q in content.questions],
        "scale": scale,
        "acquired_choices": _labelled(ACQUIRED_CHOICES),
        "maintained_choices": _labelled(MAINTAINED_CHOICES),
        "errors": result.errors,
        "warned": result.warned,
        "unanswered": [r for r in rows if not r["value"]] if result.warned else [],
        "last": content.number == content.total,
        "round": response.round,
    }


def _item_row(
    item: Any,
    values: Any,
    result: responding.PageResult,
    previous: dict[int, int],
    counts: dict[int, int],
    scale: list[dict[str, str]],
) -> dict[str, Any]:
    name = f"item-{item.pk}"
    return {
        "item": item,
        "name": name,
        "value": str(values.get(name, "")),
        "acquired": str(values.get(f"acquired-{item.pk}", "")),
        "maintained": str(values.get(f"maintained-{item.pk}", "")),
        "error": result.errors.get(name, ""),
        "previous": previous.get(item.pk),
        "distribution": _distribution(counts, scale),
        "distribution_n": sum(counts.values()),
    }


def _distribution(counts: dict[int, int], scale: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The previous round's count per scale point, with a bar width in percent."""
    n = sum(counts.values())
    if not n:
        return []
    return [
        {
            "value": point["value"],
            "count": counts.get(int(point["value"]), 0),
            "width": round(100 * counts.get(int(point["value"]), 0) / n),
        }
        for point in scale
    ]


def _lang() -> str:
    return (translation.get_language() or "en").split("-")[0]


def _labelled(choices: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    french = _lang() == "fr"
    return [(value, fr if french else en) for value, en, fr in choices]


def _question_row(question: Any, values: Any, result: responding.PageResult) -> dict[str, Any]:
    name = f"q-{question.key}"
    if hasattr(values, "getlist"):
        chosen = values.getlist(name)
    else:
        raw = values.get(name, "")
        chosen = raw if isinstance(raw, list) else [raw]
    return {
        "question": question,
        "name": name,
        "label": question.translated("label"),
        "chosen": [str(c) for c in chosen],
        "value": str(chosen[0]) if chosen else "",
        "choices": [
            (str(c["value"]), c.get("translations", {}).get(_lang(), c["label"]))
            for c in question.choices
        ],
        "error": result.errors.get(name, ""),
    }

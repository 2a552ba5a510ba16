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
from rtwcomp.frameworks.models import Competency, Framework
from rtwcomp.stats import SurveyAnalysis, SurveyDataError
from rtwcomp.surveys import exports, invitations, responding, results
from rtwcomp.surveys import studies as setup
from rtwcomp.surveys.models import (
    ACQUIRED_CHOICES,
    MAINTAINED_CHOICES,
    Study,
    SurveyResponse,
)


def studies(user: Any) -> QuerySet[Study]:
    return permissions.editable(user, Study.objects.select_related("framework"))


def study(user: Any, slug: str) -> Study:
    """The study if `user` may work on it; 404 otherwise, so its existence is not revealed."""
    return permissions.get_or_404(user, "surveys.change_study", Study.objects.all(), slug=slug)


@dataclass(frozen=True)
class ResponseCounts:
    completed: int = 0
    started: int = 0
    #: the researcher's test responses (never counted above)
    tests: int = 0
    #: completed responses per round number, as the results page and exports count them
    by_round: tuple[tuple[int, int], ...] = ()

    @property
    def in_progress(self) -> int:
        return self.started - self.completed


def response_counts(*of: Study) -> dict[int, ResponseCounts]:
    """Completed and started responses (every round) per study id: the one count of
    completed responses, for the study page, the study list, the results page, the API and
    the command line. Test responses are counted apart."""

    def per_study(responses: QuerySet[SurveyResponse]) -> dict[int, int]:
        rows = responses.filter(study__in=of).order_by().values("study").annotate(n=Count("pk"))
        return {row["study"]: row["n"] for row in rows}

    completed = per_study(SurveyResponse.objects.completed())
    started = per_study(SurveyResponse.objects.real())
    tests = per_study(SurveyResponse.objects.filter(is_test=True))
    rounds: dict[int, list[tuple[int, int]]] = {}
    for row in (
        SurveyResponse.objects.completed()
        .filter(study__in=of)
        .order_by("round__number")
        .values("study", "round__number")
        .annotate(n=Count("pk"))
    ):
        rounds.setdefault(row["study"], []).append((row["round__number"], row["n"]))
    return {
        s.pk: ResponseCounts(
            completed.get(s.pk, 0),
            started.get(s.pk, 0),
            tests.get(s.pk, 0),
            tuple(rounds.get(s.pk, ())),
        )
        for s in of
    }


def study_list(user: Any) -> list[dict[str, Any]]:
    """The studies `user` may work on, with their item and completed-response counts."""
    found = list(studies(user).annotate(item_count=Count("items")))
    counts = response_counts(*found)
    return [
        {"study": s, "items": s.item_count, "completed": counts[s.pk].completed}  # type: ignore[attr-defined]
        for s in found
    ]


def study_page(study: Study) -> dict[str, Any]:
    """The study page's facts: responses, response rate, current round, export formats,
    how the items cover the framework's groups, and whether answers are taken now."""
    counts = response_counts(study)[study.pk]
    items = [i.competency for i in study.items.select_related("competency")]
    return {
        "study": study,
        "coverage": coverage(study.framework, items),
        "availability": setup.availability(study),
        "completed": counts.completed,
        "completed_by_round": counts.by_round,
        "in_progress": counts.in_progress,
        "test_responses": counts.tests,
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
        "subgroups": results.labelled_tests(study, analysis),
        "omitted": analysis.omitted,
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
        "route_labels": results.route_labels(study),
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
    specify = next((c for c in question.choices if c.get("specify")), None)
    other = specify and {
        "value": str(specify["value"]),
        "name": f"{name}_other",
        "text": str(values.get(f"{name}_other", "")),
    }
    return {
        "other": other or None,
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


# --- setting a study up ------------------------------------------------------------------


def coverage(framework: Framework, competencies: list[Competency]) -> dict[str, Any]:
    """How chosen items cover the framework's groups: per group chosen of all, and the
    groups left out (a warning when some, but not all, groups are asked)."""
    chosen = {c.pk for c in competencies}
    groups = []
    for group in framework.groups.annotate(size=Count("competencies")).order_by("position"):
        asked = sum(1 for c in competencies if c.group_id == group.pk)
        groups.append({"name": group.translated("name"), "chosen": asked, "size": group.size})  # type: ignore[attr-defined]
    missing = [g["name"] for g in groups if not g["chosen"]]
    return {
        "item_count": len(chosen),
        "groups": groups,
        "covered": len(groups) - len(missing),
        "group_count": len(groups),
        "missing": missing if chosen else [],
    }


def setup_page(form: Any, study: Study | None = None) -> dict[str, Any]:
    """The study form's page: the framework's items grouped, with their citation counts
    (only those matching the search, and those checked), and what the selection asks."""
    framework = form.chosen_framework()
    context: dict[str, Any] = {"form": form, "study": study, "framework": framework}
    if framework is None:
        return context
    competencies = list(
        framework.competencies.select_related("provenance", "group").order_by("position")
    )
    checked = {str(c) for c in form.value("codes") or []}
    search = str(form.value("search") or "").strip().casefold()
    context["item_groups"] = _item_groups(competencies, checked, search)
    context["from_focus_groups"] = any(getattr(c, "provenance", None) for c in competencies)
    context["search"] = search
    count = str(form.value("count") or "")
    try:
        chosen = setup.choose_items(
            framework,
            str(form.value("selection") or "all"),
            int(count) if count.isdigit() else None,
            sorted(checked),
        )
    except setup.SetupError as error:
        context["selection_error"] = str(error)
        return context
    context["chosen"] = [_item_row_for_setup(c) for c in chosen]
    context["coverage"] = coverage(framework, chosen)
    return context


def _item_groups(
    competencies: list[Competency], checked: set[str], search: str
) -> list[dict[str, Any]]:
    groups: dict[int, dict[str, Any]] = {}
    for c in competencies:
        group = groups.setdefault(
            c.group_id, {"name": c.group.translated("name"), "size": 0, "rows": []}
        )
        group["size"] += 1
        if c.code in checked or not search or search in c.search_text:
            group["rows"].append({**_item_row_for_setup(c), "checked": c.code in checked})
    return [g for g in groups.values() if g["rows"]]


def _item_row_for_setup(c: Competency) -> dict[str, Any]:
    return {
        "code": c.code,
        "statement": c.translated("statement"),
        "group": c.group.translated("name"),
        "citations": setup.citations(c),
    }


# --- the preview of the instrument -------------------------------------------------------


def preview_page(study: Study, number: int) -> dict[str, Any]:
    """Page `number` of the instrument as respondents see it, nothing stored: 0 is the
    introduction, then the pages of questions, then the thank-you page. `template` names
    the respondent template the preview draws."""
    round_ = study.current_round()
    total = responding.page_count(study, round_)
    number = max(0, min(number, total + 1))
    context: dict[str, Any] = {
        "study": study,
        "response": None,
        "error": "",
        "preview_number": number,
        "preview_pages": list(range(1, total + 1)),
        "preview_total": total,
    }
    content = responding.page_content(study, round_, number)
    if content is None:
        context["template"] = (
            "surveys/respond/landing.html" if number == 0 else "surveys/respond/thanks.html"
        )
        return context
    unsaved = SurveyResponse(study=study, round=round_, page=number)
    context.update(respondent_page(study, unsaved, content, responding.PageResult(), {}))
    context["response"] = None
    context["template"] = "surveys/respond/page.html"
    return context

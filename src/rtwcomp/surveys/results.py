"""A study's answers as tables, and their analysis by `rtwcomp.stats`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.core.cache import cache
from django.db.models import Count, Max

from rtwcomp.reports import Question as Labels
from rtwcomp.reports.tables import labelled_levels
from rtwcomp.stats import SurveyAnalysis, SurveyOptions, analyze_survey
from rtwcomp.stats import delphi as delphi_stats
from rtwcomp.surveys.models import ACQUIRED_CHOICES, Answer, Question, Round, Study, SurveyResponse

ID = "response_id"


@dataclass(frozen=True)
class StudyData:
    """Completed responses of one round: one row each, attributes then one column per item."""

    responses: pd.DataFrame
    items: pd.DataFrame
    attributes: list[str]


def item_table(study: Study) -> pd.DataFrame:
    """Columns item (competency code), group, statement, in survey order."""
    rows = study.items.select_related("competency__group").order_by("position")
    return pd.DataFrame(
        [
            {
                "item": i.competency.code,
                "group": i.competency.group.name,
                "statement": i.competency.statement,
            }
            for i in rows
        ],
        columns=["item", "group", "statement"],
    )


def study_data(study: Study, round_: Round | None = None) -> StudyData:
    """One row per completed response, named by its random `public_id` (never the database
    id) and ordered by the day it was submitted, then by that random id: nothing in a file
    gives the order in which respondents started or finished within a day."""
    round_ = round_ or study.rounds.order_by("number").first()
    items = item_table(study)
    codes = list(items["item"])
    questions = list(study.questions.order_by("position"))
    responses = list(
        SurveyResponse.objects.completed()
        .filter(round=round_)
        .order_by("submitted_on", "public_id")
        .values_list("id", "public_id", "attributes")
    )
    rows = pd.Series([r[0] for r in responses], dtype="int64")  # database ids, not exported
    frame = pd.DataFrame({ID: [str(r[1]) for r in responses]})
    for question in questions:
        frame[question.key] = [_attribute(r[2].get(question.key)) for r in responses]
        if question.asks_to_specify:  # the text of "other, please specify", beside it
            other = f"{question.key}_other"
            frame[other] = [_attribute(r[2].get(other)) for r in responses]
    answers = pd.DataFrame(
        list(
            Answer.objects.filter(
                response__in=SurveyResponse.objects.completed().filter(round=round_)
            ).values_list(
                "response_id", "item__competency__code", "value", "acquired", "maintained"
            )
        ),
        columns=["row", "item", "value", "acquired", "maintained"],
    )
    wide = answers.pivot(index="row", columns="item", values="value") if len(answers) else None
    for code in codes:
        values = wide[code] if wide is not None and code in wide else pd.Series(dtype=float)
        frame[code] = rows.map(values).astype("Float64")
    for extra in ("acquired", "maintained"):
        if getattr(study, f"ask_{extra}"):
            table = (
                answers.pivot(index="row", columns="item", values=extra)
                if len(answers)
                else pd.DataFrame()
            )
            for code in codes:
                column = table[code] if code in table else pd.Series(dtype=object)
                frame[f"{code}_{extra}"] = rows.map(column).fillna("")
    return StudyData(frame, items, [q.key for q in questions])


def _attribute(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value if value not in (None, "") else None


def options(study: Study, data: StudyData) -> SurveyOptions:
    """The study's scale and key rule; subgroups are its one-choice questions."""
    choice_keys = set(
        study.questions.filter(kind=Question.Kind.CHOICE).values_list("key", flat=True)
    )
    return SurveyOptions(
        scale_min=study.scale_min,
        scale_max=study.scale_max,
        top=study.top,
        key_share=study.key_share,
        subgroups=tuple(k for k in data.attributes if k in choice_keys),
    )


def analyze(study: Study, round_: Round | None = None) -> tuple[StudyData, SurveyAnalysis]:
    data = study_data(study, round_)
    columns = [*data.attributes, *data.items["item"]]
    frame = data.responses[columns].copy()
    for code in data.items["item"]:
        frame[code] = frame[code].astype(float)
    return data, analyze_survey(frame, data.items, options(study, data))


def cached_analysis(study: Study) -> tuple[StudyData, SurveyAnalysis] | None:
    """The analysis of the first round, as `analyze` makes it, or None before the first
    completed response. Cached for ten minutes, keyed by the count and last id of the
    completed responses (so a new one computes it afresh), in the shared cache (`CACHES`:
    the database by default): the dashboard, the API and the report of every app server
    process share one computation.

    Raises the analysis's SurveyDataError for data it cannot analyze.
    """
    done = SurveyResponse.objects.completed().filter(study=study)
    stamp = done.aggregate(last=Max("id"), n=Count("id"))
    if stamp["last"] is None:
        return None
    key = f"rtwcomp:analysis:{study.pk}:{stamp['n']}:{stamp['last']}"
    found = cache.get(key)
    if found is None:
        found = analyze(study)
        cache.set(key, found, 600)
    return found  # type: ignore[no-any-return]


def acquisition(study: Study, data: StudyData) -> pd.DataFrame:
    """Share of each acquisition route per item (rows) among those who answered it."""
    routes = [c[0] for c in ACQUIRED_CHOICES]
    rows = []
    for _, item in data.items.iterrows():
        column = f"{item['item']}_acquired"
        if column not in data.responses:
            continue
        answered = data.responses[column][data.responses[column] != ""]
        row: dict[str, Any] = {"item": item["item"], "group": item["group"], "n": len(answered)}
        for route in routes:
            row[route] = float((answered == route).mean()) if len(answered) else float("nan")
        rows.append(row)
    return pd.DataFrame(rows, columns=["item", "group", "n", *routes])


def questions(study: Study) -> dict[str, Labels]:
    """The study's questions by key, with their text and choice labels in the study's
    language (its framework's), for the report and the results page."""
    language = study.framework.language
    found = {}
    for q in study.questions.order_by("position"):
        choices = {
            str(c["value"]): str(c.get("translations", {}).get(language) or c["label"])
            for c in q.choices
        }
        found[q.key] = Labels(
            key=q.key,
            label=q.translated("label", language),
            choices=choices,
            multiple=q.kind == Question.Kind.MULTI,
        )
    return found


def route_labels(study: Study) -> dict[str, str]:
    """Acquisition routes' labels in the study's language, by code."""
    french = study.framework.language == "fr"
    return {code: fr if french else en for code, en, fr in ACQUIRED_CHOICES}


def labelled_tests(study: Study, analysis: SurveyAnalysis) -> list[dict[str, Any]]:
    """The subgroup tests as rows, each variable named by its question's text and each
    level by its choice label (the codes stay in subgroup_tests.csv)."""
    found = questions(study)
    rows = analysis.subgroup_tests.to_dict("records")
    for row in rows:
        question = found.get(str(row["variable"]))
        if question is not None:
            row["variable"] = question.label
            row["levels"] = labelled_levels(str(row["levels"]), question)
    return rows


def counts_over_time(study: Study) -> list[tuple[str, int]]:
    """Completed responses per day (dates only are stored)."""
    rows = (
        SurveyResponse.objects.completed()
        .filter(study=study)
        .values("submitted_on")
        .annotate(n=Count("id"))
        .order_by("submitted_on")
    )
    return [(row["submitted_on"].isoformat(), row["n"]) for row in rows]


def round_ratings(round_: Round) -> pd.DataFrame:
    """Panellist (invitation) x item ratings of a round's completed responses."""
    answers = Answer.objects.filter(
        response__in=SurveyResponse.objects.completed().filter(round=round_)
    ).values_list("response__invitation_id", "response_id", "item__competency__code", "value")
    frame = pd.DataFrame(list(answers), columns=["panellist", "response", "item", "value"])
    if frame.empty:
        return pd.DataFrame()
    frame["panellist"] = frame["panellist"].fillna(-frame["response"])
    return frame.pivot(index="panellist", columns="item", values="value").astype(float)


def delphi_summary(study: Study) -> list[dict[str, Any]]:
    """Per round: consensus table, Kendall's W, and stability against the previous round."""
    summary = []
    previous: pd.DataFrame | None = None
    points = list(range(study.scale_min, study.scale_max + 1))
    for round_ in study.rounds.order_by("number"):
        ratings = round_ratings(round_)
        codes = [i.competency.code for i in round_.items.select_related("competency")]
        ratings = ratings.reindex(columns=codes)
        table = delphi_stats.consensus(
            ratings, top=study.top, share=study.consensus_share, iqr=study.consensus_iqr
        )
        w, raters, n_items = delphi_stats.kendalls_w(ratings)
        if previous is not None and not table.empty:
            changes, ps = [], []
            for code in table["item"]:
                before = previous[code] if code in previous else pd.Series(dtype=float)
                after = ratings[code]
                changes.append(delphi_stats.distribution_change(before, after, points))
                ps.append(delphi_stats.paired_wilcoxon(before, after)[2])
            table["distribution_change"] = changes
            table["wilcoxon_p"] = ps
        summary.append(
            {
                "round": round_,
                "table": table,
                "rows": table.to_dict("records"),
                "kendalls_w": w,
                "raters": raters,
                "items": n_items,
                "respondents": len(ratings),
            }
        )
        previous = ratings
    return summary

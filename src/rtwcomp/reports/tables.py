"""The analysis reshaped into the rows the report prints: formatted once, here.

Each function takes DataFrames and returns plain lists and dicts of strings, so the
template only lays them out and the tests can compare them with the analysis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from rtwcomp.reports import format as fmt
from rtwcomp.reports.data import Question
from rtwcomp.stats import SurveyAnalysis
from rtwcomp.stats.arrays import FloatMatrix
from rtwcomp.stats.subgroups import is_plain_decimal, level_order

MAX_LEVELS = 20  # an attribute with more distinct answers is free text: not listed
NUMERIC_LEVELS = 10  # a numeric attribute with more distinct values is summarised


def group_order(analysis: SurveyAnalysis) -> list[str]:
    """Groups in the order of the item table (the order of the framework)."""
    return list(dict.fromkeys(str(g) for g in analysis.items["group"]))


def _flag(value: Any) -> bool:
    return bool(value) if not fmt.missing(value) else False


def items_by_group(analysis: SurveyAnalysis, labels: Mapping[str, str]) -> list[dict[str, Any]]:
    """Per group, its items sorted by share of top answers, highest first (ties: input order)."""
    sections = []
    for group in group_order(analysis):
        frame = analysis.items[analysis.items["group"].astype(str) == group]
        frame = frame.sort_values("share_top", ascending=False, kind="stable", na_position="last")
        rows = []
        for _, row in frame.iterrows():
            key, certain = _flag(row["key"]), _flag(row["key_certain"])
            if key:
                mark = labels["key_yes"] if certain else labels["key_uncertain"]
            else:
                mark = labels["key_no"]
            statement = row.get("statement")
            rows.append(
                {
                    "item": str(row["item"]),
                    "statement": "" if fmt.missing(statement) else str(statement),
                    "rank": fmt.integer(row["rank"]),
                    "n": fmt.integer(row["n"]),
                    "mean": fmt.mean(row["mean"]),
                    "share": fmt.percent(row["share_top"]),
                    "interval": fmt.percent_range(row["share_top_low"], row["share_top_high"]),
                    "key": key,
                    "key_mark": mark,
                    "values": (
                        float(row["share_top"]),
                        float(row["share_top_low"]),
                        float(row["share_top_high"]),
                    ),
                }
            )
        sections.append(
            {"group": group, "rows": rows, "key_count": sum(1 for r in rows if r["key"])}
        )
    return sections


def group_rows(analysis: SurveyAnalysis) -> list[dict[str, str]]:
    return [
        {
            "group": str(row["group"]),
            "n_items": fmt.integer(row["n_items"]),
            "n": fmt.integer(row["n"]),
            "mean": fmt.mean(row["mean"]),
            "sd": fmt.mean(row["sd"]),
            "alpha": fmt.coefficient(row["alpha"]),
            "alpha_interval": fmt.interval(row["alpha_low"], row["alpha_high"]),
            "omega": fmt.coefficient(row["omega_total"]),
        }
        for _, row in analysis.groups.iterrows()
    ]


def _text(value: Any) -> str | None:
    """An answer as text: 3.0 read from a CSV prints as 3; blank is no answer."""
    if fmt.missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _answers(values: pd.Series, question: Question | None) -> list[str]:
    """The answers of one attribute as text; a multiple-choice answer "a;b" counts as a
    and b, so each choice is tabulated once (never the combination)."""
    answered = [t for t in (_text(v) for v in values) if t is not None]
    if question is not None and question.multiple:
        return [part.strip() for t in answered for part in t.split(";") if part.strip()]
    return answered


def _ordered(levels: set[str], question: Question | None) -> list[str]:
    """The question's choices in its order, then any other answer as the tests order it."""
    listed = [v for v in (question.choices if question else {}) if v in levels]
    return listed + level_order([v for v in levels if v not in listed])


def characteristics(
    respondents: pd.DataFrame,
    labels: Mapping[str, str],
    questions: Mapping[str, Question] | None = None,
) -> list[dict[str, Any]]:
    """Per attribute: counts and shares per answer, or a numeric summary, or a count of
    distinct free-text answers (never listed: they could identify people).

    With its `Question` an attribute is named by the question's text, its answers by
    their choice labels, in the question's order; a multiple-choice question has one row
    per choice (respondents who ticked it, share of all respondents). Other answers are
    ordered as the subgroup tests order levels: numerically when all are plain decimal
    numbers, else by code point.
    """
    total = len(respondents)
    sections = []
    for column in respondents.columns:
        question = (questions or {}).get(str(column))
        answered = _answers(respondents[column], question)
        ticked = sum(1 for v in respondents[column] if _text(v) is not None)
        numeric = bool(answered) and all(is_plain_decimal(v) for v in answered)
        levels = _ordered(set(answered), question)
        name = question.label if question else str(column)
        section: dict[str, Any] = {"name": name, "rows": [], "text": ""}
        if not answered:
            section["text"] = labels["none_answered"]
        elif numeric and len(levels) > NUMERIC_LEVELS:
            x = np.array([float(v) for v in answered])
            q1, median, q3 = np.percentile(x, [25, 50, 75])
            section["text"] = labels["numeric_summary"].format(
                median=f"{median:g}",
                q1=f"{q1:g}",
                q3=f"{q3:g}",
                lo=f"{x.min():g}",
                hi=f"{x.max():g}",
                n=len(x),
            )
        elif len(levels) > MAX_LEVELS:
            section["text"] = labels["too_many_levels"].format(levels=len(levels))
        else:
            for level in levels:
                count = answered.count(level)
                section["rows"].append(
                    {
                        "level": question.choice(level) if question else level,
                        "n": str(count),
                        "share": fmt.percent(count / total),
                        "missing": False,
                    }
                )
        missing = total - ticked
        if missing and section["rows"]:
            section["rows"].append(
                {
                    "level": labels["not_answered"],
                    "n": str(missing),
                    "share": fmt.percent(missing / total),
                    "missing": True,
                }
            )
        sections.append(section)
    return sections


def labelled_levels(levels: str, question: Question | None) -> str:
    """'AU: 5; CA: 7' with each level's choice label: 'Australia: 5; Canada: 7'."""
    if question is None:
        return levels
    parts = []
    for part in levels.split("; "):
        value, sep, count = part.rpartition(": ")
        parts.append(f"{question.choice(value)}{sep}{count}" if sep else part)
    return "; ".join(parts)


def subgroup_tables(
    analysis: SurveyAnalysis, questions: Mapping[str, Question] | None = None
) -> dict[str, Any]:
    """Effect and q of every test as a matrix: targets down, variables across.

    Each variable is described by the levels of its first test of a group score (the
    widest sample); a suppressed test is a cell of its own, never a blank. Variables and
    levels are named by their question's text and choice labels when `questions` has them.
    """
    tests = analysis.subgroup_tests
    if tests.empty:
        return {"variables": [], "groups": [], "items": []}
    variables = []
    for variable in dict.fromkeys(tests["variable"]):
        own = tests[tests["variable"] == variable]
        groups = own[own["kind"] == "group"]
        first = (groups if len(groups) else own).iloc[0]
        question = (questions or {}).get(str(variable))
        levels = labelled_levels(str(first["levels"]), question)
        variables.append(
            {
                "key": str(variable),
                "name": question.label if question else str(variable),
                "test": str(first["test"]),
                "levels": levels,
                "first_level": levels.split("; ")[0].rpartition(": ")[0],
            }
        )
    cells: dict[tuple[str, str, str], dict[str, Any]] = {}
    for _, row in tests.iterrows():
        cells[(str(row["kind"]), str(row["target"]), str(row["variable"]))] = (
            {"suppressed": True}
            if bool(row["suppressed"])
            else {
                "suppressed": False,
                "effect": fmt.coefficient(row["effect"]),
                "q": fmt.pvalue(row["q"]),
                "significant": not fmt.missing(row["q"]) and float(row["q"]) < 0.05,
            }
        )
    names = [v["key"] for v in variables]
    empty = {"suppressed": False, "effect": fmt.DASH, "q": fmt.DASH, "significant": False}

    def matrix(kind: str, targets: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
        rows = []
        for target, group in targets:
            if not any((kind, target, name) in cells for name in names):
                continue
            row = [cells.get((kind, target, name), empty) for name in names]
            rows.append(
                {
                    "target": target,
                    "group": group,
                    "cells": row,
                    "significant": any(c.get("significant") for c in row),
                }
            )
        return rows

    group_targets = [(g, g) for g in group_order(analysis)]
    item_targets = [
        (str(i), str(g))
        for i, g in zip(analysis.items["item"], analysis.items["group"], strict=True)
    ]
    return {
        "variables": variables,
        "groups": matrix("group", group_targets),
        "items": matrix("item", item_targets),
    }


def ordered_polychoric(analysis: SurveyAnalysis) -> tuple[FloatMatrix, list[str], list[str]]:
    """The polychoric matrix with items ordered by group (stable within a group)."""
    matrix = analysis.polychoric
    group_of = dict(
        zip(analysis.items["item"].astype(str), analysis.items["group"].astype(str), strict=True)
    )
    rank = {g: k for k, g in enumerate(group_order(analysis))}
    ids = sorted((str(i) for i in matrix.index), key=lambda i: rank[group_of[i]])  # stable
    ordered = matrix.loc[ids, ids].to_numpy(dtype=float)
    return ordered, ids, [group_of[i] for i in ids]


def block_means(values: FloatMatrix, groups: Sequence[str]) -> dict[str, Any]:
    """Mean correlation within each group (off the diagonal) and between each pair."""
    names = list(dict.fromkeys(groups))
    members = {g: [k for k, x in enumerate(groups) if x == g] for g in names}
    rows = []
    for a in names:
        cells = []
        for b in names:
            block = values[np.ix_(members[a], members[b])]
            if a == b:
                block = block[~np.eye(len(members[a]), dtype=bool)]
            cells.append(
                fmt.coefficient(float(np.nanmean(block))) if np.isfinite(block).any() else fmt.DASH
            )
        rows.append({"group": a, "cells": cells})
    return {"groups": names, "rows": rows}


def structure_rows(analysis: SurveyAnalysis) -> list[dict[str, str]]:
    return [
        {
            "factor": str(row["factor"]),
            "ss_loadings": fmt.fixed(row["ss_loadings"]),
            "group": str(row["group"]),
            "congruence": fmt.coefficient(row["congruence"], 3),
            "second_group": "" if fmt.missing(row["second_group"]) else str(row["second_group"]),
            "second_congruence": fmt.coefficient(row["second_congruence"], 3),
            "primary": f"{fmt.integer(row['n_primary_items'])} "
            f"({fmt.integer(row['n_primary_in_group'])})",
        }
        for _, row in analysis.structure.iterrows()
    ]


def ordered_loadings(analysis: SurveyAnalysis) -> pd.DataFrame:
    """Loadings with items ordered by group, as in the heat maps."""
    loadings = analysis.loadings
    rank = {g: k for k, g in enumerate(group_order(analysis))}
    order = sorted(range(len(loadings)), key=lambda k: (rank[str(loadings["group"].iloc[k])], k))
    return loadings.iloc[order].reset_index(drop=True)


def loading_rows(loadings: pd.DataFrame, factors: Sequence[str]) -> list[dict[str, Any]]:
    rows = []
    for _, row in loadings.iterrows():
        values = [float(row[f]) for f in factors]
        primary = int(np.nanargmax(np.abs(values))) if values else -1
        rows.append(
            {
                "item": str(row["item"]),
                "group": str(row["group"]),
                "cells": [
                    {"value": fmt.coefficient(v), "primary": k == primary}
                    for k, v in enumerate(values)
                ],
                "communality": fmt.coefficient(row["communality"]),
                "primary_factor": str(factors[primary]) if primary >= 0 else fmt.DASH,
                "primary_value": fmt.coefficient(values[primary]) if primary >= 0 else fmt.DASH,
            }
        )
    return rows


def acquisition_by_group(
    acquisition: pd.DataFrame, groups: Sequence[str]
) -> tuple[list[str], list[str], FloatMatrix]:
    """Mean share of each route over each group's items (groups in report order)."""
    routes = [c for c in acquisition.columns if c not in ("item", "group", "n")]
    answered = acquisition[acquisition["n"] > 0]
    means = answered.groupby("group", sort=False)[routes].mean()
    present = [g for g in groups if g in means.index]
    return present, routes, means.loc[present, routes].to_numpy(dtype=float)


def delphi_rows(rounds: Sequence[Any]) -> list[dict[str, Any]]:
    rows = []
    for r in rounds:
        table = r.items
        consensus = int(table["consensus"].fillna(False).astype(bool).sum()) if len(table) else 0
        changed = median = fmt.DASH
        if "wilcoxon_p" in table:
            p = pd.to_numeric(table["wilcoxon_p"], errors="coerce")
            changed = str(int((p < 0.05).sum()))
            change = pd.to_numeric(table["distribution_change"], errors="coerce").dropna()
            median = fmt.mean(change.median()) if len(change) else fmt.DASH
        rows.append(
            {
                "round": str(r.number),
                "panellists": str(r.respondents),
                "items": str(len(table)),
                "consensus": str(consensus),
                "consensus_share": fmt.percent(consensus / len(table)) if len(table) else fmt.DASH,
                "kendalls_w": fmt.coefficient(r.kendalls_w, 3),
                "changed": changed,
                "median_change": median,
                "consensus_count": consensus,
            }
        )
    return rows


def delphi_item_rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    stability = "wilcoxon_p" in table
    return [
        {
            "item": str(row["item"]),
            "n": fmt.integer(row["n"]),
            "share": fmt.percent(row["share_top"]),
            "iqr": fmt.mean(row["iqr"]),
            "consensus": _flag(row["consensus"]),
            "change": fmt.mean(row["distribution_change"]) if stability else "",
            "p": fmt.pvalue(row["wilcoxon_p"]) if stability else "",
        }
        for _, row in table.iterrows()
    ]

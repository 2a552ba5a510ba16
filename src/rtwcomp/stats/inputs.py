"""Check the two input tables and score the answers.

Every statistic in this package uses *scored* answers: a reverse-keyed item's answer x
becomes scale_min + scale_max - x, so that a high score always means "more important".
Problems are raised as `SurveyDataError` naming the table, the 0-based row and the column,
so that a caller reading files can point at the exact line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rtwcomp.stats.arrays import BoolVector, FloatMatrix, FloatVector
from rtwcomp.stats.errors import SurveyDataError
from rtwcomp.stats.options import SurveyOptions

TRUE_WORDS = {"1", "true", "yes", "y"}
FALSE_WORDS = {"", "0", "false", "no", "n"}


@dataclass(frozen=True)
class ItemTable:
    """The items of a survey, in the order of the items table."""

    ids: list[str]
    groups: list[str]
    statements: list[str]
    reverse: BoolVector

    @property
    def group_names(self) -> list[str]:
        """Groups in order of first appearance."""
        return list(dict.fromkeys(self.groups))

    def members(self, group: str) -> list[int]:
        """Positions of the items of one group."""
        return [i for i, g in enumerate(self.groups) if g == group]


@dataclass(frozen=True)
class ScoredSurvey:
    """Scored answers (respondents x items, NaN = missing) and respondent attributes."""

    items: ItemTable
    scores: FloatMatrix
    attributes: pd.DataFrame


def _cell_text(value: object) -> str:
    """A cell as stripped text; missing values become ''."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def _duplicate_columns(columns: Sequence[object], table: str) -> None:
    seen: dict[str, int] = {}
    for position, name in enumerate(columns, start=1):
        key = str(name)
        if key in seen:
            raise SurveyDataError(
                f"column '{key}' appears twice (columns {seen[key]} and {position})",
                table=table,
                column=key,
            )
        seen[key] = position


def read_item_table(items: pd.DataFrame) -> ItemTable:
    """Check the items table (columns item, group, optional statement and reverse).

    Raises SurveyDataError for a missing column, a blank item or group, an item listed
    twice, or a `reverse` value other than blank, 0 or 1.
    """
    _duplicate_columns(list(items.columns), "items")
    columns = [str(c) for c in items.columns]
    for required in ("item", "group"):
        if required not in columns:
            raise SurveyDataError(
                f"required column '{required}' is missing", table="items", column=required
            )
    if len(items) == 0:
        raise SurveyDataError("the items table has no rows", table="items")
    frame = items.copy()
    frame.columns = pd.Index(columns)
    ids: list[str] = []
    groups: list[str] = []
    statements: list[str] = []
    reverse: list[bool] = []
    first_row: dict[str, int] = {}
    for row, record in enumerate(frame.itertuples(index=False)):
        values = dict(zip(columns, record, strict=True))
        item = _cell_text(values["item"])
        group = _cell_text(values["group"])
        if not item:
            raise SurveyDataError("the item id is blank", table="items", row=row, column="item")
        if item in first_row:
            raise SurveyDataError(
                f"item '{item}' is listed twice (rows {first_row[item] + 1} and {row + 1})",
                table="items",
                row=row,
                column="item",
            )
        if not group:
            raise SurveyDataError(
                f"item '{item}' has no group", table="items", row=row, column="group"
            )
        flag = _cell_text(values.get("reverse", "")).lower()
        if flag.endswith(".0"):
            flag = flag[:-2]
        if flag not in TRUE_WORDS | FALSE_WORDS:
            raise SurveyDataError(
                f"reverse must be blank, 0 or 1, not '{flag}'",
                table="items",
                row=row,
                column="reverse",
            )
        first_row[item] = row
        ids.append(item)
        groups.append(group)
        statements.append(_cell_text(values.get("statement", "")))
        reverse.append(flag in TRUE_WORDS)
    return ItemTable(ids, groups, statements, np.array(reverse, dtype=bool))


def _id_stems(ids: Sequence[str]) -> set[str]:
    """The parts of item ids before their trailing digits ("q" for q1..q100)."""
    stems = set()
    for item in ids:
        match = re.fullmatch(r"(.*?)(\d+)", item)
        if match:
            stems.add(match.group(1))
    return stems


def _check_columns(
    columns: list[str], table: ItemTable, subgroups: Sequence[str], id_column: str | None
) -> None:
    present = set(columns)
    for row, item in enumerate(table.ids):
        if item not in present:
            raise SurveyDataError(
                f"item '{item}' has no column in the responses",
                table="items",
                row=row,
                column="item",
            )
    listed = set(table.ids)
    for name in [*subgroups, *([id_column] if id_column else [])]:
        if name in listed:
            raise SurveyDataError(
                f"column '{name}' is an item, so it cannot be a respondent attribute",
                table="responses",
                column=name,
            )
        if name not in present:
            raise SurveyDataError(f"there is no column '{name}'", table="responses", column=name)
    stems = _id_stems(table.ids)
    declared = set(subgroups) | {id_column}
    for name in columns:
        match = re.fullmatch(r"(.*?)(\d+)", name)
        if name not in listed and name not in declared and match and match.group(1) in stems:
            raise SurveyDataError(
                f"column '{name}' looks like an item but is not listed in the items table",
                table="responses",
                column=name,
            )


def _numeric_answers(column: pd.Series, name: str, options: SurveyOptions) -> FloatVector:
    """One item's answers as floats (NaN = blank), or an error at the first bad cell."""
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        bad_text = np.zeros(len(values), dtype=bool)
        texts: list[str] | None = None
    else:
        texts = [_cell_text(v) for v in column.tolist()]
        cells = pd.Series([t if t else None for t in texts], dtype=object)
        values = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        bad_text = np.array([t != "" for t in texts]) & np.isnan(values)
    finite = np.isfinite(values)
    off_scale = finite & (
        (values < options.scale_min) | (values > options.scale_max) | (values != np.round(values))
    )
    infinite = ~np.isnan(values) & ~finite
    bad = bad_text | off_scale | infinite
    if bad.any():
        row = int(np.argmax(bad))
        shown = texts[row] if texts is not None else f"{values[row]:g}"
        scale = f"{options.scale_min}-{options.scale_max}"
        if bad_text[row] or infinite[row]:
            reason = f"answer '{shown}' is not a number (leave the cell blank when missing)"
        else:
            reason = f"answer '{shown}' is not a whole number on the scale {scale}"
        raise SurveyDataError(reason, table="responses", row=row, column=name)
    return values


def _check_unique_ids(responses: pd.DataFrame, id_column: str) -> None:
    texts = [_cell_text(v) for v in responses[id_column].tolist()]
    seen: dict[str, int] = {}
    for row, text in enumerate(texts):
        if not text:
            raise SurveyDataError(
                "the respondent id is blank", table="responses", row=row, column=id_column
            )
        if text in seen:
            raise SurveyDataError(
                f"respondent '{text}' appears twice (rows {seen[text] + 1} and {row + 1})",
                table="responses",
                row=row,
                column=id_column,
            )
        seen[text] = row


def _attributes(responses: pd.DataFrame, subgroups: Sequence[str]) -> pd.DataFrame:
    """Subgroup columns as text, blank = missing (None)."""
    data = {}
    for name in subgroups:
        texts = [_cell_text(v) for v in responses[name].tolist()]
        data[name] = pd.Series([t if t else None for t in texts], dtype=object)
    return pd.DataFrame(data, index=pd.RangeIndex(len(responses)))


def score_survey(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    options: SurveyOptions,
    id_column: str | None = None,
) -> ScoredSurvey:
    """Check both tables and return scored answers.

    Raises SurveyDataError for duplicate columns, an item without a column, a column that
    looks like an unlisted item (named like the item ids, e.g. q101 next to q1..q100), a
    missing subgroup or id column, a duplicate or blank respondent id, and any answer
    that is not a whole number on the scale.
    """
    table = read_item_table(items)
    _duplicate_columns(list(responses.columns), "responses")
    if len(responses) == 0:
        raise SurveyDataError("there are no respondents", table="responses")
    frame = responses.copy(deep=False)
    frame.columns = pd.Index([str(c) for c in responses.columns])
    _check_columns(list(frame.columns), table, options.subgroups, id_column)
    if id_column:
        _check_unique_ids(frame, id_column)
    scores = np.empty((len(frame), len(table.ids)), dtype=np.float64)
    first_error: SurveyDataError | None = None
    position = {name: k for k, name in enumerate(frame.columns)}
    for j, item in sorted(enumerate(table.ids), key=lambda pair: position[pair[1]]):
        try:
            scores[:, j] = _numeric_answers(frame[item], item, options)
        except SurveyDataError as error:
            if first_error is None or (error.row or 0) < (first_error.row or 0):
                first_error = error
    if first_error is not None:
        raise first_error
    flip = table.reverse
    scores[:, flip] = options.scale_min + options.scale_max - scores[:, flip]
    return ScoredSurvey(table, scores, _attributes(frame, options.subgroups))

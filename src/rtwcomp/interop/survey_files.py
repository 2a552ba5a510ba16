"""Survey data as files: write CSV (codes or labels), XLSX, SPSS .sav and a codebook for
other tools; read the CSV files `rtwcomp analyze` takes.

The data is a DataFrame with one row per response; `Variable`s describe its columns.
Every CSV goes through `csv_output` and every XLSX cell through its `defuse`, so no text
cell opens as a formula. Reading goes through `csv_input`: a responses file holds at most
`RESPONSES_LIMITS`, an items file `ITEMS_LIMITS`.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from rtwcomp.interop.csv_input import MB, Column, CsvReader, Limits, raise_problems
from rtwcomp.interop.csv_output import defuse_frame, rows_to_text, write_frame
from rtwcomp.interop.errors import InputError

# 200,000 respondents x 100 items is twice the largest survey bench/analysis.py runs.
RESPONSES_LIMITS = Limits(max_bytes=100 * MB, max_rows=200_000)
ITEMS_LIMITS = Limits(max_bytes=10 * MB, max_rows=10_000)
ITEM_COLUMNS = (Column("item", required=True), Column("group", required=True))


@dataclass(frozen=True)
class Variable:
    """One column: its name, a label, whether it holds numbers, and labels of its values."""

    name: str
    label: str
    numeric: bool = False
    values: dict[str, str] = field(default_factory=dict)
    measure: str = "nominal"


def spss_name(name: str, taken: set[str]) -> str:
    """A valid, unique SPSS variable name (letters, digits, _; starts with a letter)."""
    clean = re.sub(r"[^A-Za-z0-9_]", "_", name)
    if not clean or not clean[0].isalpha():
        clean = "v_" + clean
    clean = clean[:60]
    candidate, n = clean, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{clean}_{n}"
    taken.add(candidate.lower())
    return candidate


def whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Float columns that hold only whole numbers (ratings) as integers, so no file writes
    a rating as `3.0`; missing values stay missing."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if not pd.api.types.is_float_dtype(values.dtype):
            continue
        present = values.dropna().astype(float)
        if (present == present.round()).all():
            out[column] = values.astype("Int64")
    return out


def _integer_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if pd.api.types.is_integer_dtype(frame[c].dtype)]


def _text_safe(frame: pd.DataFrame) -> pd.DataFrame:
    return defuse_frame(frame)


def write_csv(frame: pd.DataFrame, variables: list[Variable], path: Path) -> None:
    """Codes as stored: scale values as numbers, choices by their value."""
    write_frame(frame, path)


def _label(value: Any, mapping: dict[str, str]) -> str:
    """The label of a cell (any scalar a DataFrame holds); blank for a missing value."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    key = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    return ";".join(mapping.get(part, part) for part in key.split(";"))


def labelled(frame: pd.DataFrame, variables: list[Variable]) -> pd.DataFrame:
    """The same table with every coded value replaced by its label."""
    out = frame.copy()
    for variable in variables:
        if variable.values and variable.name in out:
            out[variable.name] = [_label(v, variable.values) for v in out[variable.name]]
    return out


def write_labelled_csv(frame: pd.DataFrame, variables: list[Variable], path: Path) -> None:
    write_frame(labelled(frame, variables), path)


def codebook(variables: list[Variable]) -> pd.DataFrame:
    names: set[str] = set()
    return pd.DataFrame(
        [
            {
                "variable": v.name,
                "spss_name": spss_name(v.name, names),
                "label": v.label,
                "type": "numeric" if v.numeric else "text",
                "values": "; ".join(f"{k} = {label}" for k, label in v.values.items()),
            }
            for v in variables
        ]
    )


def write_codebook(variables: list[Variable], path: Path) -> None:
    write_frame(codebook(variables), path)


def write_xlsx(frame: pd.DataFrame, variables: list[Variable], path: Path) -> None:
    """Two sheets: the data (codes) and the codebook."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        _text_safe(frame).to_excel(writer, sheet_name="data", index=False)
        _text_safe(codebook(variables)).to_excel(writer, sheet_name="codebook", index=False)


def write_sav(frame: pd.DataFrame, variables: list[Variable], path: Path) -> None:
    """SPSS .sav with variable labels, value labels and measurement levels."""
    import pyreadstat

    names: set[str] = set()
    renamed = {v.name: spss_name(v.name, names) for v in variables}
    out = frame[[v.name for v in variables]].rename(columns=renamed)
    value_labels: dict[str, Any] = {}
    for v in variables:
        if not v.values:
            continue
        if v.numeric:
            value_labels[renamed[v.name]] = {float(k): label for k, label in v.values.items()}
        else:
            value_labels[renamed[v.name]] = dict(v.values)
    # SPSS stores every number as a double: whole-number columns get a format without
    # decimals (F8.0), so they show as 3, not 3.00.
    whole = {renamed[name] for name in _integer_columns(frame) if name in renamed}
    for v in variables:
        column = renamed[v.name]
        if v.numeric:
            out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
        else:
            out[column] = out[column].fillna("").astype(str)
    pyreadstat.write_sav(
        out,
        str(path),
        column_labels=[v.label[:250] for v in variables],
        variable_value_labels=value_labels,
        variable_measure={renamed[v.name]: v.measure for v in variables},
        variable_format={column: "F8.0" for column in whole},
    )


def _plain(value: Any) -> Any:
    """A cell as JSON: None for missing, int for whole numbers, else as it is."""
    if value is None or (not isinstance(value, str | list | dict) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy and pandas scalars
        value = value.item()
    return value


def write_json(frame: pd.DataFrame, variables: list[Variable], path: Path) -> None:
    """{"variables": the codebook, "responses": one object per row}; ratings as integers,
    missing values as null."""
    rows = [
        {column: _plain(value) for column, value in zip(frame.columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]
    document = {
        "variables": [
            {
                "name": v.name,
                "label": v.label,
                "type": "numeric" if v.numeric else "text",
                "values": v.values,
            }
            for v in variables
        ],
        "responses": rows,
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")


@dataclass(frozen=True)
class SurveyCsv:
    """A survey CSV read and checked: its header, the line each row starts on, and the
    rows again as plain CSV, for `frame`."""

    name: str
    header: list[str]
    lines: list[int]
    text: str

    def frame(self, text_columns: Sequence[str] | None = None) -> pd.DataFrame:
        """The rows as a DataFrame: `text_columns` as text (None: every column), the
        other columns as numbers where every value is one; blank cells are missing."""
        as_text = self.header if text_columns is None else [c for c in text_columns if c]
        try:
            frame = pd.read_csv(
                io.StringIO(self.text),
                header=None,
                names=range(len(self.header)),
                dtype={i: str for i, c in enumerate(self.header) if c in as_text},
                keep_default_na=False,
                na_values=[""],
            )
        except (pd.errors.ParserError, ValueError) as error:
            raise InputError([f"{self.name}: {error}"]) from None
        frame.columns = pd.Index(self.header)
        return frame


def read_survey_csv(
    path: Path, name: str, limits: Limits, required: Sequence[str] = ()
) -> SurveyCsv:
    """Read a responses or items CSV under `limits`; raise InputError naming the line and
    column of what is wrong (columns without a name are refused)."""
    columns = [Column(c, required=True) for c in required]
    with CsvReader(
        path, name, limits, columns=columns, allow_unnamed=False, skip_initial_space=True
    ) as reader:
        lines: list[int] = []
        cells: list[list[str]] = []
        for row in reader.rows():
            cells.append(row.cells)
            lines.append(row.line)
        header, problems = reader.header, reader.problems
    raise_problems(problems)
    if not lines:
        raise InputError([f"{name}: there is a header but no rows"])
    text = rows_to_text(None, cells, defused=False)  # checked rows, for pandas to type
    return SurveyCsv(name=name, header=header, lines=lines, text=text)

"""Write survey data for other tools: CSV (codes or labels), XLSX, SPSS .sav, a codebook.

The data is a DataFrame with one row per response; `Variable`s describe its columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def _defuse(value: object) -> object:
    """Keep spreadsheet programs from running a text cell as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _text_safe(frame: pd.DataFrame, variables: list[Variable]) -> pd.DataFrame:
    out = frame.copy()
    for variable in variables:
        if not variable.numeric and variable.name in out:
            out[variable.name] = out[variable.name].map(_defuse)
    return out


def write_csv(frame: pd.DataFrame, variables: list[Variable], path: Path) -> None:
    """Codes as stored: scale values as numbers, choices by their value."""
    _text_safe(frame, variables).to_csv(path, index=False, lineterminator="\n")


def _label(value: object, mapping: dict[str, str]) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
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
    safe = [Variable(v.name, v.label) for v in variables]
    _text_safe(labelled(frame, variables), safe).to_csv(path, index=False, lineterminator="\n")


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
    _text_safe(codebook(variables), [Variable("label", ""), Variable("values", "")]).to_csv(
        path, index=False, lineterminator="\n"
    )


def write_xlsx(frame: pd.DataFrame, variables: list[Variable], path: Path) -> None:
    """Two sheets: the data (codes) and the codebook."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        _text_safe(frame, variables).to_excel(writer, sheet_name="data", index=False)
        codebook(variables).to_excel(writer, sheet_name="codebook", index=False)


def write_sav(frame: pd.DataFrame, variables: list[Variable], path: Path) -> None:
    """SPSS .sav with variable labels, value labels and measurement levels."""
    import pyreadstat

    names: set[str] = set()
    renamed = {v.name: spss_name(v.name, names) for v in variables}
    out = frame[[v.name for v in variables]].rename(columns=renamed)
    value_labels = {}
    for v in variables:
        if not v.values:
            continue
        if v.numeric:
            value_labels[renamed[v.name]] = {float(k): label for k, label in v.values.items()}
        else:
            value_labels[renamed[v.name]] = dict(v.values)
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
    )

"""REDCap: write a data dictionary, read a records export.

The dictionary is REDCap's CSV of 18 columns, one row per field, the record id first and
each form's rows together. Choices are written `1, Label | 2, Label`; a Likert matrix is a
run of `radio` fields with the same choices and `Matrix Group Name`.

A records export (CSV, raw codes) has one column per field; a checkbox field one column
per choice (`field___code`); each form adds `<form>_complete` (0 incomplete, 1 unverified,
2 complete); survey projects may add `redcap_survey_identifier` and `<form>_timestamp`.
`read_records` checks the file's shape and gives its rows with their line numbers; what
the columns mean is the caller's (`surveys.exchange`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rtwcomp.interop import csv_output
from rtwcomp.interop.csv_input import MB, Column, Limits, Record, raise_problems, read_table
from rtwcomp.interop.errors import InputError

HEADER = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)
FIELD_TYPES = ("text", "notes", "radio", "dropdown", "checkbox", "yesno", "descriptive", "calc")
MAX_FIELD_NAME = 100
FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
CHECKBOX_SEPARATOR = "___"
COMPLETE = {"0": "incomplete", "1": "unverified", "2": "complete"}
# 200,000 records x 400 columns, as the responses CSV files rtwcomp reads.
RECORDS_LIMITS = Limits(max_bytes=100 * MB, max_rows=200_000)
RECORD_ID = "record_id"


@dataclass(frozen=True)
class Field:
    """One row of a data dictionary."""

    name: str
    form: str
    field_type: str
    label: str
    choices: Sequence[tuple[str, str]] = ()
    section: str = ""
    note: str = ""
    validation: str = ""
    minimum: str = ""
    maximum: str = ""
    branching: str = ""
    required: bool = False
    matrix: str = ""
    annotation: str = ""


def field_name(text: str, taken: set[str], prefix: str = "f") -> str:
    """A valid, unique REDCap field name made from `text` (lower case letters, digits and
    underscores, starting with a letter, at most MAX_FIELD_NAME characters)."""
    clean = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if not clean or not clean[0].isalpha():
        clean = f"{prefix}_{clean}".rstrip("_")
    clean = clean[: MAX_FIELD_NAME - 6]
    candidate, n = clean, 1
    while candidate in taken:
        n += 1
        candidate = f"{clean}_{n}"
    taken.add(candidate)
    return candidate


def choices_text(choices: Sequence[tuple[str, str]]) -> str:
    return " | ".join(f"{code}, {label}" for code, label in choices)


def parse_choices(text: str) -> list[tuple[str, str]]:
    """`1, Label | 2, Label` as [(code, label)]."""
    found = []
    for part in text.split("|"):
        code, _, label = part.strip().partition(",")
        if code.strip():
            found.append((code.strip(), label.strip()))
    return found


def check_fields(fields: Sequence[Field]) -> list[str]:
    """What REDCap would refuse in a dictionary: names, types, record id first, forms
    contiguous, one choice list per matrix."""
    problems: list[str] = []
    if not fields or fields[0].field_type != "text":
        problems.append("the first field must be the record id (text)")
    seen: set[str] = set()
    forms: list[str] = []
    matrices: dict[str, str] = {}
    for number, f in enumerate(fields, start=2):
        where = f"row {number}"
        if not FIELD_NAME.match(f.name) or len(f.name) > MAX_FIELD_NAME:
            problems.append(f"{where}: '{f.name}' is not a REDCap field name")
        if f.name in seen:
            problems.append(f"{where}: '{f.name}' is used twice")
        seen.add(f.name)
        if f.field_type not in FIELD_TYPES:
            problems.append(f"{where}: '{f.field_type}' is not a REDCap field type")
        if f.form in forms and forms[-1] != f.form:
            problems.append(f"{where}: the rows of form '{f.form}' are not together")
        if not forms or forms[-1] != f.form:
            forms.append(f.form)
        if f.matrix:
            same = matrices.setdefault(f.matrix, choices_text(f.choices))
            if same != choices_text(f.choices) or f.field_type not in ("radio", "checkbox"):
                problems.append(f"{where}: matrix '{f.matrix}' mixes choices or field types")
    return problems


def write_dictionary(fields: Sequence[Field]) -> str:
    """The data dictionary as CSV text; ValueError when REDCap would refuse it."""
    problems = check_fields(fields)
    if problems:
        raise ValueError("; ".join(problems[:5]))
    rows = [
        [
            f.name,
            f.form,
            f.section,
            f.field_type,
            f.label,
            choices_text(f.choices),
            f.note,
            f.validation,
            f.minimum,
            f.maximum,
            "",
            f.branching,
            "y" if f.required else "",
            "",
            "",
            f.matrix,
            "",
            f.annotation,
        ]
        for f in fields
    ]
    return csv_output.php_rows_to_text(HEADER, rows)


@dataclass(frozen=True)
class Records:
    """A records export: its columns and rows (values by column, with line numbers)."""

    name: str
    header: list[str]
    rows: list[Record]


def read_records(source: Path | BinaryIO, name: str, size: int | None = None) -> Records:
    """A REDCap records export (CSV, raw codes); InputError naming line and column."""
    table = read_table(source, name, (Column(RECORD_ID),), RECORDS_LIMITS, size=size)
    problems = list(table.problems)
    if not table.header or not table.header[0]:
        problems.append(f"{name}: line 1: the first column must be the record id")
    for column, heading in enumerate(table.header, start=1):
        if heading and not _column_name(heading):
            problems.append(
                f"{name}: line 1, column {column}: '{heading[:60]}' is not a REDCap field name"
            )
    raise_problems(problems)
    if not table.records:
        raise InputError([f"{name}: there is a header but no records"])
    return Records(name=name, header=table.header, rows=table.records)


def _column_name(heading: str) -> bool:
    base, _, code = heading.partition(CHECKBOX_SEPARATOR)
    return (
        bool(FIELD_NAME.match(base))
        and len(heading) <= MAX_FIELD_NAME + 40
        and (not code or re.fullmatch(r"[A-Za-z0-9_.\-]+", code) is not None)
    )

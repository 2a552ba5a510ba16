"""Read and write a framework as CSV: one row per competency.

Columns: `code`, `group`, `ksab_type`, `statement` (required); `group_description`,
`notes`, `sources` (separated by " ; "), `indicators` (separated by " | ") and
`statement_fr` (optional). Groups take the order of their first appearance.

An items file (`write_items_csv`) is what `rtwcomp analyze --items` reads: `item` (the
competency's code, the responses' column), `group` and `statement`, one row per item.

A file holds at most `LIMITS.max_rows` competencies and `LIMITS.max_bytes` bytes: 1,000
competencies (six times the default framework) are read in about 0.01 s and stored in one
transaction of about 0.2 s on two shared cores. The lengths of `code`, `group` and
`ksab_type` are those of the database columns they go to (`frameworks.models`);
tests/interop/test_model_limits.py keeps them equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

from rtwcomp.interop import csv_output
from rtwcomp.interop.csv_input import (
    MB,
    Column,
    Limits,
    Record,
    accepted,
    read_table,
    text_source,
)

KSAB_TYPES = ("knowledge", "skill", "attitude", "behaviour")
REQUIRED = ("code", "group", "ksab_type", "statement")
OPTIONAL = ("group_description", "notes", "sources", "indicators", "statement_fr")
SOURCE_SEPARATOR = " ; "
INDICATOR_SEPARATOR = " | "
LIMITS = Limits(max_bytes=5 * MB, max_rows=1_000)
MAX_FIELD = 10_000  # the text columns (statement, notes, ...) are unbounded in the database
MAX_CODE = 40  # Competency.code
MAX_GROUP = 100  # Group.key
MAX_KSAB = 10  # Competency.ksab_type
LENGTHS = {"code": MAX_CODE, "group": MAX_GROUP, "ksab_type": MAX_KSAB}
COLUMNS = tuple(
    Column(name, required=name in REQUIRED, max_length=LENGTHS.get(name, MAX_FIELD))
    for name in REQUIRED + OPTIONAL
)


@dataclass
class GroupRow:
    key: str
    description: str = ""
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class CompetencyRow:
    code: str
    group: str
    ksab_type: str
    statement: str
    notes: str = ""
    sources: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class FrameworkRows:
    groups: list[GroupRow]
    competencies: list[CompetencyRow]


def read_framework_csv(
    source: Path | BinaryIO, name: str | None = None, size: int | None = None
) -> FrameworkRows:
    """Parse and validate a framework CSV (a path or a binary file); raise InputError
    listing every problem."""
    label = name if name is not None else str(source)
    table = read_table(source, label, COLUMNS, LIMITS, size=size)
    return framework_rows(table.records, label, table.problems)


def parse_framework_csv(text: str, name: str) -> FrameworkRows:
    """The same, from text already in memory."""
    return read_framework_csv(text_source(text), name)


def framework_rows(
    records: Iterable[Record], name: str, problems: list[str] | None = None
) -> FrameworkRows:
    """Check rows read by `read_table` (or built alike) and group them."""
    problems = list(problems or [])
    groups: dict[str, GroupRow] = {}
    competencies: list[CompetencyRow] = []
    seen: dict[str, int] = {}
    for record in records:
        values = record.values
        problems += _check_row(values, record.line, name, seen)
        competency = _competency(values)
        competencies.append(competency)
        group = groups.setdefault(competency.group, GroupRow(key=competency.group))
        if values.get("group_description") and not group.description:
            group.description = values["group_description"]
    competencies = accepted(competencies, problems, name, "competency rows")
    return FrameworkRows(groups=list(groups.values()), competencies=competencies)


def _check_row(values: Mapping[str, str], line: int, name: str, seen: dict[str, int]) -> list[str]:
    where = f"{name}: line {line}"
    problems = [
        f"{where}, column '{column}': a value is required"
        for column in REQUIRED
        if not values.get(column)
    ]
    ksab = values.get("ksab_type", "").lower()
    if ksab and ksab not in KSAB_TYPES:
        problems.append(
            f"{where}, column 'ksab_type': '{values['ksab_type']}' is not one of "
            + ", ".join(KSAB_TYPES)
        )
    code = values.get("code", "")
    if code in seen:
        problems.append(f"{where}, column 'code': '{code}' already used on line {seen[code]}")
    elif code:
        seen[code] = line
    return problems


def _competency(values: Mapping[str, str]) -> CompetencyRow:
    translations = (
        {"fr": {"statement": values["statement_fr"]}} if values.get("statement_fr") else {}
    )
    return CompetencyRow(
        code=values.get("code", ""),
        group=values.get("group", ""),
        ksab_type=values.get("ksab_type", "").lower(),
        statement=values.get("statement", ""),
        notes=values.get("notes", ""),
        sources=_split(values.get("sources", ""), SOURCE_SEPARATOR),
        indicators=_split(values.get("indicators", ""), INDICATOR_SEPARATOR),
        translations=translations,
    )


def _split(value: str, separator: str) -> list[str]:
    return [part.strip() for part in value.split(separator.strip()) if part.strip()]


def write_framework_csv(rows: FrameworkRows, out: TextIO) -> None:
    """Write rows in the shape `read_framework_csv` reads back (text cells defused)."""
    descriptions = {g.key: g.description for g in rows.groups}
    csv_output.write_rows(
        out,
        REQUIRED + OPTIONAL,
        (
            [
                c.code,
                c.group,
                c.ksab_type,
                c.statement,
                descriptions.get(c.group, ""),
                c.notes,
                SOURCE_SEPARATOR.join(c.sources),
                INDICATOR_SEPARATOR.join(c.indicators),
                c.translations.get("fr", {}).get("statement", ""),
            ]
            for c in rows.competencies
        ),
    )


ITEMS_HEADER = ("item", "group", "statement")


def write_items_csv(items: Iterable[Sequence[str]], out: TextIO) -> None:
    """Write (item, group, statement) rows as the items file `rtwcomp analyze --items`
    reads (text cells defused)."""
    csv_output.write_rows(out, ITEMS_HEADER, ([str(cell) for cell in row] for row in items))

"""Read and write a framework as CSV: one row per competency.

Columns: `code`, `group`, `ksab_type`, `statement` (required); `group_description`,
`notes`, `sources` (separated by " ; "), `indicators` (separated by " | ") and
`statement_fr` (optional). Groups take the order of their first appearance.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from rtwcomp.interop.errors import InputError, read_text

KSAB_TYPES = ("knowledge", "skill", "attitude", "behaviour")
REQUIRED = ("code", "group", "ksab_type", "statement")
OPTIONAL = ("group_description", "notes", "sources", "indicators", "statement_fr")
SOURCE_SEPARATOR = " ; "
INDICATOR_SEPARATOR = " | "
MAX_FIELD = 10_000


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


def read_framework_csv(path: Path) -> FrameworkRows:
    """Parse and validate a framework CSV; raise InputError listing every problem."""
    return parse_framework_csv(read_text(path), str(path))


def parse_framework_csv(text: str, name: str) -> FrameworkRows:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise InputError([f"{name}: line 1: the file is empty; expected a header row"])
    problems = _check_header(header, name)
    if problems:
        raise InputError(problems)
    reader.fieldnames = header
    groups: dict[str, GroupRow] = {}
    competencies: list[CompetencyRow] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(values.values()):
            continue
        if None in row:
            problems.append(f"{name}: line {line}: more values than columns in the header")
            continue
        problems += _check_row(values, line, name, seen)
        competency = _competency(values)
        competencies.append(competency)
        group = groups.setdefault(competency.group, GroupRow(key=competency.group))
        if values.get("group_description") and not group.description:
            group.description = values["group_description"]
    if not competencies and not problems:
        problems.append(f"{name}: no competency rows after the header")
    if problems:
        raise InputError(problems)
    return FrameworkRows(groups=list(groups.values()), competencies=competencies)


def _check_header(header: list[str], name: str) -> list[str]:
    problems = [
        f"{name}: line 1: required column '{column}' is missing"
        for column in REQUIRED
        if column not in header
    ]
    duplicates = sorted({h for h in header if header.count(h) > 1})
    problems += [f"{name}: line 1: column '{h}' appears more than once" for h in duplicates]
    return problems


def _check_row(values: dict[str, str], line: int, name: str, seen: dict[str, int]) -> list[str]:
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
    problems += [
        f"{where}, column '{column}': longer than {MAX_FIELD} characters"
        for column, value in values.items()
        if len(value) > MAX_FIELD
    ]
    return problems


def _competency(values: dict[str, str]) -> CompetencyRow:
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


def write_framework_csv(rows: FrameworkRows, out: io.TextIOBase | io.StringIO) -> None:
    """Write rows in the shape `read_framework_csv` reads back."""
    descriptions = {g.key: g.description for g in rows.groups}
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REQUIRED + OPTIONAL)
    for c in rows.competencies:
        writer.writerow(
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
        )

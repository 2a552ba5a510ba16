"""Read focus-group statements from CSV: one row per statement.

Columns: `session`, `text` (required); `participant`, `statement_id` (optional; an ID
given is kept, and must be unique in the file). Other columns are ignored, so an export
reads back.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from rtwcomp.interop.errors import InputError, read_text

REQUIRED = ("session", "text")
OPTIONAL = ("statement_id", "participant")
MAX_TEXT = 5_000
MAX_CODE = 40
MAX_ID = 80


@dataclass(frozen=True)
class StatementRow:
    line: int
    statement_id: str
    session: str
    participant: str
    text: str


def read_statements_csv(path: Path) -> list[StatementRow]:
    """Parse and validate a statements CSV; raise InputError listing every problem."""
    return parse_statements_csv(read_text(path), str(path))


def parse_statements_csv(text: str, name: str) -> list[StatementRow]:
    try:
        return _parse(text, name)
    except csv.Error as error:
        raise InputError([f"{name}: not readable as CSV ({error})"]) from None


def _parse(text: str, name: str) -> list[StatementRow]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise InputError([f"{name}: line 1: the file is empty; expected a header row"])
    problems = [
        f"{name}: line 1: required column '{column}' is missing"
        for column in REQUIRED
        if column not in header
    ]
    problems += [
        f"{name}: line 1: column '{h}' appears more than once"
        for h in sorted({h for h in header if header.count(h) > 1})
    ]
    if problems:
        raise InputError(problems)
    reader.fieldnames = header
    rows: list[StatementRow] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append(f"{name}: line {line}: more values than columns in the header")
            continue
        values = {k: (v or "").strip() for k, v in row.items()}
        if not any(values.values()):
            continue
        problems += _check(values, f"{name}: line {line}", seen, line)
        rows.append(
            StatementRow(
                line=line,
                statement_id=values.get("statement_id", ""),
                session=values["session"],
                participant=values.get("participant", ""),
                text=values["text"],
            )
        )
    if not rows and not problems:
        problems.append(f"{name}: no statement rows after the header")
    if problems:
        raise InputError(problems)
    return rows


def _check(values: dict[str, str], where: str, seen: dict[str, int], line: int) -> list[str]:
    problems = [
        f"{where}, column '{column}': a value is required"
        for column in REQUIRED
        if not values.get(column)
    ]
    limits = {"text": MAX_TEXT, "session": MAX_CODE, "participant": MAX_CODE}
    limits["statement_id"] = MAX_ID
    problems += [
        f"{where}, column '{column}': longer than {limit} characters"
        for column, limit in limits.items()
        if len(values.get(column, "")) > limit
    ]
    statement_id = values.get("statement_id", "")
    if statement_id in seen:
        problems.append(
            f"{where}, column 'statement_id': '{statement_id}' already used on line "
            f"{seen[statement_id]}"
        )
    elif statement_id:
        seen[statement_id] = line
    return problems

"""Read focus-group statements from CSV: one row per statement.

Columns: `session`, `text` (required); `participant`, `statement_id` (optional; an ID
given is kept, and must be unique in the file), `set_aside` (optional: `yes` marks an
off-topic remark, empty or `no` does not). Other columns are ignored, so an export reads
back.

A file holds at most `LIMITS.max_rows` statements and `LIMITS.max_bytes` bytes. Measured on
two shared cores, 5,000 statements are read in under 0.1 s and stored in one transaction
of about half a second; 20,000 held the database's write lock for over 2 s, long enough
for other requests to time out (bench/uploads.py measures it under load). The lengths
below are those of the database columns the values go to (`elicitation.models`);
tests/interop/test_model_limits.py keeps them equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rtwcomp.interop.csv_input import MB, Column, Limits, accepted, read_table, text_source

LIMITS = Limits(max_bytes=5 * MB, max_rows=5_000)
MAX_TEXT = 5_000  # Statement.text is unbounded; a focus-group statement is far shorter
MAX_CODE = 40  # Session.code, Participant.code
MAX_ID = 80  # Statement.external_id
COLUMNS = (
    Column("session", required=True, max_length=MAX_CODE),
    Column("text", required=True, max_length=MAX_TEXT),
    Column("statement_id", max_length=MAX_ID),
    Column("participant", max_length=MAX_CODE),
    Column("set_aside", max_length=3),
)
SET_ASIDE = {"": False, "no": False, "yes": True}
REQUIRED = tuple(c.name for c in COLUMNS if c.required)


@dataclass(frozen=True)
class StatementRow:
    line: int
    statement_id: str
    session: str
    participant: str
    text: str
    set_aside: bool = False


def read_statements_csv(
    source: Path | BinaryIO,
    name: str | None = None,
    size: int | None = None,
    limits: Limits | None = None,
) -> list[StatementRow]:
    """Parse and validate a statements CSV (a path or a binary file); raise InputError
    listing every problem. A background import passes larger `limits` (default: `LIMITS`,
    read at call time)."""
    label = name if name is not None else str(source)
    table = read_table(source, label, COLUMNS, limits or LIMITS, size=size)
    problems = table.problems
    rows: list[StatementRow] = []
    seen: dict[str, int] = {}
    for record in table.records:
        values, line = record.values, record.line
        where = f"{label}: line {line}"
        problems += [
            f"{where}, column '{column}': a value is required"
            for column in REQUIRED
            if not values.get(column)
        ]
        statement_id = values.get("statement_id", "")
        if statement_id in seen:
            problems.append(
                f"{where}, column 'statement_id': '{statement_id}' already used on line "
                f"{seen[statement_id]}"
            )
        elif statement_id:
            seen[statement_id] = line
        aside = values.get("set_aside", "").strip().lower()
        if aside not in SET_ASIDE:
            problems.append(f"{where}, column 'set_aside': '{aside}' is not yes, no or empty")
        rows.append(
            StatementRow(
                line=line,
                statement_id=statement_id,
                session=values["session"],
                participant=values.get("participant", ""),
                text=values["text"],
                set_aside=SET_ASIDE.get(aside, False),
            )
        )
    return accepted(rows, problems, label, "statement rows")


def parse_statements_csv(text: str, name: str) -> list[StatementRow]:
    """The same, from text already in memory."""
    return read_statements_csv(text_source(text), name)

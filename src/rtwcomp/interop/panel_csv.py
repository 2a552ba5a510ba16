"""Read a panel of invitees: a CSV with `email` and optionally `name` and `language`.

A panel holds at most `LIMITS.max_rows` invitees and `LIMITS.max_bytes` bytes (a larger
panel goes in several files: invitees already on the panel are skipped). Measured on two
shared cores, 10,000 invitees are read in about 0.1 s and stored in one transaction of
under half a second; 50,000 held the database's write lock for about 3 s (bench/uploads.py
measures it under load). The lengths below are those of `surveys.models.Invitation`'s
columns; tests/interop/test_model_limits.py keeps them equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rtwcomp.interop.csv_input import MB, Column, Limits, accepted, read_table, text_source

EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
LANGUAGES = ("en", "fr")
LIMITS = Limits(max_bytes=5 * MB, max_rows=10_000)
MAX_EMAIL = 254  # Invitation.email
MAX_NAME = 200  # Invitation.name
MAX_LANGUAGE = 10  # Invitation.language
COLUMNS = (
    Column("email", required=True, max_length=MAX_EMAIL),
    Column("name", max_length=MAX_NAME),
    Column("language", max_length=MAX_LANGUAGE),
)


@dataclass(frozen=True)
class Invitee:
    email: str
    name: str
    language: str


def read_panel_csv(
    source: Path | BinaryIO,
    name: str | None = None,
    size: int | None = None,
    limits: Limits = LIMITS,
) -> list[Invitee]:
    """Validate every row of a panel CSV (a path or a binary file); raise InputError naming
    file, line and column of each problem. A background import passes larger `limits`."""
    label = name if name is not None else str(source)
    table = read_table(source, label, COLUMNS, limits, size=size, key=_lower)
    problems = table.problems
    invitees: list[Invitee] = []
    seen: dict[str, int] = {}
    for record in table.records:
        values, line = record.values, record.line
        email = values.get("email", "").lower()
        language = values.get("language", "").lower() or "en"
        where = f"{label}: line {line}"
        if not EMAIL.match(email):
            if len(email) <= MAX_EMAIL:  # a longer one is reported by the reader
                problems.append(f"{where}, column 'email': '{email[:80]}' is not an e-mail address")
        elif email in seen:
            problems.append(f"{where}, column 'email': '{email}' already on line {seen[email]}")
        else:
            seen[email] = line
        if language not in LANGUAGES:
            problems.append(
                f"{where}, column 'language': '{language[:20]}' is not one of "
                + ", ".join(LANGUAGES)
            )
        invitees.append(Invitee(email, values.get("name", ""), language))
    return accepted(invitees, problems, label)


def parse_panel_csv(text: str, name: str) -> list[Invitee]:
    """The same, from text already in memory."""
    return read_panel_csv(text_source(text), name)


def _lower(label: str) -> str:
    return label.strip().lower()

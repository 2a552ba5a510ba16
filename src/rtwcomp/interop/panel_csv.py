"""Read a panel of invitees: a CSV with `email` and optionally `name` and `language`."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from rtwcomp.interop.errors import InputError

EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Invitee:
    email: str
    name: str
    language: str


def parse_panel_csv(text: str, name: str) -> list[Invitee]:
    """Validate every row; raise InputError naming file, line and column of each problem."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "email" not in header:
        raise InputError([f"{name}: line 1: required column 'email' is missing"])
    reader.fieldnames = header
    problems: list[str] = []
    invitees: list[Invitee] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        email = (row.get("email") or "").strip().lower()
        language = (row.get("language") or "en").strip().lower() or "en"
        where = f"{name}: line {line}"
        if not EMAIL.match(email) or len(email) > 254:
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
        invitees.append(Invitee(email, (row.get("name") or "").strip()[:200], language))
    if not invitees and not problems:
        problems.append(f"{name}: no rows after the header")
    if problems:
        raise InputError(problems)
    return invitees

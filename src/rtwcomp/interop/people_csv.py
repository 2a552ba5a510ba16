"""Read a people file: coordinators, mentors and supervisors of one organisation.

Columns `name, email, role, team, mentor, supervisor`. `role` is coordinator, mentor or
supervisor, or several separated by `;`. `mentor` and `supervisor` name a person by e-mail
address: one on any line of the file (a later one too) or, when the caller passes them, one
already in the organisation. A supervisor supervises the team of the line they are named
on. Every problem is reported with its line and column; nothing is returned unless the
whole file is accepted. Lengths are those of `assessments.models.Person` and `Team`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rtwcomp.interop.csv_input import MB, Column, Limits, Record, accepted, read_table
from rtwcomp.interop.panel_csv import EMAIL, MAX_EMAIL

ROLES = ("coordinator", "mentor", "supervisor")
LIMITS = Limits(max_bytes=2 * MB, max_rows=5_000)
MAX_NAME = 200  # Person.name
MAX_TEAM = 120  # Team.name
COLUMNS = (
    Column("name", required=True, max_length=MAX_NAME),
    Column("email", required=True, max_length=MAX_EMAIL),
    Column("role", required=True, max_length=40),
    Column("team", max_length=MAX_TEAM),
    Column("mentor", max_length=MAX_EMAIL),
    Column("supervisor", max_length=MAX_EMAIL),
)


@dataclass(frozen=True)
class PersonRow:
    line: int
    name: str
    email: str
    roles: tuple[str, ...]
    team: str
    mentor: str
    supervisor: str


def read_people_csv(
    source: Path | BinaryIO,
    name: str | None = None,
    known: Mapping[str, Collection[str]] | None = None,
    size: int | None = None,
) -> list[PersonRow]:
    """Validate every row; `known` maps the e-mail addresses (lower case) of people the
    organisation has already to their roles: `mentor` and `supervisor` may name them too,
    and a line of the file about one of them replaces what is known."""
    label = name if name is not None else str(source)
    table = read_table(source, label, COLUMNS, LIMITS, size=size, key=str.lower)
    problems = table.problems
    people = [_person(record, label, problems) for record in table.records]
    _check_unique(people, label, problems)
    _check_references(people, dict(known or {}), label, problems)
    return accepted(people, problems, label, "people")


def _person(record: Record, label: str, problems: list[str]) -> PersonRow:
    values, where = record.values, f"{label}: line {record.line}"
    email = values.get("email", "").lower()
    if not EMAIL.match(email) and len(email) <= MAX_EMAIL:
        problems.append(f"{where}, column 'email': '{email[:80]}' is not an e-mail address")
    if not values.get("name"):
        problems.append(f"{where}, column 'name': a name is required")
    roles = tuple(sorted({r.strip().lower() for r in values.get("role", "").split(";") if r}))
    unknown = [role for role in roles if role not in ROLES]
    if unknown or not roles:
        problems.append(
            f"{where}, column 'role': '{values.get('role', '')[:40]}' must be one or more of "
            f"{', '.join(ROLES)} separated by ';'"
        )
    return PersonRow(
        record.line,
        values.get("name", ""),
        email,
        roles,
        values.get("team", ""),
        values.get("mentor", "").lower(),
        values.get("supervisor", "").lower(),
    )


def _check_unique(people: list[PersonRow], label: str, problems: list[str]) -> None:
    seen: dict[str, int] = {}
    for person in people:
        if person.email in seen:
            problems.append(
                f"{label}: line {person.line}, column 'email': '{person.email}' is already "
                f"on line {seen[person.email]}"
            )
        seen.setdefault(person.email, person.line)


def _check_references(
    people: list[PersonRow], known: dict[str, Collection[str]], label: str, problems: list[str]
) -> None:
    roles = known | {person.email: person.roles for person in people}
    for person in people:
        for column in ("mentor", "supervisor"):
            email = getattr(person, column)
            where = f"{label}: line {person.line}, column '{column}'"
            if not email:
                continue
            if email == person.email:
                problems.append(f"{where}: a person cannot be their own {column}")
            elif email not in roles:
                problems.append(f"{where}: nobody with the e-mail address '{email}'")
            elif column not in roles[email]:
                problems.append(f"{where}: '{email}' does not have the role {column}")
        if person.supervisor and not person.team:
            problems.append(
                f"{label}: line {person.line}, column 'team': a supervisor is named, so the "
                "team they supervise is required"
            )

"""LimeSurvey: write a survey structure (tab-separated text), read a responses export.

The structure file is UTF-8 with a byte-order mark, one row per survey setting (`S`),
language setting (`SL`), group (`G`), question (`Q`), sub-question (`SQ`) and answer
(`A`), told apart by the `class` column; what belongs to what is given by the order of
the rows, and each object's rows are repeated for every language, the primary first.
An importance battery is one "Array" question (type `F`) per group, its items as
sub-questions and the scale as answers.

A responses export (CSV, question codes as headings) heads an array's sub-question column
`QCODE[SQCODE]`; the SPSS and R exports write `QCODE_SQCODE`: both are read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from rtwcomp.interop.csv_input import MB, Column, Limits, Record, raise_problems, read_table
from rtwcomp.interop.errors import InputError

COLUMNS = (
    "id",
    "related_id",
    "class",
    "type/scale",
    "name",
    "relevance",
    "text",
    "help",
    "language",
    "validation",
    "mandatory",
    "encrypted",
    "other",
    "default",
    "same_default",
)
ARRAY, LIST, MULTIPLE, NUMERIC, SHORT_TEXT = "F", "L", "M", "N", "S"
MAX_CODE = 20  # LimeSurvey's question and sub-question codes
CODE = re.compile(r"[A-Za-z][A-Za-z0-9]*\Z")
RESPONSES_LIMITS = Limits(max_bytes=100 * MB, max_rows=200_000)
_HEADING = re.compile(
    r"(?P<q>[A-Za-z][A-Za-z0-9]*)(?:\[(?P<sq>[A-Za-z0-9_]+)\]|_(?P<sq2>[A-Za-z0-9]+))?\Z"
)


def code(text: str, taken: set[str], prefix: str = "Q") -> str:
    """A valid, unique LimeSurvey code made from `text`: letters and digits, starting with
    a letter, at most MAX_CODE characters."""
    clean = re.sub(r"[^A-Za-z0-9]", "", text)
    if not clean or not clean[0].isalpha():
        clean = prefix + clean
    clean = clean[: MAX_CODE - 3]
    candidate, n = clean, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{clean}{n}"
    taken.add(candidate.lower())
    return candidate


@dataclass
class Texts:
    """A text in each language, the primary first."""

    by_language: dict[str, str]

    def get(self, language: str) -> str:
        return self.by_language.get(language) or next(iter(self.by_language.values()), "")


@dataclass
class Answer:
    code: str
    text: Texts


@dataclass
class Question:
    code: str
    kind: str
    text: Texts
    mandatory: bool = False
    subquestions: list[Answer] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    relevance: str = "1"


@dataclass
class Group:
    name: Texts
    description: Texts
    questions: list[Question] = field(default_factory=list)


@dataclass
class Survey:
    title: Texts
    description: Texts
    languages: list[str]
    groups: list[Group] = field(default_factory=list)
    anonymized: bool = True


def _row(**cells: str) -> list[str]:
    return [cells.get(name.replace("/", "_"), "") for name in COLUMNS]


def _clean(text: str) -> str:
    """A cell of the tab-separated file: no tab or line break inside."""
    return re.sub(r"[\t\r\n]+", " ", text)


def structure_rows(survey: Survey) -> list[list[str]]:
    """Every row of the structure file, in LimeSurvey's order."""
    languages = survey.languages
    rows = [
        _row(**{"class": "S", "name": "language", "text": languages[0]}),
        _row(**{"class": "S", "name": "additional_languages", "text": " ".join(languages[1:])}),
        _row(**{"class": "S", "name": "format", "text": "G"}),
        _row(**{"class": "S", "name": "anonymized", "text": "Y" if survey.anonymized else "N"}),
    ]
    for language in languages:
        rows.append(
            _row(
                **{
                    "class": "SL",
                    "name": "surveyls_title",
                    "text": survey.title.get(language),
                    "language": language,
                }
            )
        )
        rows.append(
            _row(
                **{
                    "class": "SL",
                    "name": "surveyls_description",
                    "text": survey.description.get(language),
                    "language": language,
                }
            )
        )
    for number, group in enumerate(survey.groups, start=1):
        for language in languages:
            rows.append(
                _row(
                    **{
                        "id": str(number),
                        "class": "G",
                        "type_scale": "",
                        "name": group.name.get(language),
                        "relevance": "1",
                        "text": group.description.get(language),
                        "language": language,
                    }
                )
            )
        for question in group.questions:
            rows += _question_rows(question, languages)
    return [[_clean(cell) for cell in row] for row in rows]


def _question_rows(question: Question, languages: Sequence[str]) -> list[list[str]]:
    rows = [
        _row(
            **{
                "class": "Q",
                "type_scale": question.kind,
                "name": question.code,
                "relevance": question.relevance,
                "text": question.text.get(language),
                "language": language,
                "mandatory": "Y" if question.mandatory else "N",
                "other": "N",
                "encrypted": "N",
                "same_default": "0",
            }
        )
        for language in languages
    ]
    for sub in question.subquestions:
        rows += [
            _row(
                **{
                    "class": "SQ",
                    "type_scale": "0",
                    "name": sub.code,
                    "relevance": "1",
                    "text": sub.text.get(language),
                    "language": language,
                }
            )
            for language in languages
        ]
    for answer in question.answers:
        rows += [
            _row(
                **{
                    "class": "A",
                    "type_scale": "0",
                    "name": answer.code,
                    "text": answer.text.get(language),
                    "language": language,
                }
            )
            for language in languages
        ]
    return rows


def write_structure(survey: Survey) -> bytes:
    """The structure file: UTF-8 with a byte-order mark, tab-separated, CRLF line ends."""
    lines = ["\t".join(COLUMNS), *("\t".join(row) for row in structure_rows(survey))]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def read_structure(data: bytes) -> list[dict[str, str]]:
    """The rows of a structure file as mappings (for checks of what was written)."""
    text = data.decode("utf-8-sig")
    lines = [line for line in text.split("\r\n") if line]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


# --- responses ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """What a responses column is: a question, or a sub-question of one."""

    column: str
    question: str
    subquestion: str = ""


@dataclass(frozen=True)
class Responses:
    name: str
    header: list[str]
    headings: list[Heading]
    rows: list[Record]


def parse_heading(text: str) -> Heading | None:
    """`Q1`, `Q1[SQ001]` or `Q1_SQ001` (SPSS, R) as a Heading; None for anything else."""
    found = _HEADING.match(text.strip())
    if found is None:
        return None
    sub = found["sq"] or found["sq2"] or ""
    return Heading(column=text, question=found["q"], subquestion=sub)


def read_responses(source: Path | BinaryIO, name: str, size: int | None = None) -> Responses:
    """A LimeSurvey responses export (CSV with question codes as headings); InputError
    naming line and column. Columns whose heading is not a code are kept unmatched."""
    table = read_table(source, name, (Column("id"),), RESPONSES_LIMITS, size=size)
    raise_problems(table.problems)
    if not table.records:
        raise InputError([f"{name}: there is a header but no responses"])
    headings = [h for h in (parse_heading(c) for c in table.header if c) if h is not None]
    return Responses(name=name, header=table.header, headings=headings, rows=table.records)

"""Moodle's competency framework CSV (the "lpimportcsv" admin tool): read and write.

The file has Moodle's 14 columns. The first data row is the framework (with its scale and
taxonomy); each later row a competency of Moodle's, whose depth says what it is here:
depth 1 a group, depth 2 a competency, deeper a behavioural indicator of the competency
above it. Descriptions are HTML. rtwcomp writes each text it has no column for as a
paragraph marked with `data-field` (and `lang` for French), so that its own files read
back without loss; another tool's description is read as the statement's text.
Rules, cross-references and scale overrides of another tool's file are checked and
dropped: rtwcomp has no place for them.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from rtwcomp.interop import csv_output
from rtwcomp.interop.csv_input import MB, Column, Limits, Record, raise_problems, read_table

HEADER = (
    "Parent id number",
    "Id number",
    "Shortname",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross referenced competency id numbers",
    "Exported id (optional)",
    "Is framework",
    "Taxonomy",
)
PARENT, IDNUMBER, SHORTNAME, DESCRIPTION, FORMAT = HEADER[:5]
SCALE, SCALE_CONFIG, RULE_TYPE, RULE_OUTCOME, RULE_CONFIG = HEADER[5:10]
CROSS, EXPORTED, IS_FRAMEWORK, TAXONOMY = HEADER[10:]
LIMITS = Limits(max_bytes=20 * MB, max_rows=20_000, max_cell=50_000)
MAX_SHORTNAME = 100  # Moodle's competency shortname
MAX_IDNUMBER = 100  # Moodle's id numbers
MAX_CODE = 40  # Competency.code
MAX_NAME = 200  # Group.name, Framework.name
FORMAT_HTML = "1"
SCALE_VALUES = "Not yet competent,Competent"
SCALE_CONFIGURATION = json.dumps(
    [
        {"scaleid": "2"},
        {"id": 1, "scaledefault": 1, "proficient": 0},
        {"id": 2, "scaledefault": 0, "proficient": 1},
    ]
)
TAXONOMY_TERMS = (
    "behaviour",
    "competency",
    "concept",
    "domain",
    "indicator",
    "level",
    "outcome",
    "practice",
    "proficiency",
    "skill",
    "value",
)
OUR_TAXONOMY = "domain,competency,indicator"
RULE_TYPES = ("", "core_competency\\competency_rule_all", "core_competency\\competency_rule_points")
KSAB_TYPES = ("knowledge", "skill", "attitude", "behaviour")
COLUMNS = tuple(
    Column(name, required=name in (IDNUMBER, SHORTNAME, IS_FRAMEWORK)) for name in HEADER
)


@dataclass
class MoodleIndicator:
    text: str
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class MoodleCompetency:
    code: str
    group: str
    statement: str
    ksab_type: str = ""
    notes: str = ""
    sources: list[str] = field(default_factory=list)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    indicators: list[MoodleIndicator] = field(default_factory=list)


@dataclass
class MoodleGroup:
    key: str
    name: str
    description: str = ""
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class MoodleFramework:
    idnumber: str
    name: str
    description: str = ""
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    citation: str = ""
    source: str = ""
    groups: list[MoodleGroup] = field(default_factory=list)
    competencies: list[MoodleCompetency] = field(default_factory=list)
    scale_values: str = SCALE_VALUES
    scale_configuration: str = SCALE_CONFIGURATION
    taxonomy: str = OUR_TAXONOMY


# --- writing ---------------------------------------------------------------------------


def _paragraph(name: str, text: str, language: str = "") -> str:
    lang = f' lang="{html.escape(language)}"' if language else ""
    return f'<p data-field="{name}"{lang}>{html.escape(text, quote=False)}</p>'


def _html(fields: list[tuple[str, str, str]]) -> str:
    return "\n".join(_paragraph(name, text, lang) for name, text, lang in fields if text)


def _translated(
    translations: dict[str, dict[str, str]], key: str, name: str
) -> list[tuple[str, str, str]]:
    return [(name, str(t.get(key, "")), lang) for lang, t in sorted(translations.items())]


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= MAX_SHORTNAME else line[: MAX_SHORTNAME - 1] + "…"


def _row(parent: str, idnumber: str, shortname: str, description: str) -> list[str]:
    return [
        parent,
        idnumber,
        _short(shortname),
        description,
        FORMAT_HTML,
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "0",
        "",
    ]


def write_moodle(content: MoodleFramework, out: TextIO) -> None:
    """The framework row, then every group, competency and indicator in order."""
    rows: list[list[str]] = [
        [
            "",
            content.idnumber,
            _short(content.name),
            _html(
                [
                    ("name", content.name, ""),
                    ("description", content.description, ""),
                    ("citation", content.citation, ""),
                    ("source", content.source, ""),
                    *_translated(content.translations, "name", "name"),
                    *_translated(content.translations, "description", "description"),
                ]
            ),
            FORMAT_HTML,
            content.scale_values,
            content.scale_configuration,
            "",
            "",
            "",
            "",
            "",
            "1",
            content.taxonomy,
        ]
    ]
    members: dict[str, list[MoodleCompetency]] = {}
    for competency in content.competencies:
        members.setdefault(competency.group, []).append(competency)
    for group in content.groups:
        rows.append(
            _row(
                "",
                group.key,
                group.name,
                _html(
                    [
                        ("name", group.name, ""),
                        ("description", group.description, ""),
                        *_translated(group.translations, "name", "name"),
                        *_translated(group.translations, "description", "description"),
                    ]
                ),
            )
        )
        for c in members.get(group.key, []):
            rows.append(
                _row(
                    group.key,
                    c.code,
                    c.statement,
                    _html(
                        [
                            ("statement", c.statement, ""),
                            *_translated(c.translations, "statement", "statement"),
                            ("ksab_type", c.ksab_type, ""),
                            ("notes", c.notes, ""),
                            *[("source", s, "") for s in c.sources],
                        ]
                    ),
                )
            )
            for n, indicator in enumerate(c.indicators, start=1):
                rows.append(
                    _row(
                        c.code,
                        f"{c.code}.{n}",
                        indicator.text,
                        _html(
                            [
                                ("text", indicator.text, ""),
                                *_translated(indicator.translations, "text", "text"),
                            ]
                        ),
                    )
                )
    out.write(csv_output.php_rows_to_text(HEADER, rows))


# --- reading ---------------------------------------------------------------------------


class _Fields(HTMLParser):
    """The `data-field` paragraphs of a description, and its whole text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self._open: tuple[str, str] | None = None
        self._parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "p" and found.get("data-field"):
            self._open = (str(found["data-field"]), str(found.get("lang") or ""))
            self._parts = []
        elif tag in ("p", "br", "div", "li"):
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._open is not None:
            self.fields.append((*self._open, "".join(self._parts)))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._parts.append(data)
        self.text.append(data)


@dataclass
class _Description:
    fields: dict[str, list[str]]
    translations: dict[str, dict[str, str]]
    text: str

    def first(self, name: str) -> str:
        return self.fields.get(name, [""])[0]


def parse_description(text: str, fmt: str) -> _Description:
    """The fields rtwcomp wrote into a description, else its plain text."""
    if fmt.strip() not in ("", FORMAT_HTML, "0"):
        return _Description({}, {}, text.strip())
    parser = _Fields()
    parser.feed(text)
    parser.close()
    fields: dict[str, list[str]] = {}
    translations: dict[str, dict[str, str]] = {}
    for name, language, value in parser.fields:
        if language:
            translations.setdefault(language, {})[name] = value
        else:
            fields.setdefault(name, []).append(value)
    plain = "\n".join(line.strip() for line in "".join(parser.text).splitlines() if line.strip())
    return _Description(fields, translations, plain)


def read_moodle(source: Path | BinaryIO, name: str, size: int | None = None) -> MoodleFramework:
    """Parse and check a Moodle competency framework CSV; InputError names every problem's
    line and column. Nothing is returned unless the whole file is accepted."""
    table = read_table(source, name, COLUMNS, LIMITS, size=size)
    problems = list(table.problems)
    missing = [h for h in HEADER if h not in table.header]
    if missing:
        problems.append(f"{name}: line 1: Moodle's columns are missing: " + ", ".join(missing))
    raise_problems(problems)
    if not table.records:
        raise_problems([f"{name}: line 2: there is no framework row"])
    reader = _Reader(name)
    content = reader.read(table.records)
    raise_problems(reader.problems)
    return content


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[str] = []

    def problem(self, record: Record, column: str, message: str) -> None:
        self.problems.append(f"{self.name}: line {record.line}, column '{column}': {message}")

    def read(self, records: list[Record]) -> MoodleFramework:
        head, rest = records[0], records[1:]
        if head.values.get(IS_FRAMEWORK) != "1":
            self.problem(head, IS_FRAMEWORK, "the first row must be the framework (1)")
        content = self.framework(head)
        depth = self.depths(rest)
        groups: dict[str, MoodleGroup] = {}
        competencies: dict[str, MoodleCompetency] = {}
        parent_of = {r.values.get(IDNUMBER, ""): r.values.get(PARENT, "") for r in rest}
        for record in rest:
            self.check_moodle_columns(record)
            idnumber = record.values.get(IDNUMBER, "")
            level = depth.get(idnumber, 0)
            if level == 1:
                groups[idnumber] = self.group(record)
                content.groups.append(groups[idnumber])
            elif level == 2:
                competency = self.competency(record, parent_of[idnumber])
                competencies[idnumber] = competency
                content.competencies.append(competency)
        for record in rest:
            idnumber = record.values.get(IDNUMBER, "")
            if depth.get(idnumber, 0) >= 3:
                owner = idnumber
                while depth.get(owner, 0) > 2:
                    owner = parent_of[owner]
                if owner in competencies:
                    competencies[owner].indicators.append(self.indicator(record))
        return content

    def framework(self, record: Record) -> MoodleFramework:
        values = record.values
        described = parse_description(values.get(DESCRIPTION, ""), values.get(FORMAT, ""))
        name = described.first("name") or values.get(SHORTNAME, "")
        self.length(record, SHORTNAME, name, MAX_NAME)
        taxonomy = values.get(TAXONOMY, "")
        unknown = [t for t in taxonomy.split(",") if t.strip() and t.strip() not in TAXONOMY_TERMS]
        if unknown:
            self.problem(
                record,
                TAXONOMY,
                f"'{unknown[0]}' is not one of Moodle's terms: " + ", ".join(TAXONOMY_TERMS),
            )
        config = values.get(SCALE_CONFIG, "")
        if config:
            self.json_value(record, SCALE_CONFIG, config)
        return MoodleFramework(
            idnumber=values.get(IDNUMBER, ""),
            name=name,
            description=described.first("description") if described.fields else described.text,
            translations=_group_translations(described),
            citation=described.first("citation"),
            source=described.first("source"),
            scale_values=values.get(SCALE, ""),
            scale_configuration=config,
            taxonomy=taxonomy,
        )

    def depths(self, records: list[Record]) -> dict[str, int]:
        parents: dict[str, str] = {}
        for record in records:
            idnumber = record.values.get(IDNUMBER, "")
            if not idnumber:
                self.problem(record, IDNUMBER, "a value is required")
            elif idnumber in parents:
                self.problem(record, IDNUMBER, f"'{idnumber}' is used twice")
            elif len(idnumber) > MAX_IDNUMBER:
                self.problem(record, IDNUMBER, f"longer than {MAX_IDNUMBER} characters")
            else:
                parents[idnumber] = record.values.get(PARENT, "")
        depth: dict[str, int] = {}
        for record in records:
            idnumber = record.values.get(IDNUMBER, "")
            if idnumber not in parents or idnumber in depth:
                continue
            chain, node = [idnumber], parents[idnumber]
            while node and node not in depth and node in parents and node not in chain:
                chain.append(node)
                node = parents[node]
            if node and node in chain:
                self.problem(record, PARENT, f"'{idnumber}' is its own ancestor")
                continue
            if node and node not in parents and node not in depth:
                self.problem(record, PARENT, f"no row has the id number '{node}'")
                continue
            base = depth.get(node, 0) if node else 0
            for offset, member in enumerate(reversed(chain), start=1):
                depth[member] = base + offset
        return depth

    def check_moodle_columns(self, record: Record) -> None:
        values = record.values
        if values.get(RULE_TYPE, "") not in RULE_TYPES:
            self.problem(record, RULE_TYPE, "not one of Moodle's rule types")
        if values.get(RULE_OUTCOME, "") not in ("", "0", "1", "2", "3"):
            self.problem(record, RULE_OUTCOME, "must be 0, 1, 2 or 3")
        for column in (RULE_CONFIG, SCALE_CONFIG):
            if values.get(column, "") not in ("", "null"):
                self.json_value(record, column, values[column])
        if values.get(IS_FRAMEWORK, "") not in ("", "0"):
            self.problem(record, IS_FRAMEWORK, "only the first row is the framework")

    def json_value(self, record: Record, column: str, text: str) -> Any:
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            self.problem(record, column, "not valid JSON")
            return None

    def length(self, record: Record, column: str, text: str, limit: int) -> None:
        if len(text) > limit:
            self.problem(record, column, f"longer than {limit} characters")

    def group(self, record: Record) -> MoodleGroup:
        values = record.values
        described = parse_description(values.get(DESCRIPTION, ""), values.get(FORMAT, ""))
        key = values[IDNUMBER]
        name = described.first("name") or values.get(SHORTNAME, "") or key
        self.length(record, SHORTNAME, name, MAX_NAME)
        return MoodleGroup(
            key=key,
            name=name,
            description=described.first("description") if described.fields else described.text,
            translations=_group_translations(described),
        )

    def competency(self, record: Record, group: str) -> MoodleCompetency:
        values = record.values
        described = parse_description(values.get(DESCRIPTION, ""), values.get(FORMAT, ""))
        code = values[IDNUMBER]
        self.length(record, IDNUMBER, code, MAX_CODE)
        statement = described.first("statement") or described.text or values.get(SHORTNAME, "")
        if not statement:
            self.problem(record, SHORTNAME, "a competency needs a name or a description")
        ksab = described.first("ksab_type")
        if ksab and ksab not in KSAB_TYPES:
            self.problem(record, DESCRIPTION, f"'{ksab}' is not one of " + ", ".join(KSAB_TYPES))
        return MoodleCompetency(
            code=code,
            group=group,
            statement=statement,
            ksab_type=ksab,
            notes=described.first("notes"),
            sources=described.fields.get("source", []),
            translations={
                lang: {"statement": t["statement"]}
                for lang, t in described.translations.items()
                if t.get("statement")
            },
        )

    def indicator(self, record: Record) -> MoodleIndicator:
        values = record.values
        described = parse_description(values.get(DESCRIPTION, ""), values.get(FORMAT, ""))
        text = described.first("text") or described.text or values.get(SHORTNAME, "")
        if not text:
            self.problem(record, SHORTNAME, "an indicator needs a name or a description")
        return MoodleIndicator(
            text=text,
            translations={
                lang: {"text": t["text"]}
                for lang, t in described.translations.items()
                if t.get("text")
            },
        )


def _group_translations(described: _Description) -> dict[str, dict[str, str]]:
    return {
        lang: {k: v for k, v in t.items() if k in ("name", "description")}
        for lang, t in described.translations.items()
        if t.get("name") or t.get("description")
    }

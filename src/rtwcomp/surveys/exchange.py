"""A study's instrument for REDCap and LimeSurvey, and responses from them (and from
rtwcomp's own responses CSV).

Exports: a REDCap data dictionary (the items as one matrix of radio fields per group on
the study's scale, how each item was acquired and kept up when asked, the questions about
the respondent as fields) and a LimeSurvey survey structure (one Array question per group,
English and French). Both name the items alike each time, so a records or responses export
of that instrument maps back to the study.

Imports go through the web's own validation (`responding.save_items`, `save_questions`),
row by row, in one transaction: any invalid value refuses the whole file, naming its line
and column. Incomplete records (REDCap `<form>_complete` other than 2, LimeSurvey without
`submitdate`) are left out and listed in the report, as are the file's columns that match
nothing in the study.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.db import transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from rtwcomp.frameworks import exchange as frameworks_exchange
from rtwcomp.interop import limesurvey, redcap
from rtwcomp.interop.csv_input import Record, read_table
from rtwcomp.interop.errors import InputError
from rtwcomp.interop.survey_files import RESPONSES_LIMITS
from rtwcomp.surveys import responding
from rtwcomp.surveys.models import (
    ACQUIRED_CHOICES,
    MAINTAINED_CHOICES,
    Question,
    Study,
    StudyItem,
    SurveyResponse,
)

FORM = "importance_survey"
LANGUAGES = ("en", "fr")
EXPORT_FORMATS = ("redcap-dictionary", "limesurvey-structure", "case")
IMPORT_FORMATS = ("csv", "redcap", "limesurvey")
EXTRAS = (("acquired", ACQUIRED_CHOICES), ("maintained", MAINTAINED_CHOICES))


def _items(study: Study) -> list[StudyItem]:
    items = study.current_round().items.select_related("competency__group")
    return list(items.order_by("position"))


def _by_group(items: list[StudyItem]) -> list[tuple[Any, list[StudyItem]]]:
    groups: dict[int, tuple[Any, list[StudyItem]]] = {}
    for item in items:
        group = item.competency.group
        groups.setdefault(group.pk, (group, []))[1].append(item)
    return list(groups.values())


def _fr(obj: Any, key: str, fallback: str) -> str:
    translations = obj.get("translations", {}) if isinstance(obj, dict) else obj.translations
    found = translations.get("fr")
    if isinstance(found, str):
        return found or fallback
    return str((found or {}).get(key) or fallback)


# --- where each answer goes: "item-<pk>", "acquired-<pk>", "q-<key>", ... -----------------


@dataclass
class Target:
    """The form field of the web pages a column of an imported file fills."""

    field: str
    #: for a choice: {code in the file: value the web form takes}
    codes: dict[str, str] = field(default_factory=dict)
    #: a checkbox column: the choice's value when the cell says it is ticked
    ticked: str = ""
    #: several choices in one cell, separated by ";" (rtwcomp's own CSV)
    several: bool = False


# --- REDCap ------------------------------------------------------------------------------


def redcap_fields(study: Study) -> tuple[list[redcap.Field], dict[str, Target]]:
    """The dictionary's fields and, by field (or checkbox column) name, their target."""
    taken = {redcap.RECORD_ID}
    matrices: set[str] = set()
    fields = [redcap.Field(redcap.RECORD_ID, FORM, "text", "Record ID")]
    targets: dict[str, Target] = {}
    scale = [(str(p["value"]), str(p["label"])) for p in study.scale]
    for number, (group, items) in enumerate(_by_group(_items(study)), start=1):
        matrix = redcap.field_name(f"g{number}_{group.key}", matrices)[:60]
        for n, item in enumerate(items):
            name = redcap.field_name(item.competency.code, taken, "i")
            fields.append(
                redcap.Field(
                    name,
                    FORM,
                    "radio",
                    item.competency.statement,
                    scale,
                    section=group.name if n == 0 else "",
                    matrix=matrix,
                    annotation=item.competency.code,
                )
            )
            targets[name] = Target(f"item-{item.pk}")
        for extra, choices in EXTRAS:
            if not getattr(study, f"ask_{extra}"):
                continue
            coded = [(value, label) for value, label, _fr in choices]
            for n, item in enumerate(items):
                name = redcap.field_name(f"{item.competency.code}_{extra}", taken, "i")
                fields.append(
                    redcap.Field(
                        name,
                        FORM,
                        "radio",
                        f"{item.competency.code}: how {extra}",
                        coded,
                        section=f"{group.name}: {extra}" if n == 0 else "",
                        matrix=f"{matrix}_{extra[:3]}",
                    )
                )
                targets[name] = Target(f"{extra}-{item.pk}")
    for question in study.questions.order_by("position"):
        fields += _redcap_question(question, taken, targets)
    return fields, targets


def _redcap_question(
    question: Question, taken: set[str], targets: dict[str, Target]
) -> list[redcap.Field]:
    name = redcap.field_name(question.key, taken, "q")
    choices = [(str(c["value"]), str(c["label"])) for c in question.choices]
    kind = question.kind
    found = [
        redcap.Field(
            name,
            FORM,
            {"choice": "radio", "multi": "checkbox"}.get(kind, "text"),
            question.label,
            choices if kind in ("choice", "multi") else (),
            validation="number" if kind == "number" else "",
            minimum="0" if kind == "number" else "",
            maximum="100" if kind == "number" else "",
            required=question.required,
            annotation=question.key,
        )
    ]
    targets[name] = Target(f"q-{question.key}")
    if kind == "multi":
        for value, _label in choices:
            targets[f"{name}{redcap.CHECKBOX_SEPARATOR}{value.lower()}"] = Target(
                f"q-{question.key}", ticked=value
            )
    for choice in question.choices:
        if choice.get("specify"):
            other = redcap.field_name(f"{question.key}_other", taken, "q")
            shown = (
                f"[{name}({choice['value']})] = '1'"
                if kind == "multi"
                else f"[{name}] = '{choice['value']}'"
            )
            found.append(
                redcap.Field(other, FORM, "text", f"{question.label}: other", branching=shown)
            )
            targets[other] = Target(f"q-{question.key}_other")
    return found


def redcap_dictionary(study: Study) -> str:
    fields, _targets = redcap_fields(study)
    return redcap.write_dictionary(fields)


# --- LimeSurvey ----------------------------------------------------------------------------


def _texts(english: str, french: str) -> limesurvey.Texts:
    return limesurvey.Texts({"en": english, "fr": french or english})


def limesurvey_survey(study: Study) -> tuple[limesurvey.Survey, dict[str, Target]]:
    """The survey structure and, by `QCODE[SQCODE]` heading (lower case), the target."""
    survey = limesurvey.Survey(
        title=_texts(study.name, _fr(study, "name", study.name)),
        description=_texts(study.description, _fr(study, "description", study.description)),
        languages=list(LANGUAGES),
        anonymized=study.anonymous,
    )
    taken: set[str] = set()
    targets: dict[str, Target] = {}
    scale = [
        limesurvey.Answer(str(p["value"]), _texts(str(p["label"]), _fr(p, "", str(p["label"]))))
        for p in study.scale
    ]
    for number, (group, items) in enumerate(_by_group(_items(study)), start=1):
        block = limesurvey.Group(
            _texts(group.name, _fr(group, "name", group.name)),
            _texts(group.description, _fr(group, "description", "")),
        )
        qcode = limesurvey.code(f"G{number}", taken)
        subs: list[limesurvey.Answer] = []
        sub_taken: set[str] = set()
        for item in items:
            competency = item.competency
            sub = limesurvey.code(competency.code, sub_taken, "SQ")
            subs.append(
                limesurvey.Answer(
                    sub, _texts(competency.statement, _fr(competency, "statement", ""))
                )
            )
            targets[f"{qcode}[{sub}]".lower()] = Target(f"item-{item.pk}")
        block.questions.append(
            limesurvey.Question(
                qcode,
                limesurvey.ARRAY,
                _texts(
                    "How important is each to the role?",
                    "Quelle est l'importance de chacun pour le rôle?",
                ),
                subquestions=subs,
                answers=scale,
            )
        )
        for extra, choices in EXTRAS:
            if getattr(study, f"ask_{extra}"):
                block.questions.append(
                    _extra_array(extra, choices, qcode, subs, items, taken, targets)
                )
        survey.groups.append(block)
    questions = list(study.questions.order_by("position"))
    if questions:
        about = limesurvey.Group(_texts("About you", "À votre sujet"), _texts("", ""))
        for question in questions:
            about.questions += _limesurvey_question(question, taken, targets)
        survey.groups.append(about)
    return survey, targets


def _extra_array(
    extra: str,
    choices: Any,
    qcode: str,
    subs: list[limesurvey.Answer],
    items: list[StudyItem],
    taken: set[str],
    targets: dict[str, Target],
) -> limesurvey.Question:
    code = limesurvey.code(f"{qcode}{extra[:3].upper()}", taken)
    answers = [
        limesurvey.Answer(f"A{n}", _texts(en, fr))
        for n, (_v, en, fr) in enumerate(choices, start=1)
    ]
    codes = {f"a{n}": value for n, (value, _en, _fr) in enumerate(choices, start=1)}
    for sub, item in zip(subs, items, strict=True):
        targets[f"{code}[{sub.code}]".lower()] = Target(f"{extra}-{item.pk}", codes=codes)
    text = {
        "acquired": ("How did you acquire each?", "Comment avez-vous acquis chacun?"),
        "maintained": ("How do you keep each up?", "Comment maintenez-vous chacun?"),
    }[extra]
    return limesurvey.Question(
        code, limesurvey.ARRAY, _texts(*text), subquestions=subs, answers=answers
    )


def _limesurvey_question(
    question: Question, taken: set[str], targets: dict[str, Target]
) -> list[limesurvey.Question]:
    code = limesurvey.code(question.key, taken)
    text = _texts(question.label, _fr(question, "label", question.label))
    choices = [(f"A{n}", c) for n, c in enumerate(question.choices, start=1)]
    options = [
        limesurvey.Answer(a, _texts(str(c["label"]), _fr(c, "", str(c["label"]))))
        for a, c in choices
    ]
    field_name = f"q-{question.key}"
    if question.kind == Question.Kind.MULTI:
        subs = [
            limesurvey.Answer(f"SQ{a[1:]}", o.text)
            for a, o in zip((a for a, _ in choices), options, strict=True)
        ]
        for sub, (_a, c) in zip(subs, choices, strict=True):
            targets[f"{code}[{sub.code}]".lower()] = Target(field_name, ticked=str(c["value"]))
        found = [limesurvey.Question(code, limesurvey.MULTIPLE, text, question.required, subs)]
    elif question.kind == Question.Kind.CHOICE:
        targets[code.lower()] = Target(
            field_name, codes={a.lower(): str(c["value"]) for a, c in choices}
        )
        found = [
            limesurvey.Question(code, limesurvey.LIST, text, question.required, answers=options)
        ]
    else:
        kind = (
            limesurvey.NUMERIC if question.kind == Question.Kind.NUMBER else limesurvey.SHORT_TEXT
        )
        targets[code.lower()] = Target(field_name)
        found = [limesurvey.Question(code, kind, text, question.required)]
    for a, c in choices:
        if c.get("specify"):
            other = limesurvey.code(f"{code}other", taken)
            targets[other.lower()] = Target(f"{field_name}_other")
            shown = (
                f'{code}_SQ{a[1:]} == "Y"'
                if question.kind == Question.Kind.MULTI
                else f'{code}.NAOK == "{a}"'
            )
            found.append(
                limesurvey.Question(
                    other,
                    limesurvey.SHORT_TEXT,
                    _texts("Other, please specify", "Autre, veuillez préciser"),
                    relevance=shown,
                )
            )
    return found


def limesurvey_structure(study: Study) -> bytes:
    survey, _targets = limesurvey_survey(study)
    return limesurvey.write_structure(survey)


def validation_statistics(study: Study) -> dict[str, dict[str, Any]]:
    """Per item code, what the study found: n, the share rating in the top categories with
    its interval, key status, and the study and rule (none before the first response)."""
    from rtwcomp.surveys.results import cached_analysis

    found = cached_analysis(study)
    if found is None:
        return {}
    data, analysis = found
    rule = (
        f"key item: rated {study.top} or higher by more than {study.key_share:.0%} of respondents"
    )
    about = {"study": study.name, "respondents": len(data.responses), "rule": rule}
    return {
        str(row["item"]): {
            **about,
            "n": _number(row["n"]),
            "shareTop": _number(row["share_top"]),
            "shareTopInterval": [_number(row["share_top_low"]), _number(row["share_top_high"])],
            "key": bool(row["key"]) if row["key"] == row["key"] else None,
        }
        for row in analysis.items.to_dict("records")
    }


def _number(value: Any) -> float | int | None:
    """A JSON number, or null for an undefined statistic."""
    if value is None or value != value:
        return None
    return int(value) if float(value).is_integer() else float(value)


def case_package(study: Study, base_uri: str = frameworks_exchange.PLACEHOLDER_BASE) -> bytes:
    """The study's framework version as a CASE package, each item carrying the study's
    validation statistics under `extensions`."""
    package = frameworks_exchange.case_package(
        study.framework, base_uri, validation=validation_statistics(study)
    )
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_bytes(study: Study, fmt: str) -> bytes:
    """The instrument in one of EXPORT_FORMATS."""
    if fmt == "case":
        return case_package(study)
    if fmt == "redcap-dictionary":
        return redcap_dictionary(study).encode("utf-8")
    if fmt == "limesurvey-structure":
        return limesurvey_structure(study)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")


# --- reading responses ---------------------------------------------------------------------


@dataclass
class Row:
    """One respondent's answers from a file, as the web form would send them."""

    line: int
    data: MultiValueDict[str, str] = field(default_factory=MultiValueDict)
    columns: dict[str, str] = field(default_factory=dict)  # form field -> column heading
    language: str = ""
    submitted_on: datetime.date | None = None


@dataclass
class ImportReport:
    """What an import matched, left out and stored."""

    source: str
    imported: int = 0
    matched: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    incomplete: list[int] = field(default_factory=list)  # lines left out
    unanswered_items: list[str] = field(default_factory=list)  # study items no column gave

    def lines(self) -> list[str]:
        found = [f"{self.imported} response(s) imported from {self.source}."]
        found.append(f"{len(self.matched)} column(s) matched.")
        if self.unmatched:
            found.append("Columns not in the study, left out: " + ", ".join(self.unmatched[:40]))
        if self.incomplete:
            found.append(
                f"{len(self.incomplete)} incomplete record(s) left out (lines "
                + ", ".join(map(str, self.incomplete[:40]))
                + ")"
            )
        if self.unanswered_items:
            found.append("Study items no column gave: " + ", ".join(self.unanswered_items[:40]))
        return found


def _fill(
    row: Row, target: Target, column: str, value: str, problems: list[str], name: str
) -> None:
    value = value.strip()
    if target.ticked:
        if value not in ("", "0", "N", "1", "Y"):
            problems.append(f"{name}: line {row.line}, column '{column}': a ticked box is 1 or Y")
        elif value in ("1", "Y"):
            row.data.appendlist(target.field, target.ticked)
            row.columns.setdefault(target.field, column)
        return
    if target.codes and value:
        mapped = target.codes.get(value.lower())
        if mapped is None:
            problems.append(
                f"{name}: line {row.line}, column '{column}': '{value[:40]}' is "
                "not one of the codes of this question"
            )
            return
        value = mapped
    if target.several:
        for part in value.split(";") if value else []:
            row.data.appendlist(target.field, part)
    else:
        row.data[target.field] = value
    row.columns[target.field] = column


def _rows(
    records: Iterable[Record],
    targets: dict[str, Target],
    name: str,
    keep: Callable[[Record], bool],
    describe: Callable[[Row, Record], None],
    report: ImportReport,
) -> list[Row]:
    problems: list[str] = []
    rows = []
    for record in records:
        if not keep(record):
            report.incomplete.append(record.line)
            continue
        row = Row(record.line)
        for column, value in record.values.items():
            target = targets.get(column.lower())
            if target is not None:
                _fill(row, target, column, value, problems, name)
        describe(row, record)
        rows.append(row)
    if problems:
        raise InputError(problems[:50])
    return rows


def _date(text: str) -> datetime.date | None:
    found = re.match(r"(\d{4})-(\d{2})-(\d{2})", text.strip())
    if not found:
        return None
    try:
        return datetime.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


def _match(
    header: Iterable[str],
    targets: dict[str, Target],
    report: ImportReport,
    ignored: Callable[[str], bool],
) -> None:
    for column in header:
        if not column:
            continue
        if column.lower() in targets:
            report.matched.append(column)
        elif not ignored(column):
            report.unmatched.append(column)


def _redcap_rows(
    study: Study, source: Path | BinaryIO, name: str, size: int | None, report: ImportReport
) -> list[Row]:
    records = redcap.read_records(source, name, size)
    _fields, targets = redcap_fields(study)
    complete = f"{FORM}_complete"
    facts = {redcap.RECORD_ID, complete, f"{FORM}_timestamp", "redcap_survey_identifier"}
    _match(records.header, targets, report, lambda c: c in facts)

    def describe(row: Row, record: Record) -> None:
        row.submitted_on = _date(record.values.get(f"{FORM}_timestamp", ""))

    return _rows(
        records.rows,
        targets,
        name,
        lambda r: r.values.get(complete, "2") in ("2", ""),
        describe,
        report,
    )


LIMESURVEY_FACTS = (
    "id",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "startdate",
    "datestamp",
    "token",
    "ipaddr",
    "refurl",
)


def _limesurvey_rows(
    study: Study, source: Path | BinaryIO, name: str, size: int | None, report: ImportReport
) -> list[Row]:
    responses = limesurvey.read_responses(source, name, size)
    _survey, targets = limesurvey_survey(study)
    # the SPSS and R exports write QCODE_SQCODE: read those as QCODE[SQCODE]
    spss = {re.sub(r"\[(\w+)\]$", r"_\1", key): target for key, target in targets.items()}
    targets = {**spss, **targets}
    _match(responses.header, targets, report, lambda c: c.lower() in LIMESURVEY_FACTS)

    def describe(row: Row, record: Record) -> None:
        language = record.values.get("startlanguage", "")
        row.language = language if language in LANGUAGES else ""
        row.submitted_on = _date(record.values.get("submitdate", ""))

    has_date = "submitdate" in responses.header
    return _rows(
        responses.rows,
        targets,
        name,
        lambda r: not has_date or bool(r.values.get("submitdate", "").strip()),
        describe,
        report,
    )


def csv_targets(study: Study) -> dict[str, Target]:
    """The columns of rtwcomp's own responses CSV (`surveys.exports`)."""
    targets: dict[str, Target] = {}
    for item in _items(study):
        code = item.competency.code.lower()
        targets[code] = Target(f"item-{item.pk}")
        for extra, _choices in EXTRAS:
            targets[f"{code}_{extra}"] = Target(f"{extra}-{item.pk}")
    for question in study.questions.all():
        several = question.kind == Question.Kind.MULTI
        targets[question.key.lower()] = Target(f"q-{question.key}", several=several)
        targets[f"{question.key}_other".lower()] = Target(f"q-{question.key}_other")
    return targets


def _csv_rows(
    study: Study, source: Path | BinaryIO, name: str, size: int | None, report: ImportReport
) -> list[Row]:
    table = read_table(source, name, (), RESPONSES_LIMITS, size=size)
    if table.problems:
        raise InputError(table.problems[:50])
    if not table.records:
        raise InputError([f"{name}: there is a header but no rows"])
    targets = csv_targets(study)
    facts = {
        "response_id",
        "submitted_on",
        "round",
        "language",
        "response_submitted_on",
        "response_round",
        "response_language",
    }
    _match(table.header, targets, report, lambda c: c in facts)

    def describe(row: Row, record: Record) -> None:
        values = record.values
        language = values.get("language", values.get("response_language", ""))
        row.language = language if language in LANGUAGES else ""
        row.submitted_on = _date(
            values.get("submitted_on", values.get("response_submitted_on", ""))
        )

    return _rows(table.records, targets, name, lambda r: True, describe, report)


READERS = {"csv": _csv_rows, "redcap": _redcap_rows, "limesurvey": _limesurvey_rows}
SOURCES = {
    "csv": SurveyResponse.Source.CSV,
    "redcap": SurveyResponse.Source.REDCAP,
    "limesurvey": SurveyResponse.Source.LIMESURVEY,
}


def import_responses(
    study: Study, source: Path | BinaryIO, name: str, fmt: str, size: int | None = None
) -> ImportReport:
    """Completed responses from a file into the study's current round, all or nothing;
    InputError names every refused value's line and column."""
    if fmt not in READERS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(READERS)}")
    report = ImportReport(source=name)
    rows = READERS[fmt](study, source, name, size, report)
    if not rows:
        raise InputError([f"{name}: no complete response to import"])
    items = _items(study)
    given = {f for row in rows for f in row.data}
    report.unanswered_items = [i.competency.code for i in items if f"item-{i.pk}" not in given]
    report.imported = _store(study, rows, items, name, SOURCES[fmt])
    return report


@transaction.atomic
def _store(study: Study, rows: list[Row], items: list[StudyItem], name: str, source: str) -> int:
    round_ = study.current_round()
    questions = list(study.questions.order_by("position")) if round_.number == 1 else []
    today = timezone.localdate()
    problems: list[str] = []
    for row in rows:
        day = row.submitted_on or today
        response = SurveyResponse.objects.create(
            study=study,
            round=round_,
            language=row.language,
            started_on=day,
            submitted_on=day,
            source=source,
            page=0,
        )
        errors = responding.save_items(response, items, row.data, 1, finishing=False).errors
        if questions:
            errors |= responding.save_questions(
                response, questions, row.data, finishing=False
            ).errors
        for form_field, message in errors.items():
            column = row.columns.get(form_field, form_field)
            problems.append(f"{name}: line {row.line}, column '{column}': {message}")
    if problems:
        raise InputError(problems[:50])  # leaving the transaction undoes every response
    return len(rows)

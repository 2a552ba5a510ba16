"""A study's completed responses as files: CSV, labelled CSV, XLSX, SPSS .sav, JSON, codebook.

Each row names its response by a random key and carries the day it was submitted (dates
are kept to the day only, so nothing finer can be written), the round and the language the
respondent chose; ratings are whole numbers and are written as such in every format.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from rtwcomp.interop import survey_files
from rtwcomp.interop.survey_files import Variable
from rtwcomp.surveys.models import (
    ACQUIRED_CHOICES,
    MAINTAINED_CHOICES,
    Question,
    Round,
    Study,
    SurveyResponse,
)
from rtwcomp.surveys.results import ID, StudyData, study_data

FORMATS = {
    "csv": ("text/csv", survey_files.write_csv),
    "labels.csv": ("text/csv", survey_files.write_labelled_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        survey_files.write_xlsx,
    ),
    "sav": ("application/x-spss-sav", survey_files.write_sav),
    "json": ("application/json", survey_files.write_json),
    "codebook.csv": (
        "text/csv",
        lambda _frame, variables, path: survey_files.write_codebook(variables, path),
    ),
}


# The response's own facts, after its identifier: (column, label, numeric, measure).
FACTS = (
    ("submitted_on", "Day submitted (YYYY-MM-DD)", False, "nominal"),
    ("round", "Round", True, "ordinal"),
    ("language", "Language the respondent chose (blank: not chosen)", False, "nominal"),
)


def _fact_names(study: Study) -> dict[str, str]:
    """The facts' column names; `response_<name>` where a question already has the name."""
    keys = set(study.questions.values_list("key", flat=True))
    return {name: f"response_{name}" if name in keys else name for name, *_ in FACTS}


def variables(study: Study, data: StudyData) -> list[Variable]:
    """Every column of the wide table, in order, with its labels."""
    found = [Variable(ID, "SurveyResponse (random identifier)", measure="nominal")]
    names = _fact_names(study)
    for name, label, numeric, measure in FACTS:
        found.append(Variable(names[name], label, numeric=numeric, measure=measure))
    for question in study.questions.order_by("position"):
        values = {str(c["value"]): str(c["label"]) for c in question.choices}
        numeric = question.kind == Question.Kind.NUMBER
        found.append(
            Variable(
                question.key,
                question.label,
                numeric=numeric,
                values=values,
                measure="scale" if numeric else "nominal",
            )
        )
        if question.asks_to_specify:
            found.append(
                Variable(f"{question.key}_other", f"{question.label}: other, please specify")
            )
    scale = {str(p["value"]): str(p["label"]) for p in study.scale}
    acquired = {value: en for value, en, _fr in ACQUIRED_CHOICES}
    maintained = {value: en for value, en, _fr in MAINTAINED_CHOICES}
    for _, item in data.items.iterrows():
        code = item["item"]
        found.append(Variable(code, f"{code}: {item['statement']}", True, scale, "ordinal"))
        if study.ask_acquired:
            found.append(Variable(f"{code}_acquired", f"{code}: how acquired", values=acquired))
        if study.ask_maintained:
            found.append(Variable(f"{code}_maintained", f"{code}: how kept up", values=maintained))
    return found


def export(study: Study, fmt: str, path: Path, round_number: int = 1) -> None:
    """Write the completed responses of one round (the first by default)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    round_ = study.rounds.filter(number=round_number).first()
    data = study_data(study, round_)
    described = variables(study, data)
    frame = with_facts(study, data.responses, round_)
    frame = survey_files.whole_numbers(frame[[v.name for v in described]])
    FORMATS[fmt][1](frame, described, path)


def with_facts(study: Study, responses: pd.DataFrame, round_: Round | None) -> pd.DataFrame:
    """The responses with the day each was submitted, its round and its language."""
    facts = {
        str(public_id): (submitted.isoformat(), language)
        for public_id, submitted, language in SurveyResponse.objects.completed()
        .filter(round=round_)
        .values_list("public_id", "submitted_on", "language")
    }
    names = _fact_names(study)
    frame = responses.copy()
    ids = frame[ID].astype(str)
    frame[names["submitted_on"]] = [facts[i][0] for i in ids]
    frame[names["round"]] = pd.Series(
        [round_.number if round_ else None] * len(frame), index=frame.index, dtype="Int64"
    )
    frame[names["language"]] = [facts[i][1] for i in ids]
    return frame


def export_bytes(study: Study, fmt: str) -> bytes:
    """The same file as `export`, in memory, for a download."""
    with tempfile.TemporaryDirectory(prefix="rtwcomp-export-") as folder:
        path = Path(folder) / f"{study.slug}.{fmt}"
        export(study, fmt, path)
        return path.read_bytes()

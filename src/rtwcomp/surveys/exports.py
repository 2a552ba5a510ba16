"""A study's completed responses as files: CSV, labelled CSV, XLSX, SPSS .sav, codebook."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rtwcomp.interop import survey_files
from rtwcomp.interop.survey_files import Variable
from rtwcomp.surveys.models import ACQUIRED_CHOICES, MAINTAINED_CHOICES, Question, Study
from rtwcomp.surveys.results import ID, StudyData, study_data

FORMATS = {
    "csv": ("text/csv", survey_files.write_csv),
    "labels.csv": ("text/csv", survey_files.write_labelled_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        survey_files.write_xlsx,
    ),
    "sav": ("application/x-spss-sav", survey_files.write_sav),
    "codebook.csv": (
        "text/csv",
        lambda _frame, variables, path: survey_files.write_codebook(variables, path),
    ),
}


def variables(study: Study, data: StudyData) -> list[Variable]:
    """Every column of the wide table, in order, with its labels."""
    found = [Variable(ID, "SurveyResponse (random identifier)", measure="nominal")]
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
    data = study_data(study, study.rounds.filter(number=round_number).first())
    described = variables(study, data)
    frame = data.responses[[v.name for v in described]]
    FORMATS[fmt][1](frame, described, path)


def export_bytes(study: Study, fmt: str) -> bytes:
    """The same file as `export`, in memory, for a download."""
    with tempfile.TemporaryDirectory(prefix="rtwcomp-export-") as folder:
        path = Path(folder) / f"{study.slug}.{fmt}"
        export(study, fmt, path)
        return path.read_bytes()

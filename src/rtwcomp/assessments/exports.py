"""An assessment round as a file: one row per current rating (a correction replaces the
rating it supersedes and says so), as CSV through `interop.csv_output` or as XLSX through
`interop.survey_files.write_xlsx` (a data sheet and a codebook with the scale's labels)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd
from django.utils.text import slugify

from rtwcomp.assessments.models import Round
from rtwcomp.assessments.rounds import ratings_in
from rtwcomp.interop import csv_output, survey_files
from rtwcomp.interop.survey_files import Variable

FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# (column, label in the codebook, numeric)
COLUMNS = (
    ("rating_id", "Rating (its id; a correction names the one it supersedes)", True),
    ("person", "Person assessed", False),
    ("email", "Their e-mail address", False),
    ("team", "Their team", False),
    ("competency", "Competency code", False),
    ("group", "Competency group", False),
    ("source", "Source: self, mentor, supervisor, peer, outside, observed", False),
    ("instrument", "Instrument: self, observation, feedback", False),
    ("rater", "Rater (an outside rater by the name given when the link was made)", False),
    ("level", "Level, 0 up", True),
    ("level_label", "The level's label on the organisation's scale", False),
    ("rated_on", "Date rated (YYYY-MM-DD)", False),
    ("evidence", "Evidence note", False),
    ("corrects", "The rating this one corrects (blank: not a correction)", True),
)


def rows(round_: Round) -> list[dict[str, Any]]:
    """The round's current ratings, by person, competency and date."""
    scale = list(round_.organisation.scale or [])
    found = (
        ratings_in(round_)
        .current()
        .select_related("subject__team", "competency__group", "rater", "feedback")
        .order_by("subject__name", "subject__pk", "competency__position", "rated_on", "pk")
    )
    return [_row(r, scale) for r in found]


def _row(rating: Any, scale: list[str]) -> dict[str, Any]:
    subject = rating.subject
    rater = rating.rater.name if rating.rater else ""
    if not rater and rating.feedback is not None:
        rater = rating.feedback.rater_name
    return {
        "rating_id": rating.pk,
        "person": subject.name,
        "email": subject.email,
        "team": subject.team.name if subject.team else "",
        "competency": rating.competency.code,
        "group": rating.competency.group.name,
        "source": rating.source,
        "instrument": rating.instrument,
        "rater": rater,
        "level": rating.level,
        "level_label": scale[rating.level] if rating.level < len(scale) else "",
        "rated_on": rating.rated_on.isoformat(),
        "evidence": rating.evidence,
        "corrects": rating.supersedes_id,
    }


def variables(round_: Round) -> list[Variable]:
    scale = {str(level): label for level, label in enumerate(round_.organisation.scale or [])}
    return [
        Variable(name, label, numeric=numeric, values=scale if name == "level" else {})
        for name, label, numeric in COLUMNS
    ]


def as_csv(round_: Round) -> str:
    names = [name for name, _label, _numeric in COLUMNS]
    return csv_output.dicts_to_text(names, rows(round_))


def as_xlsx(round_: Round) -> bytes:
    frame = pd.DataFrame(rows(round_), columns=[name for name, *_ in COLUMNS])
    frame["corrects"] = frame["corrects"].astype("Int64")
    out = io.BytesIO()
    survey_files.write_xlsx(frame, variables(round_), out)  # type: ignore[arg-type]
    return out.getvalue()


def write(round_: Round, fmt: str, path: Path) -> None:
    if fmt == "csv":
        csv_output.write_text(as_csv(round_), path)
    else:
        path.write_bytes(as_xlsx(round_))


def filename(round_: Round, fmt: str) -> str:
    return f"{round_.organisation.slug}-{slugify(round_.name) or 'round'}.{fmt}"


def content(round_: Round, fmt: str) -> bytes:
    return as_csv(round_).encode("utf-8") if fmt == "csv" else as_xlsx(round_)

"""A small generated survey (60 respondents x 20 items), its analysis and one render of its
report, shared by the module's tests so the slow part (PDF) runs once per module."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rtwcomp.reports import DelphiRound, ReportData, report_date
from rtwcomp.reports.render import context, render_html, render_pdf
from rtwcomp.stats import SurveyAnalysis, SurveyOptions, analyze_survey
from tests.conftest import require

# Hostile user text: markup, entities and a mathtext-looking string.
GROUPS = [
    'Care <b>&amp;</b> "quotes"',
    "Law $x$ & order",
    "Work <script>alert(1)</script>",
    "Talk",
]
HOSTILE_STATEMENT = '<img src="https://evil.example/x.png"> Explains & listens'
EPOCH = "1714521600"  # 2024-05-01 00:00:00 UTC


def make_survey(n: int = 60, k: int = 20, seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Four correlated groups of items, two attributes, one country level too small to test."""
    rng = np.random.default_rng(seed)
    group = np.repeat(np.arange(4), k // 4)
    latent = rng.normal(size=(n, 4))
    base = rng.normal(0.5, 0.8, k)
    scores = base + latent[:, group] * 0.8 + rng.normal(size=(n, k))
    answers = np.clip(np.round(3 + scores), 1, 5)
    ids = [f"i{j + 1:02d}" for j in range(k)]
    responses = pd.DataFrame(answers, columns=ids)
    responses.iloc[0, 0] = np.nan
    responses.insert(0, "profession", rng.choice(["nurse", "other"], n))
    responses.insert(0, "country", ["NZ"] * 3 + list(rng.choice(["AU", "CA", "US"], n - 3)))
    statements = [f"Statement {j}" for j in range(k)]
    statements[1] = HOSTILE_STATEMENT
    items = pd.DataFrame(
        {"item": ids, "group": [GROUPS[g] for g in group], "statement": statements}
    )
    return responses, items


OPTIONS = SurveyOptions(subgroups=("country", "profession"))


def delphi_rounds(analysis: SurveyAnalysis) -> list[DelphiRound]:
    """Two made-up rounds over the survey's items, for the Delphi section."""
    ids = list(analysis.items["item"])
    first = pd.DataFrame(
        {
            "item": ids,
            "n": 30,
            "share_top": 0.6,
            "q1": 3.0,
            "q3": 4.0,
            "iqr": 1.0,
            "consensus": [i < 8 for i in range(len(ids))],
        }
    )
    second = first.assign(
        consensus=[i < 14 for i in range(len(ids))],
        distribution_change=0.1,
        wilcoxon_p=[0.01 if i < 3 else 0.5 for i in range(len(ids))],
    )
    return [
        DelphiRound(1, 30, first, 0.41, 30),
        DelphiRound(2, 28, second, 0.57, 28),
    ]


@dataclass(frozen=True)
class Rendered:
    data: ReportData
    html: str
    pdf: bytes
    pdf_path: Path
    text: str  # pdftotext -layout


def build_data() -> ReportData:
    responses, items = make_survey()
    analysis = analyze_survey(responses, items, OPTIONS)
    acquisition = pd.DataFrame(
        {
            "item": items["item"],
            "group": items["group"],
            "n": 60,
            "training": 0.5,
            "experience": 0.3,
            "personal": 0.2,
        }
    )
    return ReportData(
        title="RTW <pilot> & co",
        date=report_date(dt.date(2024, 5, 1)),
        analysis=analysis,
        options=OPTIONS,
        respondents=responses[["country", "profession"]],
        funnel={"statements": 904, "unique_items": 234},
        acquisition=acquisition,
        delphi=delphi_rounds(analysis),
        source="generated survey",
    )


def pdftotext(path: Path, *extra: str) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", *extra, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        data = build_data()
        html = render_html(data)
        pdf = render_pdf(data)
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    path.write_bytes(pdf)
    return Rendered(data, html, pdf, path, pdftotext(path, "-layout"))


@pytest.fixture(scope="module")
def pdf_html(rendered: Rendered) -> str:
    """The HTML WeasyPrint is given for the PDF (charts as data: images)."""
    from rtwcomp.reports.render import _page

    return _page(context(rendered.data), "pdf")

"""A report of three respondents: no reliability, heat map or factor solution, but a note
saying what was left out and why; nothing printed as infinity."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rtwcomp.reports import ReportData
from rtwcomp.reports.render import render_html, render_pdf
from rtwcomp.stats import SurveyOptions, analyze_survey, minimum
from tests.reports.conftest import make_survey, pdftotext


@pytest.fixture(scope="module")
def tiny() -> ReportData:
    responses, items = make_survey(n=3, k=8, seed=5)
    options = SurveyOptions()
    return ReportData(
        title="Three people",
        date=dt.date(2024, 5, 1),
        analysis=analyze_survey(responses.drop(columns=["country", "profession"]), items),
        options=options,
    )


def test_html_leaves_the_statistics_out_with_notes(tiny: ReportData) -> None:
    html = render_html(tiny)
    assert "<svg" in html  # the funnel and dot plots are still drawn
    assert 'id="fig-poly"' not in html and 'id="fig-loadings"' not in html
    assert 'id="tab-loadings"' not in html and 'id="tab-blocks"' not in html
    assert "Left out: the sample is too small" in html
    assert f"below the minimum of {minimum.ALPHA.respondents} respondents" in html
    assert "polychoric correlations (the items) is not given: 3 respondents" in html
    assert "factor analysis (the items) is not given" in html
    assert "Correlations and factor structure are not given" in html
    import re

    assert not re.search(r"[-+]?\binf\b|∞", html, re.I)


def test_pdf_says_so_too(tiny: ReportData, tmp_path: Path) -> None:
    path = tmp_path / "tiny.pdf"
    path.write_bytes(render_pdf(tiny))
    text = " ".join(pdftotext(path).split())
    assert "Left out: the sample is too small" in text
    assert "Cronbach's alpha" in text and "is not given: 3 respondents" in text
    assert "Polychoric correlations, items ordered by group" not in text

"""The report's form: self-contained, accessible charts, escaped user text, a real PDF with
page numbers, and the same bytes for the same input."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from rtwcomp.reports import ReportData, render_html, render_pdf
from rtwcomp.stats import SurveyOptions, analyze_survey
from tests.conftest import require
from tests.reports.conftest import (
    EPOCH,
    GROUPS,
    HOSTILE_STATEMENT,
    Rendered,
    build_data,
    make_survey,
    pdftotext,
)

EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|xlink:href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import)""",
    re.I,
)


@pytest.mark.parametrize("which", ["html", "pdf_html"])
def test_the_html_loads_nothing_from_outside(rendered: Rendered, pdf_html: str, which: str) -> None:
    html = rendered.html if which == "html" else pdf_html
    assert not EXTERNAL.search(html)
    assert "<link" not in html
    assert "<script" not in html  # not even inline: the hostile group name is escaped
    assert "<iframe" not in html and "<object" not in html and "<embed" not in html
    # every reference points inside the document
    for ref in re.findall(r'\b(?:href|src|xlink:href)="([^"]*)"', html):
        assert ref.startswith(("#", "data:image/svg+xml;base64,", "data:image/jpeg;base64,")), ref
    if which == "pdf_html":  # the PDF takes its charts as bitmaps (fast to lay out and embed)
        assert 'src="data:image/jpeg;base64,' in html


def test_charts_are_inline_svg_with_text_alternatives(rendered: Rendered) -> None:
    html = rendered.html
    svgs = re.findall(r"<svg\b[^>]*>.*?</svg>", html, re.S)
    # funnel, four dot plots, two heat maps, acquisition, Delphi
    assert len(svgs) == 9
    assert "<img" not in html
    for svg in svgs:
        head = re.match(r"<svg\b[^>]*>", svg)
        assert head and 'role="img"' in head.group(0)
        labelled = re.search(r'aria-labelledby="([^"]+)"', head.group(0))
        assert labelled
        for ref in labelled.group(1).split():
            assert re.search(rf'<(title|desc) id="{ref}">[^<]+</\1>', svg), ref
        assert "<image" not in svg  # vector only, no embedded bitmap
    ids = Counter(re.findall(r'\bid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []


def test_every_figure_has_its_data_in_a_table(rendered: Rendered) -> None:
    html = rendered.html
    for figure, table in [
        ("fig-funnel", "tab-funnel"),
        ("fig-dots-1", "tab-items-1"),
        ("fig-poly", "tab-blocks"),
        ("fig-loadings", "tab-loadings"),
        ("fig-acquisition", "tab-acquisition"),
        ("fig-delphi", "tab-delphi"),
    ]:
        assert f'id="{figure}"' in html and f'id="{table}"' in html


def test_user_text_is_escaped_everywhere(rendered: Rendered, pdf_html: str) -> None:
    for html in (rendered.html, pdf_html):
        assert "<b>" not in html and "<img src" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "RTW &lt;pilot&gt; &amp; co" in html
    # The statement prints as the user typed it, in the PDF as in the HTML.
    assert "evil.example" in " ".join(rendered.text.split())
    flowing = " ".join(pdftotext(rendered.pdf_path).split())  # reading order, not layout
    assert HOSTILE_STATEMENT.split(">")[-1].strip() in flowing
    # '$x$' is text, not mathtext, in the charts too.
    assert "Law $x$ &amp; order" in rendered.html


def test_pdf_has_pages_numbers_cover_and_metadata(rendered: Rendered) -> None:
    require(shutil.which("pdfinfo") is not None, "pdfinfo (poppler-utils) is not installed")
    info = subprocess.run(
        ["pdfinfo", "-isodates", str(rendered.pdf_path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    assert pages >= 5
    assert re.search(r"^Tagged:\s+yes", info, re.M)
    assert re.search(r"^CreationDate:\s+2024-05-01T00:00:00", info, re.M)
    assert "RTW <pilot> & co" in info
    numbers = re.findall(r"Page (\d+) of (\d+)", rendered.text)
    # the cover is page 1 and carries no number; every other page does
    assert [int(n) for n, _ in numbers] == list(range(2, pages + 1))
    assert {int(total) for _, total in numbers} == {pages}
    cover = pdftotext(rendered.pdf_path, "-f", "1", "-l", "1")
    assert "RTW <pilot> & co" in cover and "n = 60" in cover and "2024-05-01" in cover


def test_table_headers_repeat_across_pages(tmp_path: Path) -> None:
    # The table of an 80-item group runs over page breaks; each page it reaches starts
    # with the table's header, the PDF's column of main loadings included.
    responses, items = make_survey(n=60, k=80, seed=4)
    items = items.assign(group=GROUPS[0])
    data = ReportData(
        title="Long",
        date=dt.date(2024, 5, 1),
        analysis=analyze_survey(responses.drop(columns=["country", "profession"]), items),
        options=SurveyOptions(),
    )
    path = tmp_path / "long.pdf"
    path.write_bytes(render_pdf(data))
    row = re.compile(r"^\s*\d+\s+i\d\d\s+.*\bF\d\s+-?\d\.\d\d\s+\(\d\.\d\d\)\s*$", re.M)
    pages = [page for page in pdftotext(path, "-layout").split("\f") if row.search(page)]
    assert len(pages) >= 2, "the table no longer spans pages: make the survey longer"
    for page in pages:
        assert re.search(r"Rank\s+Item\s+Statement\s+n\s+Mean", page)
        assert "Main factor" in page and "(communality)" in page


def test_page_one_renders_visibly(rendered: Rendered, tmp_path: Path) -> None:
    require(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils) is not installed")
    subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "1",
            str(rendered.pdf_path),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    (image,) = tmp_path.glob("page*.pgm")
    width, height, pixels = read_pgm(image.read_bytes())
    assert width > 200 and height > 300
    dark = sum(1 for p in pixels if p < 160)
    assert 0.002 < dark / len(pixels) < 0.5


def read_pgm(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and 8-bit pixels of a binary PGM (P5) image."""
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        while data[position : position + 1].isspace():
            position += 1
        if data[position : position + 1] == b"#":
            position = data.index(b"\n", position) + 1
            continue
        end = position
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    assert fields[0] == b"P5" and fields[3] == b"255"
    width, height = int(fields[1]), int(fields[2])
    pixels = data[position + 1 : position + 1 + width * height]
    assert len(pixels) == width * height
    return width, height, pixels


def test_same_input_gives_the_same_bytes(rendered: Rendered, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    again = build_data()
    assert render_html(again) == rendered.html
    assert render_pdf(again) == rendered.pdf

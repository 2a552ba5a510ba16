"""The charts written as shapes: well-formed, labelled SVG with escaped text, the same
geometry painted as a JPEG, and heat-map colours that follow the values."""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET

import numpy as np
from PIL import Image

from rtwcomp.reports import plots
from rtwcomp.reports.charts import BOTH, INK, DotRow
from rtwcomp.reports.labels import LABELS
from rtwcomp.reports.shapes import Cells, Line, Text, to_jpeg, to_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_svg_is_well_formed_labelled_and_escapes_text() -> None:
    shapes = [Text(10, 10, ('<b>"A" & B</b>', "second line"), INK), Line(0, 0, 5, 5, INK)]
    svg = str(to_svg("x1", "Title <i>", "Desc & more", (100, 50), shapes))
    root = ET.fromstring(svg)  # noqa: S314 (our own output): raises if it is broken
    assert root.get("role") == "img"
    for ref in root.get("aria-labelledby", "").split():
        assert root.find(f".//*[@id='{ref}']") is not None, ref
    assert root.find(f"{SVG}title").text == "Title <i>"  # type: ignore[union-attr]
    spans = [s.text for s in root.iter(f"{SVG}tspan")]
    assert spans == ['<b>"A" & B</b>', "second line"]
    assert "<b>" not in svg and "<image" not in svg


def test_cells_are_grouped_into_runs_of_one_colour() -> None:
    cells = Cells(0, 0, 3, 2, ((0, 0, 1), (-1, 1, 1)), ("#000000", "#ffffff"))
    assert cells.runs() == {0: [(0, 0, 2)], 1: [(0, 2, 1), (1, 1, 2)]}
    svg = str(to_svg("c", "t", "d", (3, 2), [cells]))
    assert svg.count("<path") == 2  # one path per colour; the hidden cell is not drawn


def test_heat_steps_follow_the_values_and_hide_the_upper_triangle() -> None:
    values = np.array([[1.0, 0.35, 0.25], [-1.0, math.nan, 0.1], [0.05, -0.05, 0.95]])
    steps = plots._heat_steps(values, lower_only=True)
    assert steps == ((19, -1, -1), (0, -1, -1), (10, 9, 19))
    assert plots._heat_steps(values, lower_only=False)[0] == (19, 13, 12)
    # blue for negative, red for positive, pale around zero
    darkest_blue, darkest_red = plots.HEAT_COLOURS[0], plots.HEAT_COLOURS[-1]
    assert int(darkest_blue[5:7], 16) > int(darkest_blue[1:3], 16)
    assert int(darkest_red[1:3], 16) > int(darkest_red[5:7], 16)


def _pixels(jpeg: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(jpeg))
    assert image.format == "JPEG" and image.mode == "RGB"
    return image


def test_jpeg_paints_the_cells_that_are_drawn() -> None:
    cells = Cells(0, 0, 20, 20, ((0, -1), (0, 0)), ("#0000ff",))
    image = _pixels(to_jpeg((20, 20), [cells], dpi=144))  # 2 pixels a point
    assert image.size == (40, 40)
    r, g, b = image.getpixel((10, 30))  # lower left: blue
    assert b > 200 and r < 60 and g < 60
    assert min(image.getpixel((30, 10))) > 230  # upper right: hidden, white


def test_upright_text_reads_upwards() -> None:
    level = _pixels(to_jpeg((100, 100), [Text(50, 50, ("Horizontal",), INK)], dpi=72))
    turned = _pixels(to_jpeg((100, 100), [Text(50, 50, ("Horizontal",), INK, upright=True)], 72))

    def ink_box(image: Image.Image) -> tuple[int, int]:
        dark = np.array(image.convert("L")) < 128
        rows, cols = np.nonzero(dark)
        return int(cols.max() - cols.min()), int(rows.max() - rows.min())

    wide, low = ink_box(level)
    narrow, tall = ink_box(turned)
    assert wide > 3 * low and tall > 3 * narrow


def test_dot_plot_fills_key_items_and_draws_the_rule() -> None:
    rows = [DotRow("a & b", 0.8, 0.7, 0.9, True), DotRow("c", 0.25, math.nan, math.nan, False)]
    chart = plots.dot_plot("d", rows, 0.5, LABELS, "Title", "Desc", 4, BOTH)
    assert chart.jpeg is not None and chart.svg is not None
    root = ET.fromstring(str(chart.svg))  # noqa: S314 (our own output)
    circles = list(root.iter(f"{SVG}circle"))
    fills = sorted(c.get("fill", "") for c in circles)
    assert fills == sorted([INK, INK, "#ffffff", "#ffffff"])  # two rows, two in the legend
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "a & b" in texts and "key-item rule (50%)" in texts
    legend_y = plots.DOT_TOP / 2
    marks = {
        c.get("fill"): float(c.get("cx", 0)) for c in circles if c.get("cy") != f"{legend_y:g}"
    }
    (rule,) = [
        ln
        for ln in root.iter(f"{SVG}line")
        if ln.get("stroke-dasharray") and ln.get("x1") == ln.get("x2")
    ]
    assert marks["#ffffff"] < float(rule.get("x1", 0)) < marks[INK]  # 25% < rule 50% < 80%
    # an interval is drawn for the first row only (the second has none)
    intervals = [
        ln
        for ln in root.iter(f"{SVG}line")
        if ln.get("y1") == ln.get("y2")
        and ln.get("stroke") == INK
        and ln.get("stroke-width") == "1"
    ]
    assert len(intervals) == 1
    assert re.search(r'aria-labelledby="chart-d-title chart-d-desc"', str(chart.svg))

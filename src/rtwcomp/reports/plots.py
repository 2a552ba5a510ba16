"""The report's main charts as shapes (see `shapes`): dot plots, the funnel, heat maps.

Each is listed once and written as SVG for the HTML and/or painted as a JPEG for the PDF,
in the media asked for. The bar charts of knowledge routes and Delphi rounds, drawn in
few reports, stay with matplotlib in `charts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from rtwcomp.reports.charts import (
    DPI,
    INK,
    MUTED,
    PALETTE,
    RASTER,
    VECTOR,
    WIDTH,
    Chart,
    DotRow,
    Media,
    label_lines,
)
from rtwcomp.reports.shapes import (
    PT,
    Cells,
    Circle,
    Line,
    Rect,
    Shape,
    Text,
    text_width,
    to_jpeg,
    to_svg,
)
from rtwcomp.stats.arrays import FloatMatrix

GRID = "#dddddd"
BOX_FILL = "#eef3f8"
DOT_LEFT = 1.8 * PT  # left of a dot plot's axes: its row labels (24 characters at 8 pt)
DOT_RIGHT = 0.3 * PT
DOT_TOP = 0.4 * PT  # the legend's row
DOT_BOTTOM = 0.5 * PT  # tick labels and the axis title
ROW = 0.2 * PT  # one item's row
RADIUS = 2.25  # a dot: 4.5 pt across
TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)


def _chart(
    chart_id: str,
    title: str,
    desc: str,
    size: tuple[float, float],
    shapes: Sequence[Shape],
    media: Media,
) -> Chart:
    svg = to_svg(chart_id, title, desc, size, shapes) if VECTOR in media else None
    jpeg = to_jpeg(size, shapes, DPI) if RASTER in media else None
    return Chart(title, desc, svg, jpeg)


def _dot(x: float, y: float, key: bool) -> Circle:
    return Circle(x, y, RADIUS, INK if key else "#ffffff", INK)


def dot_plot(
    chart_id: str,
    rows: Sequence[DotRow],
    rule: float,
    labels: Mapping[str, str],
    title: str,
    desc: str,
    top: int,
    media: Media,
) -> Chart:
    """Share of top answers per item (in the order given, top to bottom) with intervals,
    filled dots for key items and the key rule as a dashed line."""
    width = WIDTH * PT
    height = DOT_TOP + ROW * len(rows) + DOT_BOTTOM
    left, right = DOT_LEFT, width - DOT_RIGHT
    upper, lower = DOT_TOP, height - DOT_BOTTOM

    def x(share: float) -> float:
        return left + (right - left) * min(max(share, 0.0), 1.0)

    shapes: list[Shape] = []
    for tick in TICKS:
        shapes.append(Line(x(tick), upper, x(tick), lower, GRID, 0.5))
        shapes.append(Line(x(tick), lower, x(tick), lower + 3.5, MUTED, 0.8))
        shapes.append(Text(x(tick), lower + 10, (f"{tick * 100:g}%",), INK, anchor="middle"))
    shapes.append(Line(left, upper, left, lower, MUTED, 0.8))
    shapes.append(Line(left, lower, right, lower, MUTED, 0.8))
    rule_text = f"{labels['dot_rule']} ({rule * 100:g}%)"
    shapes.append(Line(x(rule), upper, x(rule), lower, PALETTE[5], dashed=True))
    for i, row in enumerate(rows):
        y = upper + ROW * (i + 0.7)  # as rows n-1…0 within the limits -0.7…n-0.3
        shapes.append(Text(left - 4, y, tuple(label_lines(row.item, 24)), INK, anchor="end"))
        if row.low == row.low and row.high == row.high:  # neither is NaN
            shapes.append(Line(x(row.low), y, x(row.high), y, INK))
        shapes.append(_dot(x(row.share), y, row.key))
    xlabel = labels["dot_xlabel"].format(top=top)
    shapes.append(Text((left + right) / 2, height - 9, (xlabel,), INK, anchor="middle"))
    shapes.extend(_legend(left, DOT_TOP / 2, labels, rule_text))
    return _chart(chart_id, title, desc, (width, height), shapes, media)


def _legend(x: float, y: float, labels: Mapping[str, str], rule_text: str) -> list[Shape]:
    """One row at the top: filled dot, open dot, dashed line, each before its meaning."""
    shapes: list[Shape] = []
    for kind, text in (
        ("key", labels["dot_key"]),
        ("other", labels["dot_not_key"]),
        ("rule", rule_text),
    ):
        if kind == "rule":
            shapes.append(Line(x, y, x + 18, y, PALETTE[5], dashed=True))
        else:
            shapes.append(_dot(x + 8.6, y, kind == "key"))
        shapes.append(Text(x + 23.8, y, (text,), INK))
        x += 23.8 + text_width(text, 8.0) + 21.6
    return shapes


def funnel(
    chart_id: str, steps: Sequence[tuple[str, int]], title: str, desc: str, media: Media
) -> Chart:
    """The study's steps as boxes joined by arrows: 904 statements → 234 unique items → …"""
    width, height = WIDTH * PT, 1.1 * PT
    each = width / max(len(steps), 1)
    shapes: list[Shape] = []
    for i, (label, value) in enumerate(steps):
        shapes.append(
            Rect(
                each * (i + 0.08), height * 0.1, each * 0.84, height * 0.8, BOX_FILL, PALETTE[0], 4
            )
        )
        centre = each * (i + 0.5)
        shapes.append(Text(centre, height * 0.4, (f"{value:,}",), INK, 13, "middle", bold=True))
        shapes.append(
            Text(centre, height * 0.7, tuple(label_lines(label, 16)), INK, anchor="middle")
        )
        if i:
            middle = height / 2
            shapes.append(
                Line(each * (i - 0.08), middle, each * (i + 0.08), middle, MUTED, arrow=True)
            )
    return _chart(chart_id, title, desc, (width, height), shapes, media)


HEAT_EDGES = np.linspace(-1.0, 1.0, 21)  # colour steps of 0.1
# ColorBrewer's RdBu (blue −1, white 0, red +1) at the middle of each step.
HEAT_COLOURS = (
    "#0c3d73", "#1a5899", "#2a71b2", "#3a87bd", "#569fc9",
    "#7eb8d7", "#a2cde3", "#c2ddec", "#dae9f2", "#edf2f5",
    "#f9f0eb", "#fce2d2", "#fbccb4", "#f6b394", "#ec9374",
    "#dd7059", "#cc4c44", "#ba2832", "#9f1228", "#790622",
)  # fmt: skip
SMALL = 6.0  # points: a heat map's labels
BAR_TICKS = (-1.0, -0.5, 0.0, 0.5, 1.0)
Labels = list[tuple[float, list[str]]]  # (position in cells, lines)


def _heat_steps(values: FloatMatrix, lower_only: bool) -> tuple[tuple[int, ...], ...]:
    """Each cell's colour step, -1 where nothing is drawn (missing, or above the
    diagonal of a triangle)."""
    steps = np.clip(np.digitize(values, HEAT_EDGES[1:-1]), 0, len(HEAT_COLOURS) - 1)
    hidden = ~np.isfinite(values)
    if lower_only:
        hidden |= np.triu(np.ones(values.shape, dtype=bool), k=1)
    return tuple(tuple(int(v) for v in row) for row in np.where(hidden, -1, steps))


def _group_bounds(groups: Sequence[str]) -> list[int]:
    """Row positions where each run of equal group names starts, and the end."""
    bounds = [0]
    bounds += [i for i in range(1, len(groups)) if groups[i] != groups[i - 1]]
    return [*bounds, len(groups)]


def _widest(labels: Labels) -> float:
    return max((text_width(line, SMALL) for _, lines in labels for line in lines), default=0.0)


def _heat_labels(
    row_labels: Sequence[str],
    row_groups: Sequence[str],
    col_labels: Sequence[str],
    col_groups: bool,
) -> tuple[Labels, Labels, Labels]:
    """(left, bottom, right) labels: items when there are few rows, else group names at
    each group's middle; groups on the right of a short matrix whose columns are not
    groups."""
    bounds = _group_bounds(row_groups)
    mids = [(a + b) / 2 for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    names = list(dict.fromkeys(row_groups))
    fine = len(row_labels) <= 40
    groups = [(m, label_lines(g, 30)) for m, g in zip(mids, names, strict=True)]
    items = [(i + 0.5, label_lines(s, 20)) for i, s in enumerate(row_labels)]
    if col_groups and not fine:
        bottom = [(m, label_lines(g, 14, 28)) for m, g in zip(mids, names, strict=True)]
    else:
        bottom = [(j + 0.5, label_lines(s, 20)) for j, s in enumerate(col_labels)]
    right = groups if fine and not col_groups else []
    return (items if fine else groups), bottom, right


def heat_map(
    chart_id: str,
    values: FloatMatrix,
    row_labels: Sequence[str],
    row_groups: Sequence[str],
    col_labels: Sequence[str],
    title: str,
    desc: str,
    *,
    lower_only: bool,
    size: tuple[float, float],
    col_groups: bool,
    media: Media,
) -> Chart:
    """A −1…1 matrix as coloured cells in steps of 0.1 with a colour bar, group boundaries
    drawn as lines; `col_groups`: the columns are the rows' items (square cells, labels
    turned upright), else a few named columns (factors)."""
    width, height = size[0] * PT, size[1] * PT
    rows, cols = values.shape
    left_labels, bottom_labels, right_labels = _heat_labels(
        row_labels, row_groups, col_labels, col_groups
    )
    left = _widest(left_labels) + 0.15 * PT
    lines = max((len(ls) for _, ls in bottom_labels), default=1)
    bottom = (_widest(bottom_labels) if col_groups else lines * SMALL * 1.3) + 0.15 * PT
    beside = (_widest(right_labels) + 6 if right_labels else 0) + 0.55 * PT  # labels, bar
    plot_w, plot_h = width - left - beside, height - 0.1 * PT - bottom
    if col_groups:  # square cells
        cell = min(plot_w / max(cols, 1), plot_h / max(rows, 1))
        plot_w, plot_h = cell * cols, cell * rows
    x0, y0 = left, 0.1 * PT
    cw, ch = plot_w / max(cols, 1), plot_h / max(rows, 1)
    shapes: list[Shape] = [
        Cells(x0, y0, plot_w, plot_h, _heat_steps(values, lower_only), HEAT_COLOURS),
        Line(x0, y0, x0, y0 + plot_h, MUTED, 0.8),
        Line(x0, y0 + plot_h, x0 + plot_w, y0 + plot_h, MUTED, 0.8),
    ]
    if not lower_only:
        shapes.append(Line(x0, y0, x0 + plot_w, y0, MUTED, 0.8))
        shapes.append(Line(x0 + plot_w, y0, x0 + plot_w, y0 + plot_h, MUTED, 0.8))
    for edge in _group_bounds(row_groups)[1:-1]:
        across = edge if lower_only else cols
        shapes.append(Line(x0, y0 + edge * ch, x0 + across * cw, y0 + edge * ch, INK, 0.6))
        if col_groups:
            top = y0 + (edge if lower_only else 0) * ch
            shapes.append(Line(x0 + edge * cw, top, x0 + edge * cw, y0 + plot_h, INK, 0.6))
    for pos, text in left_labels:
        shapes.append(Text(x0 - 3, y0 + pos * ch, tuple(text), INK, SMALL, "end"))
    for pos, text in right_labels:
        shapes.append(Text(x0 + plot_w + 3, y0 + pos * ch, tuple(text), INK, SMALL))
    for pos, text in bottom_labels:
        if col_groups:
            place = (x0 + pos * cw, y0 + plot_h + 3)
            shapes.append(Text(*place, tuple(text), INK, SMALL, "end", upright=True))
        else:
            below = y0 + plot_h + 3 + len(text) * SMALL * 0.6
            shapes.append(Text(x0 + pos * cw, below, tuple(text), INK, SMALL, "middle"))
    bar_x = x0 + plot_w + beside - 0.45 * PT
    shapes.extend(_colour_bar(bar_x, y0 + plot_h * 0.25, plot_h * 0.5))
    return _chart(chart_id, title, desc, (width, height), shapes, media)


def _colour_bar(x: float, y: float, height: float) -> list[Shape]:
    """The colour steps from +1 (top) to −1 with ticks at −1, −0.5, 0, 0.5 and 1."""
    count = len(HEAT_COLOURS)
    steps = tuple((count - 1 - k,) for k in range(count))
    shapes: list[Shape] = [Cells(x, y, 0.12 * PT, height, steps, HEAT_COLOURS)]
    for value in BAR_TICKS:
        at = y + height * (1 - (value + 1) / 2)
        shapes.append(Line(x + 0.12 * PT, at, x + 0.12 * PT + 2, at, MUTED, 0.5))
        label = f"{value:.1f}".replace("-", "−")
        shapes.append(Text(x + 0.12 * PT + 4, at, (label,), INK, 7.0))
    return shapes

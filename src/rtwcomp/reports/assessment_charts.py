"""Assessment charts as small SVG documents written directly (no Django, no matplotlib):
trends of a level (or a share) across rounds, with milestones between them, and a profile
of required against assessed levels.

Each chart has `role="img"`, a `<title>` and a `<desc>`, and the page shows the same
numbers in a table beside it. Series differ by colour and by marker shape, and are named
in a legend, so colour is never the only cue. Only presentation attributes are used (no
`style`), which the site's content security policy allows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from rtwcomp.reports import format as fmt

# Okabe-Ito colours, distinguishable with the common colour-vision deficiencies.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
SHAPES = ("circle", "square", "diamond", "triangle")
LEFT, RIGHT, TOP, BOTTOM = 36, 210, 16, 44
PLOT_W, PLOT_H = 360, 180
LABEL_CHARS = 30
CHAR_W = 7  # a generous mean width of a character at font size 12
MILESTONE_COLOUR, MILESTONE_DASH = "#555555", "5 3"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    r = 4.5
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}"/>'
    if shape == "square":
        side = 2 * r
        corner = f'x="{x - r:.1f}" y="{y - r:.1f}"'
        return f'<rect {corner} width="{side}" height="{side}" fill="{colour}"/>'
    d = r + 1
    if shape == "diamond":
        corners = [(x, y - d), (x + d, y), (x, y + d), (x - d, y)]
    else:
        corners = [(x, y - d), (x + d, y + r), (x - d, y + r)]
    points = " ".join(f"{px:.1f},{py:.1f}" for px, py in corners)
    return f'<polygon points="{points}" fill="{colour}"/>'


def _frame(chart_id: str, title: str, desc: str, body: list[str], height: int) -> Markup:
    width = LEFT + PLOT_W + RIGHT
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 (every text is escaped)


def _y_axis(top: float, step: float, written: Callable[[float], str]) -> list[str]:
    """A grid line and a written value every `step` from 0 to `top`."""
    parts = []
    for i in range(math.floor(top / step + 1e-9) + 1):
        value = step * i
        y = TOP + PLOT_H - PLOT_H * value / top
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + PLOT_W}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12">'
            f"{escape(written(value))}</text>"
        )
    return parts


def _legend(names: Sequence[str], y0: float = TOP) -> list[str]:
    parts = []
    for i, name in enumerate(names):
        y = y0 + 8 + 20 * i
        x = LEFT + PLOT_W + 20
        parts.append(_marker(SHAPES[i % len(SHAPES)], x, y, COLOURS[i % len(COLOURS)]))
        parts.append(_legend_text(x, y, name))
    return parts


def _legend_text(x: float, y: float, name: str) -> str:
    return f'<text x="{x + 12}" y="{y + 4:.1f}" font-size="12">{escape(_short(name))}</text>'


@dataclass(frozen=True)
class Milestone:
    """An event between rounds: `position` is a fractional round index (0 = the first
    round, 0.5 = half way to the second), `text` names it in the line's tooltip."""

    position: float
    text: str


def _milestone_line(x: float, y1: float, y2: float, text: str | None = None) -> str:
    """A milestone's line with its text as a tooltip; without a text, the legend's key."""
    kind = "milestone-key" if text is None else "milestone"
    title = f"<title>{escape(text)}</title>" if text else ""
    return (
        f'<line class="{kind}" x1="{x:.1f}" x2="{x:.1f}" y1="{y1:.1f}" y2="{y2:.1f}" '
        f'stroke="{MILESTONE_COLOUR}" stroke-width="1.5" stroke-dasharray="{MILESTONE_DASH}">'
        f"{title}</line>"
    )


def _milestones(milestones: Sequence[Milestone], xs: list[float], spacing: float) -> list[str]:
    """Dashed vertical lines at each milestone's position, kept between the first and the
    last round."""
    if not xs:
        return []
    parts = []
    for milestone in milestones:
        position = min(max(milestone.position, 0.0), len(xs) - 1)
        parts.append(_milestone_line(xs[0] + spacing * position, TOP, TOP + PLOT_H, milestone.text))
    return parts


def _round_labels(xs: list[float], rounds: Sequence[str], spacing: float) -> list[str]:
    """Round names under their x, shortened to the width a round has (at most 16
    characters), so that neighbours do not overlap and the first stays inside the chart."""
    limit = max(3, min(16, math.floor(spacing / CHAR_W)))
    return [
        f'<text x="{x:.1f}" y="{TOP + PLOT_H + 18}" text-anchor="middle" font-size="12">'
        f"{escape(_short(name, limit))}</text>"
        for x, name in zip(xs, rounds, strict=True)
    ]


def trend_chart(
    chart_id: str,
    rounds: Sequence[str],
    series: Sequence[Series],
    top: float,
    title: str,
    desc: str,
    *,
    milestones: Sequence[Milestone] = (),
    milestone_label: str = "",
    step: float = 1,
    written: Callable[[float], str] = fmt.integer,
) -> Markup:
    """One line per series across rounds (x) on values 0..`top` (y), with a tick written by
    `written` every `step`; a round without a value breaks the line and draws no marker.
    `milestones` are drawn as dashed vertical lines, named once in the legend by
    `milestone_label`."""
    entries = len(series) + (1 if milestones else 0)
    height = max(TOP + PLOT_H + BOTTOM, TOP + 20 * entries + 16)
    spacing = PLOT_W / max(1, len(rounds))
    xs = [LEFT + spacing * (i + 0.5) for i in range(len(rounds))]
    body = _y_axis(top, step, written)
    body.extend(_round_labels(xs, rounds, spacing))
    body.extend(_milestones(milestones, xs, spacing))
    for i, line in enumerate(series):
        colour, shape = COLOURS[i % len(COLOURS)], SHAPES[i % len(SHAPES)]
        points = [
            (x, TOP + PLOT_H - PLOT_H * v / top) if v is not None else None
            for x, v in zip(xs, line.values, strict=True)
        ]
        body.extend(_polylines(points, colour))
        body.extend(_marker(shape, *p, colour) for p in points if p is not None)
    body.extend(_legend([s.name for s in series]))
    if milestones:
        x, y = LEFT + PLOT_W + 20, TOP + 8 + 20 * len(series)
        body.append(_milestone_line(x, y - 7, y + 7) + _legend_text(x, y, milestone_label))
    return _frame(chart_id, title, desc, body, height)


def _polylines(points: list[tuple[float, float] | None], colour: str) -> list[str]:
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return [
        f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
        + '"/>'
        for run in runs
        if len(run) > 1
    ]


def profile_chart(
    chart_id: str,
    groups: Sequence[str],
    required: Sequence[float | None],
    assessed: Sequence[float | None],
    top: int,
    labels: tuple[str, str],
    title: str,
    desc: str,
) -> Markup:
    """Per group (a row), the required level as a hollow bar and the assessed level as a
    filled dot on a 0..`top` scale."""
    row_h = 28
    plot_h = row_h * max(1, len(groups))
    height = TOP + plot_h + BOTTOM
    body: list[str] = []
    for level in range(top + 1):
        x = LEFT + 150 + (PLOT_W - 150) * level / top
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{TOP + plot_h}" stroke="#ddd"/>'
            f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" '
            f'font-size="12">{level}</text>'
        )
    scale = (PLOT_W - 150) / top
    for i, (name, need, have) in enumerate(zip(groups, required, assessed, strict=True)):
        y = TOP + row_h * i + row_h / 2
        body.append(
            f'<text x="{LEFT + 142}" y="{y + 4:.1f}" text-anchor="end" font-size="12">'
            f"{escape(_short(name, 24))}</text>"
        )
        if need is not None:
            body.append(
                f'<rect x="{LEFT + 150}" y="{y - 7:.1f}" width="{scale * need:.1f}" '
                f'height="14" fill="none" stroke="{COLOURS[0]}" stroke-width="2"/>'
            )
        if have is not None:
            body.append(_marker("diamond", LEFT + 150 + scale * have, y, COLOURS[1]))
    body.append(
        f'<rect x="{LEFT + PLOT_W + 14}" y="{TOP + 1}" width="12" height="12" fill="none" '
        f'stroke="{COLOURS[0]}" stroke-width="2"/>'
        f'<text x="{LEFT + PLOT_W + 32}" y="{TOP + 11}" font-size="12">{escape(labels[0])}</text>'
        + _marker("diamond", LEFT + PLOT_W + 20, TOP + 28, COLOURS[1])
        + f'<text x="{LEFT + PLOT_W + 32}" y="{TOP + 32}" font-size="12">{escape(labels[1])}</text>'
    )
    return _frame(chart_id, title, desc, body, height)

"""The report's charts, drawn by matplotlib as SVG for inlining in HTML and PDF.

Why these settings: text stays text (`svg.fonttype = none`), so the PDF's words can be
selected and searched and a screen reader can reach them; mathtext is off, because item
and group names are user text in which `$` is just a character; the hash salt and the
absent metadata make the same data give the same bytes. matplotlib is imported only here
and only when a chart is drawn, so commands that never draw one start fast.

Every chart gets `role="img"`, a `<title>` and a `<desc>`; the report puts its data in a
table beside it. Element ids are prefixed by the chart's id, since several SVG documents
share one HTML page.

The PDF takes each chart as a bitmap (`RASTER`, 110 dpi, an `<img>` with a data: URL and
the text alternative as `alt`), not as SVG: WeasyPrint parses, lays out and draws every
element of an SVG in Python, which made the charts of a 100-item report cost more than the
rest of its PDF. The bitmap is a JPEG at quality 95 without chroma subsampling (no visible
fringes on text or lines): WeasyPrint embeds a JPEG as it is, while it decodes and
re-compresses every PNG, which took a tenth of the PDF's time. The HTML keeps vector SVG
(`VECTOR`). A caller that needs only one medium asks for that one, so nothing is drawn
twice.

The charts are drawn with few artists and fixed margins: one collection for a dot plot's
intervals, its row labels as plain text rather than ticks, and margins computed from the
labels' lengths rather than by constrained layout, which measures every text twice.
"""

from __future__ import annotations

import base64
import io
import re
import textwrap
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from markupsafe import Markup, escape

from rtwcomp.stats.arrays import FloatMatrix

_LOCK = threading.Lock()  # rcParams are global: draw one chart at a time per process
WIDTH = 6.5  # inches: the text width of an A4 page with 2 cm margins
INK = "#222222"
MUTED = "#777777"
# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
HEAT_EDGES = np.linspace(-1.0, 1.0, 21)  # colour steps of 0.1
DOT_LEFT = 1.8  # inches left of a dot plot for its labels (24 characters at 8 pt)


@dataclass(frozen=True)
class DotRow:
    """One item of a dot plot: its share of top answers, interval and key mark."""

    item: str
    share: float
    low: float
    high: float
    key: bool


VECTOR = "svg"  # inline in the HTML
RASTER = "bitmap"  # an <img> in the PDF (JPEG)
BOTH = frozenset({VECTOR, RASTER})
DPI = 110
Media = frozenset[str]


@dataclass(frozen=True)
class Chart:
    """A finished chart: inline SVG for the HTML and/or a JPEG for the PDF, and its text
    alternative."""

    title: str
    desc: str
    svg: Markup | None = None
    jpeg: bytes | None = None

    @property
    def data_url(self) -> str:
        """The bitmap (else the SVG) as a data: URL, for an `<img>` (nothing is fetched)."""
        if self.jpeg is not None:
            return "data:image/jpeg;base64," + base64.b64encode(self.jpeg).decode()
        svg = self.svg or ""
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()

    @property
    def alt(self) -> str:
        return f"{self.title}. {self.desc}"


def _rc(chart_id: str) -> Any:
    return {
        "svg.hashsalt": f"rtwcomp-{chart_id}",
        "svg.fonttype": "none",
        "text.parse_math": False,
        "text.usetex": False,
        "font.family": ["DejaVu Sans"],
        "font.size": 8,
        "axes.edgecolor": MUTED,
        "axes.labelcolor": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "xtick.color": INK,
        "ytick.color": INK,
        "legend.frameon": False,
        "path.simplify": False,
    }


def _label(text: str, width: int = 28, limit: int = 60) -> str:
    """A user-given name shortened and wrapped to fit beside a chart."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return "\n".join(textwrap.wrap(text, width)) or " "


_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_IDS = re.compile(r'\bid="([^"]+)"')
_REFS = re.compile(r'(xlink:href|href)="#([^"]+)"')
_URLS = re.compile(r"url\(#([^)]+)\)")
_GLOBAL_STYLE = re.compile(r"\s*<style type=\"text/css\">(.*?)</style>\s*", re.S)


def _finish(svg: str, chart_id: str, title: str, desc: str) -> Markup:
    """matplotlib's SVG made fit to inline: ids prefixed, title and desc, no <style>."""
    svg = _PROLOG.sub("", svg, count=1)
    svg = _IDS.sub(lambda m: f'id="{chart_id}-{m.group(1)}"', svg)
    svg = _REFS.sub(lambda m: f'{m.group(1)}="#{chart_id}-{m.group(2)}"', svg)
    svg = _URLS.sub(lambda m: f"url(#{chart_id}-{m.group(1)})", svg)
    # matplotlib's one style rule (`*{stroke-linejoin…}`) would apply to the whole HTML
    # page; on the root element it is inherited by the chart only.
    root_style = ""
    found = _GLOBAL_STYLE.search(svg)
    if found:
        root_style = found.group(1).strip().removeprefix("*{").removesuffix("}").strip()
        svg = _GLOBAL_STYLE.sub("", svg, count=1)
        svg = svg.replace("<defs>\n </defs>", "").replace("<defs></defs>", "")
    head = (
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"'
        f' style="{escape(root_style)}"'
    )
    svg = svg.replace("<svg", head, 1)
    close = svg.index(">", svg.index("<svg")) + 1
    texts = (
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )
    return Markup(svg[:close] + texts + svg[close:].rstrip() + "\n")  # noqa: S704


def _bitmap(fig: Any) -> bytes:
    """The figure as an RGB JPEG, which WeasyPrint embeds without re-encoding it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    fig.set_dpi(DPI)
    fig.patch.set_facecolor("white")
    canvas: Any = FigureCanvasAgg(fig)
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    out = io.BytesIO()
    image.convert("RGB").save(out, format="jpeg", quality=95, subsampling=0)
    return out.getvalue()


def _draw(
    chart_id: str,
    title: str,
    desc: str,
    paint: Any,
    size: tuple[float, float],
    media: Media = BOTH,
    layout: Literal["constrained"] | None = "constrained",
) -> Chart:
    """Make a figure per medium, let `paint(fig, raster)` draw on it, and save it as
    finished SVG and/or JPEG. `layout=None` leaves the margins to `paint` (constrained
    layout measures every text twice; a chart whose margins are known skips that)."""
    import matplotlib
    from matplotlib.figure import Figure

    svg: Markup | None = None
    jpeg: bytes | None = None
    with _LOCK, matplotlib.rc_context(_rc(chart_id)):
        for medium in sorted(media):
            fig = Figure(figsize=size, layout=layout)
            paint(fig, medium == RASTER)
            if medium == RASTER:
                jpeg = _bitmap(fig)
            else:
                text = io.StringIO()
                fig.savefig(
                    text,
                    format="svg",
                    metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
                )
                # "chart-" keeps the prefixed ids apart from the report's own ids.
                svg = _finish(text.getvalue(), f"chart-{chart_id}", title, desc)
    return Chart(title, desc, svg, jpeg)


def dot_plot(
    chart_id: str,
    rows: Sequence[DotRow],
    rule: float,
    labels: dict[str, str],
    title: str,
    desc: str,
    top: int,
    media: Media = BOTH,
) -> Chart:
    """Share of top answers per item (highest first) with intervals and the key rule."""

    def paint(fig: Any, raster: bool) -> None:
        ax = fig.add_subplot()
        y = np.arange(len(rows))[::-1]
        low = np.array([r.low for r in rows], dtype=float)
        high = np.array([r.high for r in rows], dtype=float)
        both = np.isfinite(low) & np.isfinite(high)
        # One collection for all intervals and one marker set per kind: each separate
        # artist costs more to make and draw than its few pixels.
        ax.hlines(y[both], low[both], high[both], color=INK, linewidth=1.0, clip_on=False)
        key = np.array([r.key for r in rows], dtype=bool)
        share = np.array([r.share for r in rows], dtype=float)
        ax.plot(
            share[key],
            y[key],
            "o",
            color=INK,
            markersize=4.5,
            label=labels["dot_key"],
            clip_on=False,
            zorder=3,
        )
        ax.plot(
            share[~key],
            y[~key],
            "o",
            markerfacecolor="white",
            markeredgecolor=INK,
            markersize=4.5,
            label=labels["dot_not_key"],
            clip_on=False,
            zorder=3,
        )
        ax.axvline(
            rule,
            color=PALETTE[5],
            linestyle="--",
            linewidth=1.0,
            label=f"{labels['dot_rule']} ({rule * 100:g}%)",
        )
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
        _row_labels(ax, y, [_label(r.item, 24) for r in rows])
        ax.grid(axis="x", color="#dddddd", linewidth=0.5)
        ax.set_axisbelow(True)
        ax.set_xlabel(labels["dot_xlabel"].format(top=top))
        _legend_row(
            fig,
            [
                ({"marker": "o", "color": INK}, labels["dot_key"]),
                (
                    {"marker": "o", "markerfacecolor": "white", "markeredgecolor": INK},
                    labels["dot_not_key"],
                ),
                (
                    {"color": PALETTE[5], "linestyle": "--", "linewidth": 1.0},
                    f"{labels['dot_rule']} ({rule * 100:g}%)",
                ),
            ],
        )
        width, height = fig.get_size_inches()
        fig.subplots_adjust(
            left=DOT_LEFT / width,
            right=1.0 - 0.3 / width,
            top=1.0 - 0.4 / height,
            bottom=0.5 / height,
        )

    size = (WIDTH, 0.9 + 0.2 * len(rows))
    return _draw(chart_id, title, desc, paint, size, media, layout=None)


def _legend_row(fig: Any, entries: Sequence[tuple[dict[str, Any], str]]) -> None:
    """A one-line legend at the top left, as plain marks and texts at fixed places: a
    matplotlib Legend lays out nested boxes, which took a third of a dot plot's drawing."""
    from matplotlib.lines import Line2D

    width, height = fig.get_size_inches()
    y = 1.0 - 0.2 / height
    x = DOT_LEFT
    for style, text in entries:
        marker = "marker" in style
        xs = [x + 0.12] if marker else [x, x + 0.25]
        line: Any = Line2D([v / width for v in xs], [y] * len(xs), transform=fig.transFigure)
        line.set(**({"linestyle": "none", "markersize": 4.5} | style if marker else style))
        fig.add_artist(line)
        fig.text((x + 0.33) / width, y, text, ha="left", va="center", color=INK)
        x += 0.33 + _text_width([text], 8.0) + 0.3


def _row_labels(ax: Any, y: Any, texts: Sequence[str]) -> None:
    """Labels left of the axes at each row, as plain text: a tick per row would add a
    tick mark, a grid line and their copies of the tick style for every item."""
    from matplotlib.transforms import ScaledTranslation, blended_transform_factory

    ax.set_yticks([])
    ax.tick_params(axis="y", length=0)
    to_left = ScaledTranslation(-4 / 72, 0, ax.figure.dpi_scale_trans)
    place = blended_transform_factory(ax.transAxes, ax.transData) + to_left
    for pos, text in zip(y, texts, strict=True):
        ax.text(0, pos, text, transform=place, ha="right", va="center", color=INK)


def funnel(
    chart_id: str,
    steps: Sequence[tuple[str, int]],
    title: str,
    desc: str,
    media: Media = BOTH,
) -> Chart:
    """The study's steps as boxes with arrows: 904 statements → 234 unique items → …"""

    def paint(fig: Any, raster: bool) -> None:
        from matplotlib.patches import FancyBboxPatch

        ax = fig.add_subplot()
        ax.set_axis_off()
        fig.subplots_adjust(left=0, right=1, bottom=0, top=1)  # boxes fill the figure
        count = len(steps)
        ax.set_xlim(0, count)
        ax.set_ylim(0, 1)
        for i, (label, value) in enumerate(steps):
            box = FancyBboxPatch(
                (i + 0.08, 0.1),
                0.84,
                0.8,
                boxstyle="round,pad=0,rounding_size=0.06",
                facecolor="#eef3f8",
                edgecolor=PALETTE[0],
                linewidth=1.0,
            )
            ax.add_patch(box)
            ax.text(
                i + 0.5,
                0.6,
                f"{value:,}",
                ha="center",
                va="center",
                fontsize=13,
                fontweight="bold",
                color=INK,
            )
            ax.text(
                i + 0.5, 0.3, _label(label, 16), ha="center", va="center", fontsize=8, color=INK
            )
            if i:
                ax.annotate(
                    "",
                    xy=(i + 0.08, 0.5),
                    xytext=(i - 0.08, 0.5),
                    arrowprops={"arrowstyle": "->", "color": MUTED, "linewidth": 1.0},
                )

    return _draw(chart_id, title, desc, paint, (WIDTH, 1.1), media, layout=None)


def _runs(values: FloatMatrix, lower_only: bool) -> dict[int, list[tuple[int, int, int]]]:
    """Cells grouped by colour step, as horizontal runs (row, first column, length)."""
    steps = np.clip(np.digitize(values, HEAT_EDGES[1:-1]), 0, len(HEAT_EDGES) - 2)
    runs: dict[int, list[tuple[int, int, int]]] = {}
    rows, cols = values.shape
    for i in range(rows):
        end = i + 1 if lower_only else cols
        j = 0
        while j < end:
            if not np.isfinite(values[i, j]):
                j += 1
                continue
            start, step = j, int(steps[i, j])
            while j < end and np.isfinite(values[i, j]) and steps[i, j] == step:
                j += 1
            runs.setdefault(step, []).append((i, start, j - start))
    return runs


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
    media: Media = BOTH,
) -> Chart:
    """A −1…1 matrix as coloured cells in steps of 0.1, group boundaries drawn as lines.

    One compound path per colour step keeps a 100 × 100 matrix small and vector.
    """

    def paint(fig: Any, raster: bool) -> None:
        from matplotlib.cm import ScalarMappable
        from matplotlib.colors import BoundaryNorm, ListedColormap

        cmap = matplotlib_cmap()
        centres = (HEAT_EDGES[:-1] + HEAT_EDGES[1:]) / 2
        colours = [cmap((c + 1) / 2) for c in centres]
        ax = fig.add_subplot()
        if raster:
            _paint_image(ax, values, lower_only, colours)
        else:
            _paint_cells(ax, values, lower_only, colours)
        ax.set_aspect("equal" if col_groups else "auto")
        for side, spine in ax.spines.items():
            spine.set_visible(not lower_only or side in ("left", "bottom"))
        bounds = _group_bounds(row_groups)
        _draw_group_lines(ax, bounds, values.shape, lower_only=lower_only, col_groups=col_groups)
        side = _heat_ticks(ax, bounds, row_groups, row_labels, col_labels, col_groups=col_groups)
        margins = _heat_margins(fig, ax, col_groups=col_groups)
        norm = BoundaryNorm(HEAT_EDGES, len(colours))
        bar = fig.colorbar(
            ScalarMappable(norm=norm, cmap=ListedColormap(colours)),
            ax=ax,
            shrink=0.5,
            fraction=0.05,
            ticks=[-1, -0.5, 0, 0.5, 1],
            pad=0.03
            + (_text_width(side) + 0.1) / (margins * fig.get_size_inches()[0]) * bool(side),
        )
        bar.outline.set_visible(False)

    return _draw(chart_id, title, desc, paint, size, media, layout=None)


def _text_width(labels: Sequence[str], points: float = 6.0) -> float:
    """Inches taken by the longest line of `labels` in DejaVu Sans at `points` (an upper
    bound: 0.65 em a character, wider than its average letter)."""
    longest = max((len(line) for text in labels for line in str(text).split("\n")), default=0)
    return longest * points * 0.65 / 72


def _heat_margins(fig: Any, ax: Any, *, col_groups: bool) -> float:
    """Fixed margins from the tick labels' lengths, instead of constrained layout (which
    measures every label twice); returns the axes' share of the figure's width."""
    width, height = fig.get_size_inches()
    rows = [t.get_text() for t in ax.get_yticklabels()]
    cols = [t.get_text() for t in ax.get_xticklabels()]
    lines = max((len(str(t).split("\n")) for t in cols), default=1)
    bottom = (_text_width(cols) if col_groups else lines * 6 * 1.3 / 72) + 0.15
    left = _text_width(rows) + 0.15
    right = 0.45  # the colour bar's tick labels
    fig.subplots_adjust(
        left=left / width,
        right=1.0 - right / width,
        bottom=bottom / height,
        top=1.0 - 0.1 / height,
    )
    return float(1.0 - (left + right) / width)


def _paint_cells(ax: Any, values: FloatMatrix, lower_only: bool, colours: list[Any]) -> None:
    """One compound path per colour step."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    rows, cols = values.shape
    for step, runs in sorted(_runs(values, lower_only).items()):
        polys = [[(j, i), (j + n, i), (j + n, i + 1), (j, i + 1)] for i, j, n in runs]
        path = Path.make_compound_path_from_polys(np.array(polys, dtype=float))
        # add_artist, not add_patch: the limits are set below, and updating them from
        # thousands of vertices costs more than drawing them.
        ax.add_artist(PathPatch(path, facecolor=colours[step], edgecolor="none", linewidth=0))
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)


def _paint_image(ax: Any, values: FloatMatrix, lower_only: bool, colours: list[Any]) -> None:
    """The same cells as one bitmap (for the PDF): undrawn cells transparent."""
    rows, cols = values.shape
    steps = np.clip(np.digitize(values, HEAT_EDGES[1:-1]), 0, len(HEAT_EDGES) - 2)
    image = np.array(colours, dtype=float)[steps]
    hidden = ~np.isfinite(values)
    if lower_only:
        hidden |= np.triu(np.ones((rows, cols), dtype=bool), k=1)
    image[hidden] = (1.0, 1.0, 1.0, 0.0)
    ax.imshow(image, extent=(0, cols, rows, 0), interpolation="nearest", aspect="auto")
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)


def _draw_group_lines(
    ax: Any, bounds: list[int], shape: tuple[int, ...], *, lower_only: bool, col_groups: bool
) -> None:
    """Group boundaries; in a triangle, only through the cells that are drawn."""
    rows, cols = shape
    for edge in bounds[1:-1]:
        ax.plot([0, edge if lower_only else cols], [edge, edge], color=INK, linewidth=0.6)
        if col_groups:
            ax.plot([edge, edge], [edge if lower_only else 0, rows], color=INK, linewidth=0.6)


def _heat_ticks(
    ax: Any,
    bounds: list[int],
    row_groups: Sequence[str],
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    *,
    col_groups: bool,
) -> list[str]:
    """Item labels when there are few rows, group names otherwise (and on the right);
    returns the labels on the right."""
    rows, cols = len(row_labels), len(col_labels)
    mids = [(a + b) / 2 for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    names = list(dict.fromkeys(row_groups))
    fine = rows <= 40
    if fine:
        ax.set_yticks(np.arange(rows) + 0.5, [_label(s, 20) for s in row_labels], fontsize=6)
    else:
        ax.set_yticks(mids, [_label(g, 30) for g in names], fontsize=6)
    if col_groups and not fine:
        ax.set_xticks(mids, [_label(g, 14, 28) for g in names], fontsize=6, rotation=90)
    else:
        ax.set_xticks(
            np.arange(cols) + 0.5,
            [_label(s, 20) for s in col_labels],
            fontsize=6,
            rotation=90 if col_groups else 0,
        )
    right: list[str] = []
    if fine and not col_groups:
        right = [_label(g, 30) for g in names]
        side = ax.secondary_yaxis("right")
        side.set_yticks(mids, right, fontsize=6)
        side.tick_params(length=0)
    ax.tick_params(length=0)
    return right


def matplotlib_cmap() -> Any:
    """Red-blue diverging colours (blue −1, white 0, red +1)."""
    import matplotlib

    return matplotlib.colormaps["RdBu_r"]


def _group_bounds(groups: Sequence[str]) -> list[int]:
    """Row positions where each run of equal group names starts, and the end."""
    bounds = [0]
    for i in range(1, len(groups)):
        if groups[i] != groups[i - 1]:
            bounds.append(i)
    bounds.append(len(groups))
    return bounds


def stacked_bars(
    chart_id: str,
    categories: Sequence[str],
    series: Sequence[str],
    shares: FloatMatrix,
    xlabel: str,
    title: str,
    desc: str,
    media: Media = BOTH,
) -> Chart:
    """One horizontal bar per category, split into the shares of each series."""

    def paint(fig: Any, raster: bool) -> None:
        ax = fig.add_subplot()
        y = np.arange(len(categories))[::-1]
        left = np.zeros(len(categories))
        for k, name in enumerate(series):
            width = np.nan_to_num(shares[:, k])
            ax.barh(
                y,
                width,
                left=left,
                color=PALETTE[k % len(PALETTE)],
                label=_label(name, 20),
                height=0.7,
                edgecolor="white",
                linewidth=0.5,
            )
            left += width
        ax.set_yticks(y, [_label(c) for c in categories])
        ax.set_xlim(0, 1)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
        ax.set_xlabel(xlabel)
        fig.legend(loc="outside lower center", ncols=min(len(series), 5))

    return _draw(chart_id, title, desc, paint, (WIDTH, 1.2 + 0.38 * len(categories)), media)


def round_bars(
    chart_id: str,
    rounds: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    title: str,
    desc: str,
    media: Media = BOTH,
) -> Chart:
    """Grouped bars per Delphi round (items rated, items at consensus)."""

    def paint(fig: Any, raster: bool) -> None:
        ax = fig.add_subplot()
        x = np.arange(len(rounds))
        width = 0.8 / max(len(series), 1)
        for k, (name, values) in enumerate(series):
            bars = ax.bar(
                x + (k - (len(series) - 1) / 2) * width, values, width, color=PALETTE[k], label=name
            )
            ax.bar_label(bars, fontsize=7)
        ax.set_xticks(x, rounds)
        ax.set_ylabel("")
        fig.legend(loc="outside upper center", ncols=len(series))

    return _draw(chart_id, title, desc, paint, (WIDTH * 0.7, 2.4), media)

"""The charts' common parts, and the bar charts still drawn by matplotlib.

`Chart` is a finished chart: inline SVG for the HTML (`VECTOR`) and/or a JPEG for the PDF
(`RASTER`, 110 dpi, an `<img>` with a data: URL and the text alternative as `alt`). The
PDF takes bitmaps because WeasyPrint draws every element of an SVG, each text through
Pango, in Python; and JPEG at quality 95 without chroma subsampling, because WeasyPrint
embeds a JPEG as it is while it decodes and re-compresses a PNG. A caller that needs one
medium asks for that one, so nothing is drawn twice. The dot plots, the funnel and the
heat maps are written as shapes in `plots`.

The bar charts (knowledge routes, Delphi rounds) use matplotlib with these settings: text
stays text (`svg.fonttype = none`); mathtext is off, because group names are user text in
which `$` is just a character; the hash salt and the absent metadata make the same data
give the same bytes. matplotlib is imported only when one of them is drawn. Element ids
are prefixed by the chart's id, since several SVG documents share one HTML page.
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


def label_lines(text: str, width: int = 28, limit: int = 60) -> list[str]:
    """A user-given name shortened and wrapped to fit beside a chart, as lines."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return textwrap.wrap(text, width) or [" "]


def _label(text: str, width: int = 28, limit: int = 60) -> str:
    return "\n".join(label_lines(text, width, limit))


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

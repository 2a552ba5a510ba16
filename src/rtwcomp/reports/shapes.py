"""Charts as lists of simple shapes, written as SVG (the HTML) or painted as a JPEG (the PDF).

Why not matplotlib: the report's charts are a few dozen lines, circles, boxes and words,
and one matrix of coloured cells. matplotlib took about forty milliseconds to build, lay
out and save a figure of each (0.55 s for a 100-item report's eight dot plots and two
heat maps); listing the shapes and writing them out takes a millisecond or two. And why
not SVG in the PDF: WeasyPrint draws an SVG's every text through Pango in Python, which
cost as much as matplotlib did, while it embeds a JPEG as it is. The two media show the
same geometry, listed once.

Lengths are points (1/72 inch) with y downwards; texts are DejaVu Sans, the report's font,
whose widths `text_width` bounds from above, so nothing is measured.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

PT = 72.0  # points per inch
DASH = (3.7, 1.6)  # a dashed line's dash and gap, in line widths
SUPERSAMPLE = 2  # the bitmap is painted this much larger, then reduced: smooth edges


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float = 1.0
    dashed: bool = False
    arrow: bool = False  # an open arrowhead at (x2, y2)


@dataclass(frozen=True)
class Circle:
    x: float
    y: float
    r: float
    fill: str
    stroke: str


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    stroke: str
    radius: float = 0.0


@dataclass(frozen=True)
class Text:
    """One or more lines of text, the block centred vertically on `y`; `anchor` is
    "start", "middle" or "end" of each line at `x`."""

    x: float
    y: float
    lines: tuple[str, ...]
    colour: str
    size: float = 8.0
    anchor: str = "start"
    bold: bool = False
    upright: bool = False  # turned a quarter anticlockwise about (x, y): reads upwards

    def baselines(self) -> list[float]:
        step = self.size * 1.2
        first = self.y - step * (len(self.lines) - 1) / 2 + self.size * 0.35
        return [first + step * k for k in range(len(self.lines))]


@dataclass(frozen=True)
class Cells:
    """A matrix of coloured cells filling the box (x, y, width, height): `steps[i][j]` is
    the index of cell (i, j)'s colour in `colours`, or -1 where nothing is drawn."""

    x: float
    y: float
    width: float
    height: float
    steps: tuple[tuple[int, ...], ...]
    colours: tuple[str, ...]

    def runs(self) -> dict[int, list[tuple[int, int, int]]]:
        """Cells grouped by colour, as horizontal runs (row, first column, length)."""
        runs: dict[int, list[tuple[int, int, int]]] = {}
        for i, row in enumerate(self.steps):
            j = 0
            while j < len(row):
                step, start = row[j], j
                while j < len(row) and row[j] == step:
                    j += 1
                if step >= 0:
                    runs.setdefault(step, []).append((i, start, j - start))
        return runs


Shape = Line | Circle | Rect | Text | Cells


def text_width(text: str, points: float) -> float:
    """Points taken by `text` in DejaVu Sans at `points` (an upper bound: 0.65 em a
    character, wider than its average letter)."""
    return len(text) * points * 0.65


def _n(value: float) -> str:
    """A coordinate: two decimals, no trailing zeros (smaller files, same bytes)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _svg_shape(shape: Shape, arrow_id: str) -> str:
    if isinstance(shape, Line):
        extra = ""
        if shape.dashed:
            extra += f' stroke-dasharray="{_n(DASH[0] * shape.width)} {_n(DASH[1] * shape.width)}"'
        if shape.arrow:
            extra += f' marker-end="url(#{arrow_id})"'
        return (
            f'<line x1="{_n(shape.x1)}" y1="{_n(shape.y1)}" x2="{_n(shape.x2)}" '
            f'y2="{_n(shape.y2)}" stroke="{shape.colour}" stroke-width="{_n(shape.width)}"{extra}/>'
        )
    if isinstance(shape, Circle):
        return (
            f'<circle cx="{_n(shape.x)}" cy="{_n(shape.y)}" r="{_n(shape.r)}" '
            f'fill="{shape.fill}" stroke="{shape.stroke}"/>'
        )
    if isinstance(shape, Rect):
        return (
            f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(shape.width)}" '
            f'height="{_n(shape.height)}" rx="{_n(shape.radius)}" fill="{shape.fill}" '
            f'stroke="{shape.stroke}"/>'
        )
    if isinstance(shape, Cells):
        return _svg_cells(shape)
    anchor = f' text-anchor="{shape.anchor}"' if shape.anchor != "start" else ""
    weight = ' font-weight="bold"' if shape.bold else ""
    turn = f' transform="rotate(-90 {_n(shape.x)} {_n(shape.y)})"' if shape.upright else ""
    lines = "".join(
        f'<tspan x="{_n(shape.x)}" y="{_n(y)}">{escape(line)}</tspan>'
        for line, y in zip(shape.lines, shape.baselines(), strict=True)
    )
    return (
        f'<text font-size="{_n(shape.size)}" fill="{shape.colour}"{anchor}{weight}{turn}>'
        f"{lines}</text>"
    )


def _svg_cells(cells: Cells) -> str:
    """One path per colour, each run of cells one rectangle in it: a 100 × 100 matrix
    stays a few kilobytes and vector."""
    rows, cols = len(cells.steps), max((len(r) for r in cells.steps), default=0)
    width, height = cells.width / max(cols, 1), cells.height / max(rows, 1)
    paths = []
    for step, runs in sorted(cells.runs().items()):
        d = "".join(
            f"M{_n(cells.x + j * width)} {_n(cells.y + i * height)}"
            f"h{_n(n * width)}v{_n(height)}h{_n(-n * width)}z"
            for i, j, n in runs
        )
        paths.append(f'<path d="{d}" fill="{cells.colours[step]}"/>')
    return "\n".join(paths)


def to_svg(
    chart_id: str, title: str, desc: str, size: tuple[float, float], shapes: Sequence[Shape]
) -> Markup:
    """The shapes as one SVG element to inline in HTML: `role="img"`, a title and a
    description that label it, ids prefixed by the chart's id ("chart-" keeps them apart
    from the report's own ids)."""
    cid = f"chart-{chart_id}"
    width, height = size
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{cid}-title {cid}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" width="{_n(width)}pt" height="{_n(height)}pt" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" font-family="DejaVu Sans, sans-serif">',
        f'<title id="{cid}-title">{escape(title)}</title>'
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]
    arrow = next((s.colour for s in shapes if isinstance(s, Line) and s.arrow), None)
    if arrow:  # one arrowhead, in the colour of the first arrow
        parts.append(
            f'<defs><marker id="{cid}-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerWidth="5" markerHeight="5" orient="auto">'
            f'<path d="M1 1L9 5L1 9" fill="none" stroke="{arrow}" stroke-width="1.5"/>'
            "</marker></defs>"
        )
    parts.extend(_svg_shape(s, f"{cid}-arrow") for s in shapes)
    return Markup("\n".join(parts) + "\n</svg>\n")  # noqa: S704 - every text is escaped


@cache
def _font(pixels: int, bold: bool) -> Any:
    """DejaVu Sans at a size in pixels, from matplotlib's copy (always installed with the
    report's dependencies), else wherever Pillow finds it."""
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    spec = find_spec("matplotlib")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "mpl-data" / "fonts" / "ttf" / name
        if path.is_file():
            return ImageFont.truetype(str(path), pixels)
    return ImageFont.truetype(name, pixels)


def _paint_line(draw: Any, shape: Line, scale: float) -> None:
    width = max(1, round(shape.width * scale))
    x1, y1, x2, y2 = (v * scale for v in (shape.x1, shape.y1, shape.x2, shape.y2))
    if not shape.dashed:
        draw.line([(x1, y1), (x2, y2)], fill=shape.colour, width=width)
    else:
        length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 or 1.0
        dash, gap = (d * shape.width * scale for d in DASH)
        at = 0.0
        while at < length:
            end = min(at + dash, length)
            draw.line(
                [
                    (x1 + (x2 - x1) * at / length, y1 + (y2 - y1) * at / length),
                    (x1 + (x2 - x1) * end / length, y1 + (y2 - y1) * end / length),
                ],
                fill=shape.colour,
                width=width,
            )
            at = end + gap
    if shape.arrow:
        length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 or 1.0
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        head = 4.0 * scale
        for side in (1, -1):
            tip = (x2 - head * ux - side * head * 0.5 * uy, y2 - head * uy + side * head * 0.5 * ux)
            draw.line([tip, (x2, y2)], fill=shape.colour, width=width)


def _paint_text(image: Any, draw: Any, shape: Text, scale: float) -> None:
    if shape.upright:
        _paint_upright(image, shape, scale)
        return
    font = _font(round(shape.size * scale), shape.bold)
    anchor = {"start": "ls", "middle": "ms", "end": "rs"}[shape.anchor]
    for line, y in zip(shape.lines, shape.baselines(), strict=True):
        draw.text((shape.x * scale, y * scale), line, font=font, fill=shape.colour, anchor=anchor)


def _paint_upright(image: Any, shape: Text, scale: float) -> None:
    """A text turned to read upwards: painted level on a transparent square around its
    anchor, turned, then laid on the image."""
    from PIL import Image, ImageDraw

    longest = max((text_width(line, shape.size) for line in shape.lines), default=0.0)
    tall = shape.size * 1.2 * len(shape.lines)
    half = int((max(longest, tall) + shape.size) * scale) + 2
    level = Image.new("RGBA", (2 * half, 2 * half), (255, 255, 255, 0))
    moved = Text(
        half / scale, half / scale, shape.lines, shape.colour, shape.size, shape.anchor, shape.bold
    )
    _paint_text(level, ImageDraw.Draw(level), moved, scale)
    turned = level.rotate(90)  # anticlockwise about the centre, which is the anchor
    corner = (round(shape.x * scale) - half, round(shape.y * scale) - half)
    image.paste(turned, corner, turned)


def _paint_cells(image: Any, cells: Cells, scale: float) -> None:
    """The matrix as one small image (a pixel a cell), enlarged without smoothing."""
    import numpy as np
    from PIL import Image

    rgb = np.array(
        [[int(c[k : k + 2], 16) for k in (1, 3, 5)] for c in cells.colours] + [[255] * 3]
    )
    steps = np.array(cells.steps, dtype=int)
    if steps.size == 0:
        return
    pixels = rgb[steps].astype(np.uint8)  # -1 takes the last entry: white
    shown = Image.fromarray(np.where(steps < 0, 0, 255).astype(np.uint8), "L")
    box = (round(cells.x * scale), round(cells.y * scale))
    size = (max(1, round(cells.width * scale)), max(1, round(cells.height * scale)))
    tile = Image.fromarray(pixels, "RGB").resize(size, Image.Resampling.NEAREST)
    mask = shown.resize(size, Image.Resampling.NEAREST)
    image.paste(tile, box, mask)


def _paint(image: Any, draw: Any, shape: Shape, scale: float) -> None:
    if isinstance(shape, Cells):
        _paint_cells(image, shape, scale)
    elif isinstance(shape, Line):
        _paint_line(draw, shape, scale)
    elif isinstance(shape, Circle):
        box = [(shape.x - shape.r) * scale, (shape.y - shape.r) * scale]
        box += [(shape.x + shape.r) * scale, (shape.y + shape.r) * scale]
        draw.ellipse(box, fill=shape.fill, outline=shape.stroke, width=max(1, round(scale)))
    elif isinstance(shape, Rect):
        box = [shape.x * scale, shape.y * scale]
        box += [(shape.x + shape.width) * scale, (shape.y + shape.height) * scale]
        draw.rounded_rectangle(
            box,
            radius=shape.radius * scale,
            fill=shape.fill,
            outline=shape.stroke,
            width=max(1, round(scale)),
        )
    else:
        _paint_text(image, draw, shape, scale)


def to_jpeg(size: tuple[float, float], shapes: Sequence[Shape], dpi: int) -> bytes:
    """The shapes painted at `dpi` as an RGB JPEG, which WeasyPrint embeds as it is."""
    from PIL import Image, ImageDraw

    scale = dpi / PT * SUPERSAMPLE
    width, height = (max(1, round(v * dpi / PT)) for v in size)
    image = Image.new("RGB", (width * SUPERSAMPLE, height * SUPERSAMPLE), "white")
    draw = ImageDraw.Draw(image)
    for shape in shapes:
        _paint(image, draw, shape, scale)
    image = image.reduce(SUPERSAMPLE)  # the mean of each square of pixels
    out = io.BytesIO()
    image.save(out, format="jpeg", quality=95, subsampling=0)
    return out.getvalue()

"""A line chart as SVG coordinates: one line per series over evenly spaced rounds, with
vertical markers for milestones. No Django: the template draws what this computes, and
the page shows the same numbers in a table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40


@dataclass(frozen=True)
class Line:
    label: str
    points: str  # "x,y x,y ..." for <polyline>; segments break where a value is missing
    segments: tuple[str, ...]
    dots: tuple[tuple[float, float, str], ...]  # x, y, the value as written
    style: int  # which of STYLES' colour and dash pattern draws it


STYLES = 6


def x_of(index: float, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span / 2 if count <= 1 else span * index / (count - 1))


def y_of(value: float, top: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top)


def lines(
    series: Sequence[tuple[str, Sequence[float | None]]], top: float, written: str = "{:.1f}"
) -> list[Line]:
    """One line per (label, values): values per round, None where there is none."""
    found = []
    for number, (label, values) in enumerate(series):
        segments, current, dots = [], [], []
        for index, value in enumerate(values):
            if value is None:
                if current:
                    segments.append(" ".join(current))
                current = []
                continue
            x, y = round(x_of(index, len(values)), 1), round(y_of(value, top), 1)
            current.append(f"{x},{y}")
            dots.append((x, y, written.format(value)))
        if current:
            segments.append(" ".join(current))
        found.append(Line(label, " ".join(segments), tuple(segments), tuple(dots), number % STYLES))
    return found


def ticks(labels: Sequence[str], top: int, step: float = 1) -> dict[str, list[tuple]]:
    """Axis ticks: (x, label, text-anchor) per round, (y, value) per level. The first and
    last labels run inward from their tick, so a long round name stays inside the chart."""
    count = len(labels)
    anchors = ["middle"] * count
    if count > 1:
        anchors[0], anchors[-1] = "start", "end"
    xs = [(round(x_of(i, count), 1), label, anchors[i]) for i, label in enumerate(labels)]
    values = [step * i for i in range(int(top / step) + 1)]
    ys = [(round(y_of(v, top), 1), v) for v in values]
    return {"x": xs, "y": ys}


def milestone_x(position: float, count: int) -> float:
    """The x of a milestone at `position`, a fractional round index (0 = the first)."""
    return round(x_of(min(max(position, 0.0), max(count - 1, 0)), count), 1)


def position_between(day: int, ends: Sequence[int]) -> float:
    """Where `day` (an ordinal) falls among the rounds' end days, as a fractional index."""
    if not ends or day <= ends[0]:
        return 0.0
    for index in range(1, len(ends)):
        if day <= ends[index]:
            before, after = ends[index - 1], ends[index]
            return index - 1 + (day - before) / max(after - before, 1)
    return float(len(ends) - 1)

"""Number formats of the results pages: NaN shown as a dash, shares as percentages."""

from __future__ import annotations

import math
from typing import Any

from django import template

register = template.Library()


def _missing(value: Any) -> bool:
    try:
        return value is None or math.isnan(float(value))
    except (TypeError, ValueError):
        return True


@register.filter
def pct(value: Any) -> str:
    return "–" if _missing(value) else f"{100 * float(value):.0f}%"


@register.filter
def num(value: Any, digits: int = 2) -> str:
    return "–" if _missing(value) else f"{float(value):.{int(digits)}f}"


@register.filter
def pvalue(value: Any) -> str:
    if _missing(value):
        return "–"
    return "< 0.001" if float(value) < 0.001 else f"{float(value):.3f}"


@register.filter
def scaled(value: Any, width: int = 100) -> str:
    """A share 0-1 as a coordinate on a `width`-unit SVG axis."""
    return "0" if _missing(value) else f"{float(value) * int(width):.1f}"


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)

"""Number formats of the results pages: thin filters over `rtwcomp.reports.format`.

Every statistic prints here exactly as in the study report (percentages with one decimal,
an en dash for an undefined value, never "-0.00"); the rules live in that module.
"""

from __future__ import annotations

from typing import Any

from django import template

from rtwcomp.reports import format as fmt

register = template.Library()


@register.filter
def pct(value: Any) -> str:
    """A share (0-1) as a percentage: `{{ share|pct }}` -> 73.0%."""
    return fmt.percent(value)


@register.filter
def num(value: Any, digits: int = 2) -> str:
    """A number with fixed decimals: `{{ value|num }}`, `{{ rank|num:0 }}`."""
    return fmt.fixed(value, int(digits))


@register.filter
def pvalue(value: Any) -> str:
    return fmt.pvalue(value)


@register.filter
def scaled(value: Any, width: int = 100) -> str:
    """A share 0-1 as a coordinate on a `width`-unit SVG axis (0 when undefined)."""
    number = fmt.finite(value)
    return "0" if number is None else f"{number * int(width):.1f}"


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)

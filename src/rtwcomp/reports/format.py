"""How numbers are printed: one rule per kind of statistic, so tables and text agree.

Undefined values (NaN, None, pandas NA) print as an en dash.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

DASH = "–"


def missing(value: Any) -> bool:
    """True for None, NaN and pandas NA (of any dtype)."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def num(value: Any, digits: int = 2) -> str:
    """A statistic with fixed decimals (means, alpha, omega, effects); never '-0.00'."""
    if missing(value):
        return DASH
    text = f"{float(value):.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def integer(value: Any) -> str:
    return DASH if missing(value) else str(int(value))


def pct(value: Any, digits: int = 1) -> str:
    """A share as a percentage: 0.7304 -> '73.0%'."""
    return DASH if missing(value) else f"{float(value) * 100:.{digits}f}%"


def pct_range(low: Any, high: Any, digits: int = 1) -> str:
    """An interval of shares: '61.2–82.1%'."""
    if missing(low) or missing(high):
        return DASH
    return f"{float(low) * 100:.{digits}f}–{float(high) * 100:.{digits}f}%"


def num_range(low: Any, high: Any, digits: int = 2) -> str:
    if missing(low) or missing(high):
        return DASH
    return f"{num(low, digits)}–{num(high, digits)}"


def pvalue(value: Any) -> str:
    """p and q values: three decimals, '< 0.001' below that."""
    if missing(value):
        return DASH
    return "< 0.001" if float(value) < 0.001 else f"{float(value):.3f}"

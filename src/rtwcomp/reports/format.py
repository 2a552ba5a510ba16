"""How numbers are printed: one rule per kind of statistic, in the report and on the web.

The study report (`rtwcomp.reports`) and the results pages (the `survey_format` template
filters, thin wrappers over this module) print every statistic through these functions, so
the same value reads the same everywhere:

- `percent`: a share as a percentage, one decimal everywhere: 0.7304 -> 73.0%
- `percent_range`: an interval of shares: 0.612, 0.821 -> 61.2–82.1%
- `proportion`: a share written 0 to 1, two decimals: 0.7 -> 0.70
- `mean`: means, sd, medians, IQR, changes on the rating scale, two decimals: 3.78
- `coefficient`: alpha, omega, correlations, loadings, effect sizes, two decimals: 0.88
  (three where the reader compares with a threshold near 1: Tucker's congruence, 0.95;
  Kendall's W)
- `pvalue`: p and q values, three decimals: 0.043; below 0.001 "< 0.001"
- `interval`: an interval of coefficients (Feldt's for alpha): 0.64–0.97
- `integer`: counts and ranks: 10

Percentages have one decimal everywhere (report, results pages, every table): the shares
of up to a thousand respondents (0.1 point per answer) stay distinct, and a share stays
distinguishable from the limits of its Wilson interval.

Whatever the function: a value that rounds to zero prints without a sign (``0.00``, never
``-0.00``), and an undefined value — None, NaN, pandas NA, ±infinity, or anything that is
not a number — prints as an en dash (`DASH`).

No Django here.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

DASH = "–"
PERCENT_DIGITS = 1
COEFFICIENT_DIGITS = 2


def missing(value: Any) -> bool:
    """True for None, NaN and pandas NA (of any dtype): an undefined cell of a table."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def finite(value: Any) -> float | None:
    """The value as a finite float, or None when it is undefined, infinite or not a number.

    >>> finite("0.5"), finite(float("inf")), finite(None), finite("n/a")
    (0.5, None, None, None)
    """
    if isinstance(value, str):
        value = value.strip()
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _unsigned_zero(text: str) -> str:
    """'-0.00' -> '0.00', '-0.0%' -> '0.0%'; any other text as it is."""
    if text.startswith("-") and not any(c in "123456789" for c in text):
        return text[1:]
    return text


def fixed(value: Any, digits: int = 2) -> str:
    """A number with `digits` decimals.

    >>> fixed(3.14159), fixed(-0.001), fixed(2.0, 0), fixed(float("nan"))
    ('3.14', '0.00', '2', '–')
    """
    number = finite(value)
    if number is None:
        return DASH
    return _unsigned_zero(f"{number:.{int(digits)}f}")


def mean(value: Any) -> str:
    """A mean, standard deviation, median, IQR or change on the rating scale: 2 decimals.

    >>> mean(34 / 9)
    '3.78'
    """
    return fixed(value, 2)


def coefficient(value: Any, digits: int = COEFFICIENT_DIGITS) -> str:
    """A correlation, reliability coefficient, loading or effect size: 2 decimals.

    >>> coefficient(0.87696), coefficient(-0.004), coefficient(0.99984, 3)
    ('0.88', '0.00', '1.000')
    """
    return fixed(value, digits)


def proportion(value: Any) -> str:
    """A share written as a proportion from 0 to 1: 2 decimals.

    >>> proportion(0.7)
    '0.70'
    """
    return fixed(value, 2)


def percent(value: Any) -> str:
    """A share (0-1) as a percentage with one decimal.

    >>> percent(0.7304), percent(2 / 3), percent(-1e-9), percent(None)
    ('73.0%', '66.7%', '0.0%', '–')
    """
    number = finite(value)
    if number is None:
        return DASH
    return _unsigned_zero(f"{number * 100:.{PERCENT_DIGITS}f}%")


def percent_range(low: Any, high: Any) -> str:
    """An interval of shares as percentages: one % sign, after the upper limit.

    >>> percent_range(0.39678, 0.89221)
    '39.7–89.2%'
    """
    if finite(low) is None or finite(high) is None:
        return DASH
    return f"{percent(low)[:-1]}–{percent(high)}"


def interval(low: Any, high: Any, digits: int = COEFFICIENT_DIGITS) -> str:
    """An interval of coefficients (Feldt's interval of alpha).

    >>> interval(0.6404, 0.9672)
    '0.64–0.97'
    """
    if finite(low) is None or finite(high) is None:
        return DASH
    return f"{fixed(low, digits)}–{fixed(high, digits)}"


def pvalue(value: Any) -> str:
    """A p or q value: three decimals, '< 0.001' below 0.001.

    >>> pvalue(0.4432), pvalue(0.00004), pvalue(float("nan"))
    ('0.443', '< 0.001', '–')
    """
    number = finite(value)
    if number is None:
        return DASH
    return "< 0.001" if number < 0.001 else _unsigned_zero(f"{number:.3f}")


def integer(value: Any) -> str:
    """A count or a rank, rounded to the nearest whole number.

    >>> integer(10.0), integer(3), integer(None)
    ('10', '3', '–')
    """
    number = finite(value)
    return DASH if number is None else str(round(number))

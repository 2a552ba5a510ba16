"""Number formats: one module (`rtwcomp.reports.format`), and the results-page template
filters print exactly the same strings through it."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from rtwcomp.reports import format as fmt
from rtwcomp.surveys.templatetags import survey_format

UNDEFINED = [None, float("nan"), np.nan, pd.NA, float("inf"), -np.inf, "n/a", ""]
VALUES = [
    0.0,
    -0.0,
    -0.0001,
    0.7304,
    2 / 3,
    0.39678,
    1.0,
    34 / 9,
    -0.004,
    0.4432,
    0.00004,
    0.0005,
    np.float64(0.125),
    np.int64(7),
    Decimal("0.5"),
    "0.25",
    True,
    *UNDEFINED,
]

FUNCTIONS = [fmt.percent, fmt.proportion, fmt.mean, fmt.coefficient, fmt.fixed, fmt.integer]
FUNCTIONS.append(fmt.pvalue)
# filter name -> the format function it wraps
FILTERS = {"pct": fmt.percent, "num": fmt.fixed, "pvalue": fmt.pvalue}
NEGATIVE_ZERO = re.compile(r"-0(\.0*)?%?")


def render(source: str, **values: Any) -> str:
    template = Template("{% load survey_format %}" + source)
    return template.render(Context(values, autoescape=False))


@pytest.mark.parametrize(
    ("function", "value", "expected"),
    [
        (fmt.percent, 0.7304, "73.0%"),
        (fmt.percent, 2 / 3, "66.7%"),
        (fmt.percent, 1.0, "100.0%"),
        (fmt.percent, -0.0001, "0.0%"),
        (fmt.proportion, 0.7, "0.70"),
        (fmt.mean, 34 / 9, "3.78"),
        (fmt.mean, -0.001, "0.00"),
        (fmt.mean, -0.0, "0.00"),
        (fmt.coefficient, 0.87696, "0.88"),
        (fmt.coefficient, -0.32, "-0.32"),
        (fmt.coefficient, -0.004, "0.00"),
        (fmt.pvalue, 0.4432, "0.443"),
        (fmt.pvalue, 0.001, "0.001"),
        (fmt.pvalue, 0.00099, "< 0.001"),
        (fmt.pvalue, 0.0, "< 0.001"),
        (fmt.integer, 10.0, "10"),
        (fmt.integer, np.int64(3), "3"),
        (fmt.fixed, -0.4, "-0.40"),
    ],
)
def test_each_kind_of_statistic_has_one_format(function, value, expected) -> None:
    assert function(value) == expected


def test_intervals() -> None:
    assert fmt.percent_range(0.39678, 0.89221) == "39.7–89.2%"
    assert fmt.percent_range(-0.00001, 0.5) == "0.0–50.0%"
    assert fmt.interval(0.6404, 0.9672) == "0.64–0.97"
    assert fmt.interval(-0.001, 0.5) == "0.00–0.50"
    for low, high in [(None, 0.5), (0.5, float("nan")), (0.1, float("inf"))]:
        assert fmt.percent_range(low, high) == fmt.DASH
        assert fmt.interval(low, high) == fmt.DASH


@pytest.mark.parametrize("value", UNDEFINED, ids=repr)
@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_undefined_values_print_as_a_dash(function, value) -> None:
    assert function(value) == fmt.DASH


@pytest.mark.parametrize("value", VALUES, ids=repr)
@pytest.mark.parametrize("name", FILTERS)
def test_template_filters_print_what_the_report_prints(name: str, value: Any) -> None:
    expected = FILTERS[name](value)
    assert getattr(survey_format, name)(value) == expected
    assert render(f"{{{{ v|{name} }}}}", v=value) == expected


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_template_filter_arguments_print_what_the_report_prints(value: Any) -> None:
    assert render("{{ v|num:0 }}", v=value) == fmt.fixed(value, 0)


def test_the_page_and_the_report_print_a_share_alike() -> None:
    share = 41 / 60
    assert render("{{ v|pct }}", v=share) == fmt.percent(share) == "68.3%"


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_no_format_prints_a_negative_zero(value: float) -> None:
    for function in FILTERS.values():
        text = function(value)
        assert not NEGATIVE_ZERO.fullmatch(text), (function.__name__, value, text)
        assert (text == fmt.DASH) == (not np.isfinite(value))
    for digits in range(4):
        assert not NEGATIVE_ZERO.fullmatch(fmt.fixed(value, digits))


@given(st.floats(min_value=-1e6, max_value=1e6))
def test_a_value_that_rounds_to_zero_prints_as_zero(value: float) -> None:
    text = fmt.coefficient(value)
    assert float(text) == pytest.approx(round(value, 2), abs=0.006)
    if abs(value) < 0.005:
        assert text == "0.00"

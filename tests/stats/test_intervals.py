"""Wilson and Feldt intervals: bounds and symmetries (R agreement is in test_reference)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from rtwcomp.stats.intervals import feldt_interval, wilson_interval


@st.composite
def counts(draw: st.DrawFn) -> tuple[int, int]:
    n = draw(st.integers(min_value=1, max_value=100_000))
    return draw(st.integers(min_value=0, max_value=n)), n


@given(counts())
def test_wilson_interval_contains_the_share_and_stays_in_0_1(case: tuple[int, int]) -> None:
    x, n = case
    low, high = wilson_interval(np.array([x], float), np.array([n], float))
    assert 0.0 <= low[0] <= x / n <= high[0] <= 1.0


@given(counts())
def test_wilson_interval_is_symmetric_in_successes_and_failures(case: tuple[int, int]) -> None:
    x, n = case
    low, high = wilson_interval(np.array([x, n - x], float), np.array([n, n], float))
    assert abs(low[0] - (1.0 - high[1])) < 1e-12
    assert abs(high[0] - (1.0 - low[1])) < 1e-12


def test_wilson_interval_narrows_as_n_grows_and_is_undefined_for_n_0() -> None:
    low, high = wilson_interval(np.array([5.0, 50.0, 500.0, 0.0]), np.array([10, 100, 1000, 0.0]))
    widths = high[:3] - low[:3]
    assert widths[0] > widths[1] > widths[2]
    assert np.isnan(low[3]) and np.isnan(high[3])


@given(
    st.floats(min_value=-0.5, max_value=0.99),
    st.integers(min_value=3, max_value=5000),
    st.integers(min_value=2, max_value=100),
)
def test_feldt_interval_brackets_alpha(alpha: float, n: int, k: int) -> None:
    low, high = feldt_interval(alpha, n, k)
    assert low < alpha < high < 1.0


def test_feldt_interval_narrows_with_more_respondents_and_needs_two_of_each() -> None:
    narrow = np.subtract(*feldt_interval(0.8, 1000, 10)[::-1])
    wide = np.subtract(*feldt_interval(0.8, 50, 10)[::-1])
    assert 0 < narrow < wide
    assert all(np.isnan(feldt_interval(0.8, 1, 10)))
    assert all(np.isnan(feldt_interval(0.8, 100, 1)))
    assert all(np.isnan(feldt_interval(float("nan"), 100, 5)))

"""Rank tests, effect sizes and Benjamini-Hochberg against scipy's implementations."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from rtwcomp.stats.subgroups import (
    benjamini_hochberg,
    kruskal_wallis,
    level_order,
    mann_whitney,
    subgroup_tests,
)

likert_sample = st.lists(st.integers(1, 5), min_size=3, max_size=60).map(
    lambda v: np.array(v, dtype=float)
)


def _varied(*samples: np.ndarray) -> bool:
    return len(np.unique(np.concatenate(samples))) > 1


@given(likert_sample, likert_sample)
def test_mann_whitney_matches_scipy(x: np.ndarray, y: np.ndarray) -> None:
    ours = mann_whitney(x, y)
    theirs = stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True)
    assert abs(ours.statistic - theirs.statistic) < 1e-9
    if _varied(x, y):
        assert abs(ours.p - theirs.pvalue) <= 1e-9 * max(theirs.pvalue, 1e-300) + 1e-15
    else:
        assert np.isnan(ours.p)
    assert -1.0 <= ours.effect <= 1.0
    assert abs(mann_whitney(y, x).effect + ours.effect) < 1e-12


@given(st.lists(likert_sample, min_size=3, max_size=5))
def test_kruskal_wallis_matches_scipy(samples: list[np.ndarray]) -> None:
    ours = kruskal_wallis(samples)
    if not _varied(*samples):
        assert np.isnan(ours.p)
        return
    theirs = stats.kruskal(*samples)
    assert abs(ours.statistic - theirs.statistic) < 1e-9 * max(1.0, theirs.statistic)
    assert abs(ours.p - theirs.pvalue) <= 1e-9 * theirs.pvalue + 1e-15
    assert 0.0 <= ours.effect <= 1.0 + 1e-12


@given(st.lists(st.one_of(st.floats(0, 1), st.just(np.nan)), min_size=1, max_size=40))
def test_benjamini_hochberg_matches_scipy_and_keeps_nan(p: list[float]) -> None:
    values = np.array(p)
    q = benjamini_hochberg(values)
    finite = np.isfinite(values)
    assert np.isnan(q[~finite]).all()
    if finite.any():
        expected = stats.false_discovery_control(values[finite], method="bh")
        np.testing.assert_allclose(q[finite], expected, atol=1e-12)
        assert (q[finite] >= values[finite] - 1e-15).all()


def test_level_order_is_numeric_when_it_can_be() -> None:
    assert level_order(pd.Series(["10", "9", None, "2"])) == ["2", "9", "10"]
    assert level_order(pd.Series(["US", "AU", "CA", "AU"])) == ["AU", "CA", "US"]


def test_small_levels_are_suppressed_and_left_out_of_q() -> None:
    rng = np.random.default_rng(0)
    n = 60
    attributes = pd.DataFrame(
        {
            "country": ["AU"] * 30 + ["CA"] * 30,
            "profession": ["nurse"] * 28 + ["physician"] * 3 + ["OT"] * 29,
        }
    )
    targets = {("item", f"q{j}"): rng.integers(1, 6, n).astype(float) for j in range(4)}
    targets[("item", "q0")][:25] = np.nan  # leaves AU with 5 answers: still shown
    table = subgroup_tests(targets, attributes, min_level_n=5)
    country = table[table["variable"] == "country"]
    assert not country["suppressed"].any()
    assert country["test"].eq("Mann-Whitney").all()
    assert country.iloc[0]["levels"] == "AU: 5; CA: 30"
    profession = table[table["variable"] == "profession"]
    assert profession["suppressed"].all()
    assert profession[["statistic", "p", "q", "effect"]].isna().all().all()
    expected_q = benjamini_hochberg(country["p"].to_numpy())
    np.testing.assert_allclose(country["q"], expected_q)

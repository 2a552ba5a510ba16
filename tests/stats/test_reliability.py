"""Pairwise moments, alpha, item-rest correlations and omega against independent formulas."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rtwcomp.stats.correlations import (
    cov_to_cor,
    pairwise_moments,
    smooth_correlation,
    squared_multiple_correlations,
)
from rtwcomp.stats.reliability import cronbach_alpha, item_rest, omega_total


@st.composite
def answer_matrices(draw: st.DrawFn, missing: bool = True) -> np.ndarray:
    n = draw(st.integers(min_value=8, max_value=60))
    k = draw(st.integers(min_value=3, max_value=6))
    rng = np.random.default_rng(draw(st.integers(0, 10_000)))
    common = rng.normal(size=(n, 1))
    data = np.clip(np.round(3 + common + rng.normal(size=(n, k))), 1, 5)
    if missing:
        data[rng.random(data.shape) < 0.1] = np.nan
        data[:3] = [[1] * k, [5] * k, [3] * k]  # enough overlap and variance
    return data


@settings(max_examples=40, deadline=None)
@given(answer_matrices())
def test_pairwise_moments_match_pandas(data: np.ndarray) -> None:
    moments = pairwise_moments(data)
    frame = pd.DataFrame(data)
    np.testing.assert_allclose(moments.covariance, frame.cov().to_numpy(), atol=1e-10)
    np.testing.assert_allclose(moments.correlation, frame.corr().to_numpy(), atol=1e-10)
    np.testing.assert_array_equal(moments.n, frame.notna().astype(int).T @ frame.notna())


@settings(max_examples=40, deadline=None)
@given(answer_matrices(missing=False))
def test_alpha_formulas_and_item_rest_on_complete_data(data: np.ndarray) -> None:
    k = data.shape[1]
    cov = np.cov(data, rowvar=False)
    alpha = cronbach_alpha(cov)
    total = data.sum(axis=1)
    expected = k / (k - 1) * (1 - data.var(axis=0, ddof=1).sum() / total.var(ddof=1))
    assert abs(alpha.raw - expected) < 1e-10
    r = np.corrcoef(data, rowvar=False)
    mean_r = r[np.triu_indices(k, 1)].mean()
    assert abs(alpha.mean_r - mean_r) < 1e-10
    assert abs(alpha.standardised - k * mean_r / (1 + (k - 1) * mean_r)) < 1e-10
    r_drop, alpha_drop = item_rest(cov)
    for i in range(k):
        rest = np.delete(data, i, axis=1)
        assert abs(r_drop[i] - np.corrcoef(data[:, i], rest.sum(axis=1))[0, 1]) < 1e-10
        assert abs(alpha_drop[i] - cronbach_alpha(np.cov(rest, rowvar=False)).raw) < 1e-12


@settings(max_examples=30, deadline=None)
@given(answer_matrices(), st.randoms(use_true_random=False))
def test_alpha_ignores_respondent_and_item_order(data: np.ndarray, rnd) -> None:
    rows, cols = list(range(data.shape[0])), list(range(data.shape[1]))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    base = cronbach_alpha(pairwise_moments(data).covariance)
    other = cronbach_alpha(pairwise_moments(data[np.ix_(rows, cols)]).covariance)
    assert abs(base.raw - other.raw) < 1e-10 and abs(base.standardised - other.standardised) < 1e-10


def test_omega_total_of_an_exact_one_factor_matrix() -> None:
    loadings = np.array([0.8, 0.7, 0.6, 0.5, 0.4])
    corr = np.outer(loadings, loadings)
    np.fill_diagonal(corr, 1.0)
    expected = loadings.sum() ** 2 / (loadings.sum() ** 2 + (1 - loadings**2).sum())
    assert abs(omega_total(corr) - expected) < 1e-6
    sign = np.array([1, -1, 1, 1, -1.0])
    assert abs(omega_total(corr * np.outer(sign, sign)) - expected) < 1e-6


def test_too_few_items_give_nan_not_errors() -> None:
    assert np.isnan(cronbach_alpha(np.array([[1.0]])).raw)
    assert np.isnan(omega_total(np.eye(2)))
    r_drop, alpha_drop = item_rest(np.array([[1.0, 0.5], [0.5, 1.0]]))
    assert np.allclose(r_drop, 0.5) and np.isnan(alpha_drop).all()


def test_smoothing_makes_a_matrix_positive_definite_and_keeps_good_ones() -> None:
    bad = np.array([[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]])
    smoothed = smooth_correlation(bad)
    assert np.linalg.eigvalsh(smoothed).min() > 0
    assert np.allclose(np.diag(smoothed), 1.0) and np.allclose(smoothed, smoothed.T)
    good = cov_to_cor(np.array([[2.0, 0.5], [0.5, 1.0]]))
    assert smooth_correlation(good) is good
    assert np.all(squared_multiple_correlations(smoothed) >= 0)


def test_a_sum_score_without_variance_gives_nan_without_a_warning() -> None:
    # Two respondents whose differences on items 1 and 2 cancel out: the sum of those two
    # items does not vary, so alpha of that pair (alpha if item 3 is deleted) and the
    # correlation of item 3 with it are undefined (psych: NA), not -inf.
    scores = np.array([[2.0, 4.0, 3.0], [3.0, 3.0, 5.0]])
    covariance = np.cov(scores, rowvar=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r_drop, alpha_drop = item_rest(covariance)
        pair = cronbach_alpha(covariance[:2, :2])
    assert np.isnan(alpha_drop[2]) and np.isnan(r_drop[2])
    assert np.isfinite(alpha_drop[:2]).all() and np.isfinite(r_drop[:2]).all()
    assert np.isnan(pair.raw) and np.isnan(pair.standardised)
    assert pair.mean_r == pytest.approx(-1.0)
    assert cronbach_alpha(covariance).raw == pytest.approx(3 / 2 * (1 - 3 / 2))  # sum varies


def test_two_respondents_whose_differences_cancel_analyze_without_warnings() -> None:
    from rtwcomp.stats import SurveyOptions, analyze_survey

    responses = pd.DataFrame({"a": [2, 3], "b": [4, 3], "c": [3, 5]})
    items = pd.DataFrame({"item": ["a", "b", "c"], "group": "g"})
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        # The arithmetic, below the minimums that would leave reliability out.
        result = analyze_survey(responses, items, SurveyOptions(minimums=False))
    stats = result.items.set_index("item")
    assert stats["alpha_if_deleted"].isna().tolist() == [False, False, True]
    assert stats["item_rest_r"].isna().tolist() == [False, False, True]

"""Polychoric correlations: recovery of a known latent correlation and invariances."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from rtwcomp.stats.polychoric import (
    category_codes,
    item_thresholds,
    pair_tables,
    polychoric_matrix,
)


def likert(n: int, corr: np.ndarray, seed: int, missing: float = 0.0) -> np.ndarray:
    """Ordinal answers 1-5 cut from multivariate normal latent variables."""
    rng = np.random.default_rng(seed)
    latent = rng.multivariate_normal(np.zeros(len(corr)), corr, size=n)
    cuts = np.array([-1.5, -0.6, 0.2, 1.0])
    answers = (np.searchsorted(cuts, latent) + 1).astype(float)
    answers[rng.random(answers.shape) < missing] = np.nan
    return answers


@st.composite
def surveys(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(min_value=30, max_value=200))
    k = draw(st.integers(min_value=2, max_value=6))
    rho = draw(st.floats(min_value=-0.3, max_value=0.8))
    corr = np.full((k, k), rho if rho > -1 / (k - 1) else 0.0)
    np.fill_diagonal(corr, 1.0)
    data = likert(n, corr, draw(st.integers(0, 10_000)), missing=0.05)
    for j in range(k):  # every item needs at least two answer values
        data[:2, j] = [1.0, 5.0]
    return data


def test_recovers_the_latent_correlation() -> None:
    truth = np.array([[1.0, 0.6, -0.3], [0.6, 1.0, 0.1], [-0.3, 0.1, 1.0]])
    result = polychoric_matrix(likert(40_000, truth, seed=3), 1, 5)
    assert result.converged
    np.testing.assert_allclose(result.rho, truth, atol=0.02)


def test_tables_equal_crosstabs_and_thresholds_equal_normal_quantiles() -> None:
    data = likert(500, np.eye(3) * 0.5 + 0.5, seed=1, missing=0.1)
    codes = category_codes(data, 1, 5)
    tables = pair_tables(codes, 5)
    frame = pd.DataFrame(data)
    expected = pd.crosstab(frame[0], frame[2]).reindex(
        index=[1.0, 2, 3, 4, 5], columns=[1.0, 2, 3, 4, 5], fill_value=0
    )
    np.testing.assert_array_equal(tables[0, 2], expected.to_numpy())
    shares = frame[1].value_counts(normalize=True).sort_index().cumsum().to_numpy()[:-1]
    np.testing.assert_allclose(item_thresholds(codes, 5)[1], special.ndtri(shares), atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(surveys())
def test_matrix_is_a_symmetric_correlation_matrix(data: np.ndarray) -> None:
    result = polychoric_matrix(data, 1, 5)
    assert np.allclose(result.rho, result.rho.T)
    assert np.allclose(np.diag(result.rho), 1.0)
    assert (np.abs(result.rho) <= 1.0).all()
    assert result.converged


@settings(max_examples=15, deadline=None)
@given(surveys(), st.randoms(use_true_random=False))
def test_invariant_to_respondent_order_and_permutes_with_items(data: np.ndarray, rnd) -> None:
    rows = list(range(data.shape[0]))
    cols = list(range(data.shape[1]))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    base = polychoric_matrix(data, 1, 5).raw
    shuffled = polychoric_matrix(data[np.ix_(rows, cols)], 1, 5).raw
    np.testing.assert_allclose(shuffled, base[np.ix_(cols, cols)], atol=1e-9)


@settings(max_examples=15, deadline=None)
@given(surveys())
def test_reversing_an_item_reverses_the_sign_of_its_correlations(data: np.ndarray) -> None:
    flipped = data.copy()
    flipped[:, 0] = 6.0 - flipped[:, 0]
    base = polychoric_matrix(data, 1, 5).raw
    other = polychoric_matrix(flipped, 1, 5).raw
    sign = np.ones(data.shape[1])
    sign[0] = -1.0
    np.testing.assert_allclose(other, base * np.outer(sign, sign), atol=1e-7)


def test_pairs_without_common_respondents_are_undefined() -> None:
    data = likert(200, np.eye(3) * 0.6 + 0.4, seed=5)
    data[:100, 0] = np.nan
    data[100:, 1] = np.nan
    result = polychoric_matrix(data, 1, 5)
    assert np.isnan(result.raw[0, 1]) and np.isfinite(result.raw[0, 2])
    assert result.n[0, 1] == 0 and result.n[0, 2] == 100

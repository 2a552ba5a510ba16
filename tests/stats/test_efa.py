"""Minres extraction, oblimin rotation, parallel analysis and congruence."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rtwcomp.stats.efa import factor_analysis, minres
from rtwcomp.stats.parallel import _random_correlation, max_identified_factors, parallel_analysis
from rtwcomp.stats.rotation import _oblimin_criterion, oblimin
from rtwcomp.stats.structure import factor_structure, tucker_congruence

PATTERN = np.array(
    [
        [0.8, 0.0],
        [0.7, 0.1],
        [0.6, 0.0],
        [0.7, -0.1],
        [0.0, 0.7],
        [0.1, 0.6],
        [0.0, 0.8],
        [-0.1, 0.7],
    ]
)
PHI = np.array([[1.0, 0.3], [0.3, 1.0]])


def model_correlation(pattern: np.ndarray, phi: np.ndarray) -> np.ndarray:
    common = pattern @ phi @ pattern.T
    np.fill_diagonal(common, 1.0)
    return common


def test_minres_reproduces_communalities_of_an_exact_model() -> None:
    solution = minres(model_correlation(PATTERN, PHI), 2)
    expected = np.diag(PATTERN @ PHI @ PATTERN.T)
    np.testing.assert_allclose((solution.loadings**2).sum(axis=1), expected, atol=1e-5)
    assert (solution.loadings.sum(axis=0) > 0).all()


def test_factor_analysis_recovers_a_simple_oblique_structure() -> None:
    solution = factor_analysis(model_correlation(PATTERN, PHI), 2)
    congruence = np.abs(tucker_congruence(solution.loadings, PATTERN))
    assert congruence.max(axis=0).min() > 0.999
    assert solution.ss_loadings[0] >= solution.ss_loadings[1]


def test_oblimin_finds_the_exact_pattern_when_it_has_no_cross_loadings() -> None:
    """Quartimin is zero only at perfect simple structure, so it must find it."""
    simple = np.zeros((8, 2))
    simple[:5, 0] = [0.8, 0.7, 0.6, 0.7, 0.5]
    simple[5:, 1] = [0.6, 0.8, 0.7]
    solution = factor_analysis(model_correlation(simple, PHI), 2)
    order = np.argmax(np.abs(solution.loadings), axis=1)
    assert len(set(order[:5])) == 1 and len(set(order[5:])) == 1 and order[0] != order[5]
    matched = solution.loadings[:, [order[0], order[5]]]
    np.testing.assert_allclose(np.abs(matched), np.abs(simple), atol=1e-3)
    assert abs(abs(solution.phi[0, 1]) - 0.3) < 1e-3
    assert solution.ss_loadings[0] >= solution.ss_loadings[1]


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 4))
def test_oblimin_keeps_the_common_part_and_lowers_the_criterion(seed: int, k: int) -> None:
    unrotated = np.random.default_rng(seed).uniform(-0.8, 0.8, size=(12, k))
    rotated = oblimin(unrotated)
    np.testing.assert_allclose(np.diag(rotated.phi), 1.0, atol=1e-12)
    np.testing.assert_allclose(
        rotated.loadings @ rotated.phi @ rotated.loadings.T, unrotated @ unrotated.T, atol=1e-8
    )
    assert _oblimin_criterion(rotated.loadings, 0.0)[0] <= _oblimin_criterion(unrotated, 0.0)[0]


def test_parallel_analysis_counts_the_factors_of_clear_data() -> None:
    rng = np.random.default_rng(4)
    pattern = np.kron(np.eye(3), np.full((5, 1), 0.7))
    data = rng.normal(size=(600, 3)) @ pattern.T + 0.7 * rng.normal(size=(600, 15))
    corr = np.corrcoef(data, rowvar=False)
    assert parallel_analysis(corr, 600, seed=1).n_factors == 3
    noise = np.corrcoef(rng.normal(size=(600, 15)), rowvar=False)
    result = parallel_analysis(noise, 600, seed=1)
    assert result.n_factors == 1
    assert (parallel_analysis(noise, 600, seed=1).random == result.random).all()


def test_bartlett_draws_match_correlations_of_normal_data() -> None:
    """The Wishart shortcut gives the eigenvalue distribution of real random data."""
    rng = np.random.default_rng(2)
    shortcut = [np.linalg.eigvalsh(_random_correlation(200, 10, rng)) for _ in range(400)]
    direct = [
        np.linalg.eigvalsh(np.corrcoef(rng.standard_normal((200, 10)), rowvar=False))
        for _ in range(400)
    ]
    np.testing.assert_allclose(np.mean(shortcut, axis=0), np.mean(direct, axis=0), atol=0.02)
    np.testing.assert_allclose(np.std(shortcut, axis=0), np.std(direct, axis=0), atol=0.02)


def test_identification_limit() -> None:
    assert max_identified_factors(3) == 1
    assert max_identified_factors(10) == 6  # (10 - 6)² - (10 + 6) = 0
    assert max_identified_factors(25) == 18


@given(st.integers(0, 10_000), st.floats(0.1, 10), st.floats(0.1, 10))
def test_congruence_bounds_and_scale_invariance(seed: int, a: float, b: float) -> None:
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(10, 2)), rng.normal(size=(10, 3))
    phi = tucker_congruence(x, y)
    assert (np.abs(phi) <= 1 + 1e-12).all()
    np.testing.assert_allclose(tucker_congruence(a * x, b * y), phi, atol=1e-12)
    np.testing.assert_allclose(tucker_congruence(x, -y), -phi, atol=1e-12)


def test_structure_matches_factors_to_groups() -> None:
    groups = ["care"] * 4 + ["law"] * 4
    table = factor_structure(PATTERN[:, ::-1], np.array([2.0, 1.0]), groups, ["F1", "F2"])
    assert list(table["group"]) == ["law", "care"]
    assert (table["congruence"] > 0.95).all()
    assert list(table["n_primary_in_group"]) == [4, 4]

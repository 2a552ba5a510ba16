"""Pearson covariances and correlations with pairwise deletion, and matrix helpers.

Survey answers have gaps, so each pair of items uses the respondents who answered both
("pairwise-complete" observations, R's `use = "pairwise.complete.obs"`). All pairs are
computed at once from four matrix products over the observed-answer indicator, so the
cost is a few BLAS calls whatever the number of items.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rtwcomp.stats.arrays import FloatMatrix, FloatVector


@dataclass(frozen=True)
class PairwiseMoments:
    """Covariances and correlations of every pair of columns, pairwise-complete.

    n[i, j]: respondents who answered both i and j.
    covariance[i, j]: covariance of i and j over those respondents (n - 1 denominator);
        the diagonal is each column's variance over all its answers, as R's
        `cov(x, use = "pairwise")`.
    correlation[i, j]: correlation over those respondents, each standard deviation taken
        over the same respondents, as R's `cor(x, use = "pairwise")`.
    Entries are NaN where fewer than two respondents answered both or a variance is 0.
    """

    n: FloatMatrix
    covariance: FloatMatrix
    correlation: FloatMatrix


def pairwise_moments(values: FloatMatrix) -> PairwiseMoments:
    """Pairwise-complete covariance and correlation of the columns of `values` (NaN = gap)."""
    observed = ~np.isnan(values)
    m = observed.astype(np.float64)
    x = np.where(observed, values, 0.0)
    n = m.T @ m
    sums = x.T @ m  # sums[i, j]: sum of column i over rows where i and j are both answered
    squares = (x * x).T @ m
    products = x.T @ x
    with np.errstate(divide="ignore", invalid="ignore"):
        dof = np.where(n > 1, n - 1.0, np.nan)
        covariance = (products - sums * sums.T / n) / dof
        variance_in_pair = (squares - sums * sums / n) / dof
        variance_in_pair = np.maximum(variance_in_pair, 0.0)
        correlation = covariance / np.sqrt(variance_in_pair * variance_in_pair.T)
    correlation[~np.isfinite(correlation)] = np.nan
    np.fill_diagonal(correlation, np.where(np.diag(covariance) > 0, 1.0, np.nan))
    return PairwiseMoments(n=n, covariance=covariance, correlation=np.clip(correlation, -1, 1))


def cov_to_cor(covariance: FloatMatrix) -> FloatMatrix:
    """Scale a covariance matrix to a correlation matrix by its own diagonal (R's cov2cor)."""
    scale = 1.0 / np.sqrt(np.diag(covariance))
    result: FloatMatrix = covariance * np.outer(scale, scale)
    np.fill_diagonal(result, 1.0)
    return result


def squared_multiple_correlations(correlation: FloatMatrix) -> FloatVector:
    """Squared multiple correlation of each variable with all the others.

    smc_i = 1 - 1 / (R⁻¹)_ii (Guttman 1956), using the pseudo-inverse so that a singular
    matrix still gives an answer, clipped to [0, 1], as `psych::smc`.
    """
    inverse = np.linalg.pinv(correlation, rcond=float(np.sqrt(np.finfo(float).eps)))
    with np.errstate(divide="ignore"):
        smc = 1.0 - 1.0 / np.diag(inverse)
    return np.clip(np.nan_to_num(smc, nan=1.0), 0.0, 1.0)


def smooth_correlation(correlation: FloatMatrix, tolerance: float = 1e-12) -> FloatMatrix:
    """Make a correlation matrix positive definite when it is not.

    Pairwise estimates need not form a proper correlation matrix. As `psych::cor.smooth`
    (after Wothke 1993): when the smallest eigenvalue is below machine epsilon, raise
    eigenvalues below `tolerance` to 100 * tolerance, rescale them to sum to the number of
    variables, rebuild the matrix and rescale it to a unit diagonal. A positive definite
    input is returned unchanged.
    """
    values, vectors = np.linalg.eigh(correlation)
    if values.min() >= np.finfo(float).eps:
        return correlation
    values = np.where(values < tolerance, 100.0 * tolerance, values)
    values = values * len(values) / values.sum()
    rebuilt: FloatMatrix = (vectors * values) @ vectors.T
    return cov_to_cor((rebuilt + rebuilt.T) / 2.0)


def is_smoothing_needed(correlation: FloatMatrix) -> bool:
    """Whether `smooth_correlation` would change the matrix (never for an empty one)."""
    if correlation.size == 0:
        return False
    return bool(np.linalg.eigvalsh(correlation).min() < np.finfo(float).eps)

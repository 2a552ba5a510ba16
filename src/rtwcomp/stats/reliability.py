"""Internal consistency of a group of items: alpha, standardised alpha, omega total.

All functions take matrices computed with pairwise deletion (see `correlations`), which
is how `psych::alpha` and `psych::omega` treat missing answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rtwcomp.stats.arrays import FloatMatrix, FloatVector
from rtwcomp.stats.correlations import cov_to_cor
from rtwcomp.stats.efa import minres

# A sum of covariances this small relative to the item variances is zero up to rounding.
ZERO_TOLERANCE = 1e-12


@dataclass(frozen=True)
class Alpha:
    """Cronbach's alpha from covariances (raw), from correlations (standardised), and the
    mean inter-item correlation."""

    raw: float
    standardised: float
    mean_r: float


def cronbach_alpha(covariance: FloatMatrix) -> Alpha:
    """Cronbach's (1951) alpha of k items with covariance matrix C.

    raw = k/(k-1) · (1 - tr C / ΣC); standardised = k/(k-1) · (1 - k / ΣR) with
    R = cov2cor(C), equal to k·r̄ / (1 + (k-1)·r̄) for the mean inter-item correlation
    r̄ = (ΣR - k) / (k(k-1)). As `psych::alpha` (raw_alpha, std.alpha, average_r).
    When the sum score has no variance (ΣC or ΣR is zero, as when two respondents'
    differences cancel out) the alpha is undefined: NaN, where psych gives NA.
    """
    k = covariance.shape[0]
    if k < 2 or not np.isfinite(covariance).all():
        return Alpha(float("nan"), float("nan"), float("nan"))
    corr = cov_to_cor(covariance)
    factor = k / (k - 1.0)
    trace, total, corr_total = float(np.trace(covariance)), covariance.sum(), corr.sum()
    raw = factor * (1.0 - trace / total) if not _is_zero(total, trace) else np.nan
    standardised = factor * (1.0 - k / corr_total) if not _is_zero(corr_total, k) else np.nan
    mean_r = (corr_total - k) / (k * (k - 1.0))
    return Alpha(float(raw), float(standardised), float(mean_r))


def _is_zero(total: float, scale: float) -> bool:
    """Whether a sum of covariances is zero up to rounding, `scale` being the sum of the
    variances it contains."""
    return bool(abs(total) <= ZERO_TOLERANCE * abs(scale))


def item_rest(covariance: FloatMatrix) -> tuple[FloatVector, FloatVector]:
    """Item-rest correlation and alpha if item deleted, for each item.

    The item-rest correlation of item i is its correlation with the sum of the other
    items, from C: (Σ_j C_ij - C_ii) / sqrt(C_ii · Σ_{j,l≠i} C_jl) (psych's r.drop).
    Alpha if deleted is the raw alpha of the other items. With two items alpha of the
    single remaining item is undefined and given as NaN; so is an item-rest correlation
    whose rest has no (or, from pairwise covariances, negative) variance, and an alpha
    whose sum score has none.
    """
    k = covariance.shape[0]
    r_drop = np.full(k, np.nan)
    alpha_drop = np.full(k, np.nan)
    if k < 2 or not np.isfinite(covariance).all():
        return r_drop, alpha_drop
    total = covariance.sum()
    for i in range(k):
        keep = np.arange(k) != i
        rest = covariance[np.ix_(keep, keep)]
        rest_sum = total - 2.0 * covariance[i].sum() + covariance[i, i]
        if rest_sum > ZERO_TOLERANCE * np.trace(rest):
            r_drop[i] = (covariance[i].sum() - covariance[i, i]) / np.sqrt(
                covariance[i, i] * rest_sum
            )
        if k > 2:
            alpha_drop[i] = cronbach_alpha(rest).raw
    return r_drop, alpha_drop


def omega_total(corr: FloatMatrix) -> float:
    """McDonald's (1999) omega total from a one-factor minres solution.

    ω_t = (V_t - Σ u_i²) / V_t, where V_t is the sum of all entries of the correlation
    matrix and u_i² = 1 - λ_i² the uniquenesses. Items loading negatively are first
    reversed (their rows and columns change sign), as `psych::omega(nfactors = 1)` does
    with its default flip = TRUE. Needs at least three items; otherwise NaN.
    """
    k = corr.shape[0]
    if k < 3 or not np.isfinite(corr).all():
        return float("nan")
    solution = minres(corr, 1)
    signs = np.where(solution.loadings[:, 0] < 0, -1.0, 1.0)
    flipped = corr * np.outer(signs, signs)
    total = flipped.sum()
    uniqueness = float(np.sum(1.0 - solution.loadings[:, 0] ** 2))
    return float((total - uniqueness) / total)

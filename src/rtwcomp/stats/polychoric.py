"""Polychoric correlations of ordinal items, estimated for all item pairs at once.

Model (Pearson 1900; Olsson 1979): each item is a latent standard normal variable cut
into ordered categories at thresholds τ. For two items the latent pair is bivariate
normal with correlation ρ, so the probability of the cell (a, b) of their contingency
table is a rectangle probability of the bivariate normal distribution. ρ is the value
that maximises the multinomial likelihood Σ n_ab log π_ab(ρ).

As `psych::polychoric` (with its default global = TRUE), the thresholds of an item are
estimated once from all its answers, τ_c = Φ⁻¹(share answering in categories 1..c), and
held fixed; only ρ is estimated per pair ("two-step" estimator, Olsson 1979). Each pair
uses the respondents who answered both items.

Speed: the cost does not depend on the number of respondents once the tables are
counted. All tables come from one product of indicator matrices (counted in row chunks),
and ρ is found for all pairs together by a safeguarded Fisher-scoring iteration: a
Newton step on the score with the expected information, replaced by bisection whenever it
would leave the bracket in which the score changes sign.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special

from rtwcomp.stats.arrays import CodeMatrix, FloatArray, FloatMatrix
from rtwcomp.stats.bivariate import bvn_cdf, bvn_pdf
from rtwcomp.stats.correlations import is_smoothing_needed, smooth_correlation

ProgressFn = Callable[[str, int, int], None]

RHO_BOUND = 1.0 - 1e-6
TOLERANCE = 1e-10
MAX_ITERATIONS = 80
CHUNK_ROWS = 16384


@dataclass(frozen=True)
class PolychoricResult:
    """Polychoric correlations of a set of items.

    rho: the item x item matrix used downstream (smoothed when it was not positive
        definite, as psych does by default); raw: the matrix before smoothing;
    thresholds: item x (categories - 1), ±inf where a category run is empty;
    n: respondents who answered both items of each pair; smoothed: whether smoothing
    changed the matrix; converged: whether every pair's estimate converged.
    """

    rho: FloatMatrix
    raw: FloatMatrix
    thresholds: FloatMatrix
    n: FloatMatrix
    smoothed: bool
    converged: bool


def category_codes(scores: FloatMatrix, scale_min: int, n_points: int) -> CodeMatrix:
    """Answers as category codes 0..n_points-1, with -1 for a missing answer."""
    codes = np.full(scores.shape, -1, dtype=np.int16)
    observed = ~np.isnan(scores)
    codes[observed] = (scores[observed] - scale_min).astype(np.int16)
    if codes.max(initial=-1) >= n_points:
        raise ValueError("an answer lies above the scale")
    return codes


def item_thresholds(codes: CodeMatrix, n_points: int) -> FloatMatrix:
    """Thresholds τ_c = Φ⁻¹(cumulative share up to category c) of each item (rows)."""
    counts = np.stack([(codes == c).sum(axis=0) for c in range(n_points)], axis=1)
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        cumulative = np.cumsum(counts, axis=1)[:, :-1] / totals
    thresholds: FloatMatrix = special.ndtri(np.clip(cumulative, 0.0, 1.0))
    return thresholds


def pair_tables(codes: CodeMatrix, n_points: int, progress: ProgressFn | None = None) -> FloatArray:
    """Contingency tables of every item pair, shape (items, items, points, points).

    tables[i, j, a, b] counts respondents answering category a to item i and b to item
    j. With X the respondents x (items·points) indicator matrix, all tables together are
    XᵀX; a missing answer has an all-zero indicator row and so drops out of its pairs.
    """
    n_rows, n_items = codes.shape
    width = n_items * n_points
    total = np.zeros((width, width), dtype=np.float64)
    offsets = np.arange(n_items, dtype=np.int64) * n_points
    chunks = range(0, n_rows, CHUNK_ROWS)
    for done, start in enumerate(chunks, start=1):
        block = codes[start : start + CHUNK_ROWS]
        rows, cols = np.nonzero(block >= 0)
        indicator = np.zeros((block.shape[0], width), dtype=np.float32)
        indicator[rows, offsets[cols] + block[rows, cols]] = 1.0
        total += (indicator.T @ indicator).astype(np.float64)
        if progress is not None:
            progress("polychoric: counting", done, len(chunks))
    return total.reshape(n_items, n_points, n_items, n_points).transpose(0, 2, 1, 3)


def _bordered(limits: FloatMatrix) -> FloatMatrix:
    """Thresholds with -inf and +inf added at both ends (one row per pair)."""
    low = np.full((limits.shape[0], 1), -np.inf)
    high = np.full((limits.shape[0], 1), np.inf)
    return np.hstack([low, limits, high])


def _cell_terms(
    rho: FloatArray, row_cuts: FloatMatrix, col_cuts: FloatMatrix
) -> tuple[FloatArray, FloatArray]:
    """Cell probabilities and their derivatives in ρ, shape (pairs, points, points)."""
    h = row_cuts[:, :, None]
    k = col_cuts[:, None, :]
    r = rho[:, None, None]
    cdf = bvn_cdf(h, k, r)
    pdf = bvn_pdf(h, k, r)
    prob = np.diff(np.diff(cdf, axis=1), axis=2)
    dprob = np.diff(np.diff(pdf, axis=1), axis=2)
    return np.maximum(prob, 0.0), dprob


def _score_and_information(
    rho: FloatArray, tables: FloatArray, row_cuts: FloatMatrix, col_cuts: FloatMatrix
) -> tuple[FloatArray, FloatArray]:
    """Score dℓ/dρ and expected information of each pair at ρ."""
    prob, dprob = _cell_terms(rho, row_cuts, col_cuts)
    occupied = tables > 0
    positive = prob > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(positive, dprob / prob, 0.0)
        score = np.where(occupied, tables * ratio, 0.0).sum(axis=(1, 2))
        information = tables.sum(axis=(1, 2)) * np.where(positive, dprob * ratio, 0.0).sum(
            axis=(1, 2)
        )
    return score, information


def _starting_values(tables: FloatArray) -> FloatArray:
    """Pearson correlation of the category codes of each table, a good first guess."""
    points = np.arange(tables.shape[1], dtype=np.float64)
    n = tables.sum(axis=(1, 2))
    row = tables.sum(axis=2)
    col = tables.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_r = row @ points / n
        mean_c = col @ points / n
        var_r = row @ points**2 / n - mean_r**2
        var_c = col @ points**2 / n - mean_c**2
        cross = np.einsum("pab,a,b->p", tables, points, points) / n - mean_r * mean_c
        start = cross / np.sqrt(var_r * var_c)
    result: FloatArray = np.clip(np.nan_to_num(start, nan=0.0), -0.9, 0.9)
    return result


def estimate_rho(
    tables: FloatArray,
    row_thresholds: FloatMatrix,
    col_thresholds: FloatMatrix,
    progress: ProgressFn | None = None,
) -> tuple[FloatArray, bool]:
    """Maximum-likelihood ρ for each table (pairs, points, points) with fixed thresholds.

    Returns the estimates and whether all converged (|step| or bracket < 1e-10).
    """
    row_cuts = _bordered(row_thresholds)
    col_cuts = _bordered(col_thresholds)
    n_pairs = tables.shape[0]
    rho = _starting_values(tables)
    low = np.full(n_pairs, -RHO_BOUND)
    high = np.full(n_pairs, RHO_BOUND)
    active = np.arange(n_pairs)
    for _ in range(MAX_ITERATIONS):
        if active.size == 0:
            break
        r = rho[active]
        score, info = _score_and_information(r, tables[active], row_cuts[active], col_cuts[active])
        low[active] = np.where(score > 0, r, low[active])
        high[active] = np.where(score <= 0, r, high[active])
        with np.errstate(divide="ignore", invalid="ignore"):
            proposal = r + score / info
        midpoint = (low[active] + high[active]) / 2.0
        inside = np.isfinite(proposal) & (proposal > low[active]) & (proposal < high[active])
        proposal = np.where(inside, proposal, midpoint)
        rho[active] = proposal
        width = high[active] - low[active]
        done = (np.abs(proposal - r) < TOLERANCE) | (width < TOLERANCE)
        active = active[~done]
        if progress is not None:
            progress("polychoric: estimating", n_pairs - active.size, n_pairs)
    return rho, active.size == 0


def polychoric_matrix(
    scores: FloatMatrix,
    scale_min: int,
    scale_max: int,
    progress: ProgressFn | None = None,
) -> PolychoricResult:
    """Polychoric correlation matrix of the columns of `scores` (scored answers, NaN = gap).

    Items should each have at least two distinct answers; a pair with no respondent in
    common gets NaN.
    """
    n_points = scale_max - scale_min + 1
    codes = category_codes(scores, scale_min, n_points)
    n_items = codes.shape[1]
    thresholds = item_thresholds(codes, n_points)
    all_tables = pair_tables(codes, n_points, progress)
    upper_i, upper_j = np.triu_indices(n_items, k=1)
    tables = all_tables[upper_i, upper_j]
    counts = all_tables.sum(axis=(2, 3))
    rho, converged = estimate_rho(tables, thresholds[upper_i], thresholds[upper_j], progress)
    rho = np.where(tables.sum(axis=(1, 2)) > 0, rho, np.nan)
    raw = np.eye(n_items)
    raw[upper_i, upper_j] = rho
    raw[upper_j, upper_i] = rho
    smoothed = bool(np.isfinite(raw).all() and is_smoothing_needed(raw))
    final = smooth_correlation(raw) if smoothed else raw
    return PolychoricResult(
        rho=final,
        raw=raw,
        thresholds=thresholds,
        n=counts,
        smoothed=smoothed,
        converged=converged,
    )

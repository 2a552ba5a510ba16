"""Rank tests and Benjamini-Hochberg over many simulated studies at once.

The same tests as `rtwcomp.stats.subgroups` (Mann-Whitney with tie and continuity
correction, Kruskal-Wallis with tie correction, as R's wilcox.test and kruskal.test),
computed for a whole batch of studies with array operations instead of one call per
study and target: ranks of every row come from one sort of row-offset keys.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special, stats


@dataclass(frozen=True)
class RowRanks:
    ranks: np.ndarray  # rows x n mid-ranks within the row, NaN where the value is missing
    ties: np.ndarray  # per row Σ(t³ - t) over tie blocks
    n: np.ndarray  # per row number of values


def rank_rows(values: np.ndarray) -> RowRanks:
    """Mid-ranks within each row of a 2-D array; NaN values are left out."""
    rows, width = values.shape
    valid = ~np.isnan(values)
    low = np.nanmin(values) if valid.any() else 0.0
    span = (np.nanmax(values) - low + 1.0) if valid.any() else 1.0
    row_of = np.broadcast_to(np.arange(rows)[:, None], values.shape)[valid]
    keys = row_of * span + (values[valid] - low)
    unique, first, inverse, counts = np.unique(
        keys, return_index=True, return_inverse=True, return_counts=True
    )
    unique_row = row_of[first]
    n = valid.sum(axis=1)
    starts = np.cumsum(n) - n
    below = np.cumsum(counts) - counts - starts[unique_row]
    ranks = np.full(values.shape, np.nan)
    ranks[valid] = (below + (counts + 1) / 2.0)[inverse]
    blocks = counts.astype(float)
    ties = np.bincount(unique_row, weights=blocks**3 - blocks, minlength=rows)
    return RowRanks(ranks, ties, n.astype(float))


def mann_whitney_rows(values: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Two-sided p of Mann-Whitney per row: `first` (bool, same shape) vs the rest."""
    ranked = rank_rows(values)
    valid = ~np.isnan(values)
    in_first = first & valid
    n1 = in_first.sum(axis=1).astype(float)
    n = ranked.n
    n2 = n - n1
    u = np.where(in_first, ranked.ranks, 0.0).sum(axis=1) - n1 * (n1 + 1) / 2
    centred = u - n1 * n2 / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        var = n1 * n2 / 12 * ((n + 1) - ranked.ties / (n * (n - 1)))
        z = (centred - 0.5 * np.sign(centred)) / np.sqrt(var)
    return np.minimum(1.0, 2 * special.ndtr(-np.abs(z)))


def kruskal_wallis_rows(values: np.ndarray, levels: np.ndarray, n_levels: int) -> np.ndarray:
    """p of Kruskal-Wallis per row; `levels` holds level indices (same shape)."""
    ranked = rank_rows(values)
    valid = ~np.isnan(values)
    n = ranked.n
    h = -3 * (n + 1)
    present = np.zeros(values.shape[0])
    for level in range(n_levels):
        member = valid & (levels == level)
        size = member.sum(axis=1).astype(float)
        total = np.where(member, ranked.ranks, 0.0).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            h = h + np.where(size > 0, 12 / (n * (n + 1)) * total**2 / size, 0.0)
        present += size > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        h = h / (1 - ranked.ties / (n**3 - n))
    return stats.chi2.sf(h, np.maximum(present - 1, 1))


def bh_rows(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg q values along the last axis (every p finite)."""
    m = p.shape[-1]
    order = np.argsort(-p, axis=-1, kind="stable")
    ordered = np.take_along_axis(p, order, axis=-1)
    ranks = np.arange(m, 0, -1, dtype=float)
    q_ordered = np.minimum(1.0, np.minimum.accumulate(m / ranks * ordered, axis=-1))
    q = np.empty_like(p)
    np.put_along_axis(q, order, q_ordered, axis=-1)
    return q

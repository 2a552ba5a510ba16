"""The batched rank tests agree with rtwcomp.stats.subgroups (checked against R) row by row."""

from __future__ import annotations

import numpy as np

from rtwcomp.simulation.batch_tests import (
    bh_rows,
    kruskal_wallis_rows,
    mann_whitney_rows,
    rank_rows,
)
from rtwcomp.stats.subgroups import benjamini_hochberg, kruskal_wallis, mann_whitney


def _data(rows=12, width=60, seed=0):
    rng = np.random.default_rng(seed)
    values = rng.integers(1, 6, (rows, width)).astype(float) + rng.integers(0, 3, (rows, width)) / 3
    values[rng.random(values.shape) < 0.05] = np.nan
    return values, rng


def test_mid_ranks_with_ties_match_scipy():
    from scipy.stats import rankdata

    values, _ = _data()
    ranked = rank_rows(values)
    for row, ranks in zip(values, ranked.ranks, strict=True):
        keep = ~np.isnan(row)
        assert np.allclose(ranks[keep], rankdata(row[keep]))


def test_mann_whitney_rows_match_the_single_test():
    values, rng = _data()
    first = rng.random(values.shape) < 0.3
    p = mann_whitney_rows(values, first)
    for k in range(len(values)):
        keep = ~np.isnan(values[k])
        expected = mann_whitney(values[k][keep & first[k]], values[k][keep & ~first[k]]).p
        assert np.isclose(p[k], expected, rtol=1e-10)


def test_kruskal_wallis_rows_match_the_single_test():
    values, rng = _data(seed=1)
    levels = rng.integers(0, 3, values.shape)
    p = kruskal_wallis_rows(values, levels, 3)
    for k in range(len(values)):
        keep = ~np.isnan(values[k])
        samples = [values[k][keep & (levels[k] == j)] for j in range(3)]
        assert np.isclose(p[k], kruskal_wallis(samples).p, rtol=1e-10)


def test_bh_rows_match_the_single_adjustment():
    p = np.random.default_rng(2).random((5, 9)) ** 2
    q = bh_rows(p)
    for row, adjusted in zip(p, q, strict=True):
        assert np.allclose(adjusted, benjamini_hochberg(row))

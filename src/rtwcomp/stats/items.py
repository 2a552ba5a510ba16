"""Per-item descriptive statistics and the key-item rule of Pransky et al. (2010).

An item's *share_top* is the share of its respondents whose scored answer is `top` or
more (4-5 on a 1-5 scale). It is a *key item* when share_top exceeds `key_share` (0.5 in
the 2010 study: "rated 4 or 5 by more than half"), and the classification is *certain*
when the whole Wilson 95% interval of share_top lies on one side of `key_share`.

Answers are whole numbers on the scale, so every statistic here is computed exactly from
each item's frequency table (one count per scale point), in one pass over the data.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rtwcomp.stats.arrays import BoolVector, FloatMatrix, FloatVector
from rtwcomp.stats.inputs import ItemTable
from rtwcomp.stats.intervals import wilson_interval
from rtwcomp.stats.options import SurveyOptions


def answer_counts(scores: FloatMatrix, scale_min: int, n_points: int) -> FloatMatrix:
    """items x points matrix: how many respondents gave each scored answer to each item."""
    result: FloatMatrix = np.zeros((scores.shape[1], n_points))
    for j in range(scores.shape[1]):
        column = scores[:, j]
        codes = (column[~np.isnan(column)] - scale_min).astype(np.int64)
        result[j] = np.bincount(codes, minlength=n_points)
    return result


def quantile_from_counts(counts: FloatMatrix, points: FloatVector, prob: float) -> FloatVector:
    """R's default (type 7) sample quantile of each row's data, given as frequencies.

    With n answers sorted as x₁ ≤ … ≤ xₙ, the quantile is (1 - h)·x_lo + h·x_hi with
    index 1 + (n - 1)·prob, lo and hi its floor and ceiling and h = index - lo
    (Hyndman & Fan 1996, definition 7). NaN for a row with no answers.
    """
    n = counts.sum(axis=1)
    cumulative = np.cumsum(counts, axis=1)
    index = 1.0 + np.maximum(n - 1.0, 0.0) * prob
    lo = np.floor(index)
    hi = np.ceil(index)

    def order_statistic(rank: FloatVector) -> FloatVector:
        position = (cumulative < rank[:, None]).sum(axis=1)
        value: FloatVector = points[np.minimum(position, len(points) - 1)]
        return value

    x_lo = order_statistic(lo)
    x_hi = order_statistic(hi)
    h = index - lo
    result = np.where((index > lo) & (x_hi != x_lo), (1.0 - h) * x_lo + h * x_hi, x_lo)
    return np.where(n > 0, result, np.nan)


def _where(mask: BoolVector, values: list[Any]) -> list[Any]:
    """`values` where `mask` holds, None (missing) elsewhere."""
    return [v if m else None for m, v in zip(mask.tolist(), values, strict=True)]


def item_statistics(table: ItemTable, scores: FloatMatrix, options: SurveyOptions) -> pd.DataFrame:
    """One row per item: counts, location, spread, share_top with its interval, rank, key.

    n: respondents who answered; n_missing: who did not; mean and sd (n - 1
    denominator); median, q1, q3 (R's quantile type 7); count_<point> for each scale
    point; share_top with its Wilson 95% interval (R's prop.test(correct = FALSE));
    rank: 1 for the highest share_top, tied items share the best rank (competition
    ranking); key: share_top > key_share; key_certain: the interval lies wholly above or
    wholly below key_share. Statistics of an item nobody answered are NaN/NA (blank).
    """
    points = np.array(options.points, dtype=np.float64)
    counts = answer_counts(scores, options.scale_min, len(points))
    n = counts.sum(axis=1)
    answered = n > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = counts @ points / n
        squares = (counts * (points[None, :] - mean[:, None]) ** 2).sum(axis=1)
        sd = np.sqrt(squares / np.where(n > 1, n - 1.0, np.nan))
        top = counts[:, points >= options.top].sum(axis=1)
        share = top / n
    low, high = wilson_interval(top, n)
    rank = pd.Series(share).rank(method="min", ascending=False).fillna(0).to_numpy()
    certain = (low > options.key_share) | (high < options.key_share)
    count_columns = {
        f"count_{p}": counts[:, k].astype(np.int64) for k, p in enumerate(options.points)
    }
    return pd.DataFrame(
        {
            "item": table.ids,
            "group": table.groups,
            "statement": table.statements,
            "reverse": table.reverse.astype(int),
            "n": n.astype(np.int64),
            "n_missing": (scores.shape[0] - n).astype(np.int64),
            "mean": mean,
            "sd": sd,
            "median": quantile_from_counts(counts, points, 0.5),
            "q1": quantile_from_counts(counts, points, 0.25),
            "q3": quantile_from_counts(counts, points, 0.75),
            **count_columns,
            "share_top": share,
            "share_top_low": low,
            "share_top_high": high,
            "rank": pd.array(_where(answered, [int(r) for r in rank]), dtype="Int64"),
            "key": pd.array(_where(answered, list(share > options.key_share)), "boolean"),
            "key_certain": pd.array(_where(answered, list(certain)), dtype="boolean"),
        }
    )

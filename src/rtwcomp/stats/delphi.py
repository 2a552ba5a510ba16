"""Delphi rounds: consensus per item and stability between rounds.

- Consensus: an item reaches consensus when the share of ratings at or above `top` is at
  least `share` and the interquartile range (R's default quantile type 7) is at most `iqr`
  (von der Gracht 2012, Technol Forecast Soc Change 79:1525-1536, reviews such rules).
- Stability of an item between rounds: the paired Wilcoxon signed-rank test on the
  panellists who rated it in both rounds, as R's `wilcox.test(paired = TRUE,
  exact = FALSE, correct = TRUE)` (zero differences dropped, ties corrected); and the
  change in distribution, half the sum of absolute differences of the two rounds' shares
  per scale point (total variation distance, 0 = same, 1 = disjoint).
- Agreement within a round: Kendall's W over panellists (raters) and items (objects),
  with the correction for ties, W = Friedman chi-squared / (m (n - 1)) (Kendall & Babington
  Smith 1939; Siegel & Castellan 1988, section 9.4). Panellists with a missing rating are
  left out of W.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def consensus(ratings: pd.DataFrame, *, top: int, share: float, iqr: float) -> pd.DataFrame:
    """Per item (column): n, share at or above `top`, quartiles, IQR and the verdict."""
    rows = []
    for item in ratings.columns:
        values = ratings[item].dropna().to_numpy(dtype=float)
        n = len(values)
        if n == 0:
            rows.append(
                {
                    "item": item,
                    "n": 0,
                    "share_top": np.nan,
                    "q1": np.nan,
                    "q3": np.nan,
                    "iqr": np.nan,
                    "consensus": False,
                }
            )
            continue
        q1, q3 = np.percentile(values, [25, 75])
        top_share = float(np.mean(values >= top))
        rows.append(
            {
                "item": item,
                "n": n,
                "share_top": top_share,
                "q1": float(q1),
                "q3": float(q3),
                "iqr": float(q3 - q1),
                "consensus": bool(top_share >= share and (q3 - q1) <= iqr),
            }
        )
    return pd.DataFrame(rows)


def distribution_change(before: pd.Series, after: pd.Series, points: list[int]) -> float:
    """Total variation distance between two rounds' rating distributions (0 to 1)."""
    a = before.dropna().to_numpy(dtype=float)
    b = after.dropna().to_numpy(dtype=float)
    if len(a) == 0 or len(b) == 0:
        return float("nan")
    pa = np.array([np.mean(a == p) for p in points])
    pb = np.array([np.mean(b == p) for p in points])
    return float(0.5 * np.abs(pa - pb).sum())


def paired_wilcoxon(before: pd.Series, after: pd.Series) -> tuple[int, float, float]:
    """(pairs, V, p) of the signed-rank test on panellists rated in both rounds.

    V is R's statistic for `wilcox.test(before, after, paired = TRUE)`: the sum of the
    ranks of the positive differences before - after. p is NaN when no pair differs.
    """
    paired = pd.concat([before, after], axis=1, join="inner").dropna()
    pairs = len(paired)
    diff = (paired.iloc[:, 0] - paired.iloc[:, 1]).to_numpy(dtype=float)
    diff = diff[diff != 0]
    if len(diff) == 0:
        return pairs, float("nan"), float("nan")
    ranks = stats.rankdata(np.abs(diff))
    v = float(ranks[diff > 0].sum())
    count = len(diff)
    mean = count * (count + 1) / 4
    _, tie_counts = np.unique(ranks, return_counts=True)
    variance = count * (count + 1) * (2 * count + 1) / 24 - np.sum(tie_counts**3 - tie_counts) / 48
    if variance <= 0:
        return pairs, v, float("nan")
    z = v - mean
    z = (z - np.sign(z) * 0.5) / np.sqrt(variance)
    return pairs, v, float(2 * stats.norm.sf(abs(z)))


def kendalls_w(ratings: pd.DataFrame) -> tuple[float, int, int]:
    """(W, raters, items) for a panellist x item table; incomplete panellists left out."""
    complete = ratings.dropna(axis=0, how="any")
    m, n = complete.shape
    if m < 2 or n < 2:
        return float("nan"), m, n
    ranks = np.apply_along_axis(stats.rankdata, 1, complete.to_numpy(dtype=float))
    rank_sums = ranks.sum(axis=0)
    s = float(((rank_sums - rank_sums.mean()) ** 2).sum())
    ties = 0.0
    for row in complete.to_numpy(dtype=float):
        _, counts = np.unique(row, return_counts=True)
        ties += float(np.sum(counts**3 - counts))
    denominator = m**2 * (n**3 - n) - m * ties
    if denominator <= 0:
        return float("nan"), m, n
    return 12 * s / denominator, m, n

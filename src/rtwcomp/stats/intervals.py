"""Confidence intervals: Wilson's score interval for a share, Feldt's for alpha."""

from __future__ import annotations

import numpy as np
from scipy import special

from rtwcomp.stats.arrays import FloatArray


def wilson_interval(
    successes: FloatArray, trials: FloatArray, level: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval for a binomial proportion, element-wise.

    The interval inverts the score test without continuity correction (Wilson 1927;
    Newcombe 1998, method 3): with p = x/n and z the 1 - (1-level)/2 normal quantile,

        (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n),

    with the lower limit 0 when p = 0 and the upper limit 1 when p = 1. These are the
    limits of R's `prop.test(x, n, correct = FALSE)`. Where n = 0 both limits are NaN.
    """
    x = np.asarray(successes, dtype=np.float64)
    n = np.asarray(trials, dtype=np.float64)
    z = float(special.ndtri(1.0 - (1.0 - level) / 2.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        z22n = z * z / (2.0 * n)
        half = z * np.sqrt(p * (1.0 - p) / n + z22n / (2.0 * n))
        low = np.where(p <= 0.0, 0.0, (p + z22n - half) / (1.0 + 2.0 * z22n))
        high = np.where(p >= 1.0, 1.0, (p + z22n + half) / (1.0 + 2.0 * z22n))
    empty = n <= 0
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def feldt_interval(
    alpha: float, n_respondents: int, n_items: int, level: float = 0.95
) -> tuple[float, float]:
    """Feldt's confidence interval for Cronbach's alpha.

    (1 - alpha) / (1 - population alpha) follows an F distribution with n - 1 and
    (n - 1)(k - 1) degrees of freedom (Feldt 1965; Feldt, Woodruff & Salih 1987), so the
    limits are 1 - (1 - alpha)·F(1 - a/2) and 1 - (1 - alpha)·F(a/2) with a = 1 - level;
    as in `psych::alpha.ci`. NaN when the interval is undefined (n < 2, k < 2, or alpha
    not finite).
    """
    if n_respondents < 2 or n_items < 2 or not np.isfinite(alpha):
        return float("nan"), float("nan")
    tail = (1.0 - level) / 2.0
    df1 = n_respondents - 1
    df2 = (n_respondents - 1) * (n_items - 1)
    low = 1.0 - (1.0 - alpha) * float(special.fdtri(df1, df2, 1.0 - tail))
    high = 1.0 - (1.0 - alpha) * float(special.fdtri(df1, df2, tail))
    return low, high

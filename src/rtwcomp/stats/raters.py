"""Agreement between raters: intraclass correlations and Krippendorff's alpha.

Used where several people rate the same coordinators on the same competencies (self,
mentor, supervisor, observer). ICCs follow Shrout & Fleiss (1979), "Intraclass
correlations: uses in assessing rater reliability", Psychological Bulletin 86:420-428, in
the six forms and with the F tests and confidence bounds `psych::ICC` reports (McGraw &
Wong 1996 for the bounds of ICC2). Krippendorff's alpha comes from the `krippendorff`
package (Castro), checked against the worked examples of Krippendorff (2011), "Computing
Krippendorff's Alpha-Reliability".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import krippendorff
import numpy as np
from scipy import stats as sps

from rtwcomp.stats.arrays import FloatMatrix

FORMS = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")
Level = Literal["nominal", "ordinal", "interval", "ratio"]


class RatingsError(ValueError):
    """Ratings that cannot give an agreement statistic, said in words for the user."""


@dataclass(frozen=True)
class Icc:
    """One form of the intraclass correlation with its F test and confidence bounds."""

    form: str
    icc: float
    f: float
    df1: int
    df2: int
    p: float
    lower: float
    upper: float


@dataclass(frozen=True)
class MeanSquares:
    """Two-way ANOVA of targets x raters: between targets (b), judges (j), error (e) and
    within targets (w = judges and error pooled, the one-way model's residual)."""

    b: np.float64
    j: np.float64
    e: np.float64
    w: np.float64
    n: int
    k: int


def mean_squares(ratings: FloatMatrix) -> MeanSquares:
    """Mean squares of a complete targets x raters matrix."""
    n, k = ratings.shape
    grand = ratings.mean()
    ss_b = k * np.float64(((ratings.mean(axis=1) - grand) ** 2).sum())
    ss_j = n * np.float64(((ratings.mean(axis=0) - grand) ** 2).sum())
    ss_e = max(np.float64(((ratings - grand) ** 2).sum()) - ss_b - ss_j, np.float64(0))
    df_e = (n - 1) * (k - 1)
    return MeanSquares(
        b=ss_b / (n - 1), j=ss_j / (k - 1), e=ss_e / df_e, w=(ss_j + ss_e) / (n * (k - 1)), n=n, k=k
    )


def icc(ratings: FloatMatrix, alpha: float = 0.05) -> list[Icc]:
    """The six Shrout-Fleiss ICCs of a targets x raters matrix, as `psych::ICC(lmer=FALSE)`.

    ICC1: one-way random (each target rated by different raters); ICC2: two-way random,
    absolute agreement; ICC3: two-way mixed, consistency; the k forms are the reliability
    of the mean of the k raters. Targets with a missing rating are left out, as psych does
    without lme4; fewer than two complete targets or two raters is an error. Raters who
    agree exactly leave no error variance: F is infinite and the bounds are their limit, 1
    (psych, computing with rounding error, reports F near 1e31 and bounds of 1).
    """
    complete = ratings[~np.isnan(ratings).any(axis=1)]
    n, k = complete.shape
    if n < 2 or k < 2:
        raise RatingsError(
            f"an ICC needs at least two targets rated by every rater and two raters; "
            f"got {n} complete targets and {k} raters"
        )
    ms = mean_squares(complete)
    with np.errstate(divide="ignore", invalid="ignore"):
        found = _one_way(ms, alpha) + _two_way(ms, alpha)
    return [_as_floats(row) for row in found]


def _as_floats(row: Icc) -> Icc:
    """Plain floats; bounds at their limit 1 when F is infinite (no error variance)."""
    exact = math.isinf(row.f)
    return Icc(
        row.form,
        float(row.icc),
        float(row.f),
        row.df1,
        row.df2,
        float(row.p),
        1.0 if exact else float(row.lower),
        1.0 if exact else float(row.upper),
    )


def _one_way(ms: MeanSquares, alpha: float) -> list[Icc]:
    n, k = ms.n, ms.k
    f = ms.b / ms.w
    df1, df2 = n - 1, n * (k - 1)
    p = float(sps.f.sf(f, df1, df2))
    f_low = f / sps.f.ppf(1 - alpha / 2, df1, df2)
    f_up = f * sps.f.ppf(1 - alpha / 2, df2, df1)
    single = Icc(
        "ICC1",
        (ms.b - ms.w) / (ms.b + (k - 1) * ms.w),
        f,
        df1,
        df2,
        p,
        (f_low - 1) / (f_low + k - 1),
        (f_up - 1) / (f_up + k - 1),
    )
    average = Icc("ICC1k", (ms.b - ms.w) / ms.b, f, df1, df2, p, 1 - 1 / f_low, 1 - 1 / f_up)
    return [single, average]


def _two_way(ms: MeanSquares, alpha: float) -> list[Icc]:
    n, k = ms.n, ms.k
    f = ms.b / ms.e
    df1, df2 = n - 1, (n - 1) * (k - 1)
    p = float(sps.f.sf(f, df1, df2))
    icc2 = (ms.b - ms.e) / (ms.b + (k - 1) * ms.e + k * (ms.j - ms.e) / n)
    low2, up2 = _icc2_bounds(ms, icc2, alpha)
    f_low = f / sps.f.ppf(1 - alpha / 2, df1, df2)
    f_up = f * sps.f.ppf(1 - alpha / 2, df2, df1)
    return [
        Icc("ICC2", icc2, f, df1, df2, p, low2, up2),
        Icc(
            "ICC3",
            (ms.b - ms.e) / (ms.b + (k - 1) * ms.e),
            f,
            df1,
            df2,
            p,
            (f_low - 1) / (f_low + k - 1),
            (f_up - 1) / (f_up + k - 1),
        ),
        Icc(
            "ICC2k",
            (ms.b - ms.e) / (ms.b + (ms.j - ms.e) / n),
            f,
            df1,
            df2,
            p,
            low2 * k / (1 + low2 * (k - 1)),
            up2 * k / (1 + up2 * (k - 1)),
        ),
        Icc("ICC3k", (ms.b - ms.e) / ms.b, f, df1, df2, p, 1 - 1 / f_low, 1 - 1 / f_up),
    ]


def _icc2_bounds(ms: MeanSquares, icc2: float, alpha: float) -> tuple[float, float]:
    """Satterthwaite-approximated bounds of ICC2 (McGraw & Wong 1996, case 2A)."""
    n, k = ms.n, ms.k
    fj = ms.j / ms.e
    spread = n * (1 + (k - 1) * icc2) - k * icc2
    v = (k - 1) * (n - 1) * (k * icc2 * fj + spread) ** 2
    v /= (n - 1) * k**2 * icc2**2 * fj**2 + spread**2
    f_up = sps.f.ppf(1 - alpha / 2, n - 1, v)
    f_low = sps.f.ppf(1 - alpha / 2, v, n - 1)
    pooled = k * ms.j + (k * n - k - n) * ms.e
    lower = n * (ms.b - f_up * ms.e) / (f_up * pooled + n * ms.b)
    upper = n * (f_low * ms.b - ms.e) / (pooled + n * f_low * ms.b)
    return float(lower), float(upper)


def krippendorff_alpha(ratings: FloatMatrix, level: Level) -> float:
    """Krippendorff's alpha of a raters x units matrix (NaN: not rated by that rater).

    Units rated by fewer than two raters carry no information and are ignored, as in
    Krippendorff's definition; fewer than two pairable values in all is an error.
    """
    pairable = (~np.isnan(ratings)).sum(axis=0) >= 2
    if (
        pairable.sum() == 0
        or len(np.unique(ratings[:, pairable][~np.isnan(ratings[:, pairable])])) < 2
    ):
        raise RatingsError(
            "Krippendorff's alpha needs units rated by two raters or more and at least two "
            "different values among them"
        )
    return float(krippendorff.alpha(reliability_data=ratings, level_of_measurement=level))

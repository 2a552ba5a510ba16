"""Do subgroups of respondents (countries, professions) rate items differently?

Two levels: the Mann-Whitney (Wilcoxon rank-sum) test with the normal approximation,
tie correction and continuity correction, as R's `wilcox.test(exact = FALSE,
correct = TRUE)`; effect size the rank-biserial correlation. More levels: the
Kruskal-Wallis test with tie correction, as R's `kruskal.test`; effect size ε². p values
are adjusted for multiple testing within each attribute by Benjamini & Hochberg (1995).
A test with a level of fewer than `min_level_n` answers is suppressed: no statistic or p
value is given, because the approximations are poor and small cells can identify people.

Both tests need only each level's size and rank sum and the sizes of the tie blocks.
Those come from the frequency of each distinct value per level (midrank of a value =
number of smaller values + (its count + 1) / 2), so no sorting is needed for answers on
a rating scale.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from rtwcomp.stats.arrays import FloatVector, IntVector


@dataclass(frozen=True)
class RankSums:
    """Sizes and rank sums of k samples pooled and ranked together, with Σ(t³ - t)."""

    sizes: FloatVector
    sums: FloatVector
    ties: float

    @property
    def n(self) -> float:
        return float(self.sizes.sum())


@dataclass(frozen=True)
class RankTest:
    """Result of one rank test: name, statistic, p value and effect size."""

    test: str
    statistic: float
    p: float
    effect_name: str
    effect: float


def rank_sums(values: FloatVector, levels: IntVector, n_levels: int) -> RankSums:
    """Mid-rank sums of `values` by level code (0..n_levels-1); no missing values allowed."""
    whole = values == np.round(values)
    if values.size and whole.all() and values.max() - values.min() < 10_000:
        inverse = (values - values.min()).astype(np.int64)
        counts: FloatVector = np.bincount(inverse).astype(np.float64)
    else:
        _, inverse, raw_counts = np.unique(values, return_inverse=True, return_counts=True)
        counts = raw_counts.astype(np.float64)
    midrank = np.cumsum(counts) - (counts - 1.0) / 2.0
    sums: FloatVector = np.bincount(levels, midrank[inverse], n_levels).astype(np.float64)
    sizes: FloatVector = np.bincount(levels, minlength=n_levels).astype(np.float64)
    return RankSums(sizes, sums, float(np.sum(counts**3 - counts)))


def mann_whitney_from(ranks: RankSums) -> RankTest:
    """Mann-Whitney test of two samples from their rank sums; W belongs to the first.

    W = R₁ - n₁(n₁+1)/2. z = (W - n₁n₂/2 - ½·sign) / σ with σ² = n₁n₂/12 · (n + 1 -
    Σ(t³-t)/(n(n-1))), two-sided p = 2·min(Φ(z), 1 - Φ(z)) (Hollander & Wolfe 1973; R's
    wilcox.test). Rank-biserial r = 2W/(n₁n₂) - 1 (Cureton 1956; Kerby 2014): positive
    when the first sample tends to be higher, in [-1, 1]. p is NaN when all values tie.
    """
    n1, n2 = float(ranks.sizes[0]), float(ranks.sizes[1])
    n = n1 + n2
    w = float(ranks.sums[0]) - n1 * (n1 + 1.0) / 2.0
    centre = w - n1 * n2 / 2.0
    variance = n1 * n2 / 12.0 * ((n + 1.0) - ranks.ties / (n * (n - 1.0)))
    p = float("nan")
    if variance > 0:
        z = (centre - 0.5 * np.sign(centre)) / np.sqrt(variance)
        p = float(2.0 * min(special.ndtr(z), special.ndtr(-z)))
    return RankTest("Mann-Whitney", w, p, "rank_biserial", 2.0 * w / (n1 * n2) - 1.0)


def kruskal_wallis_from(ranks: RankSums) -> RankTest:
    """Kruskal-Wallis test of k samples from their rank sums.

    H = [12/(n(n+1)) Σ R_g²/n_g - 3(n+1)] / [1 - Σ(t³-t)/(n³-n)], p from the χ²
    distribution with k - 1 degrees of freedom (Kruskal & Wallis 1952; R's
    kruskal.test). ε² = H / ((n² - 1)/(n + 1)) = H/(n - 1) (Tomczak & Tomczak 2014), in
    [0, 1]. H and p are NaN when all values tie.
    """
    n = ranks.n
    correction = 1.0 - ranks.ties / (n**3 - n)
    if correction <= 0:
        return RankTest("Kruskal-Wallis", np.nan, np.nan, "epsilon_squared", np.nan)
    between = float(np.sum(ranks.sums**2 / ranks.sizes))
    h = (12.0 * between / (n * (n + 1.0)) - 3.0 * (n + 1.0)) / correction
    p = float(special.chdtrc(len(ranks.sizes) - 1, h))
    return RankTest("Kruskal-Wallis", h, p, "epsilon_squared", h / (n - 1.0))


def _pooled(samples: list[FloatVector]) -> RankSums:
    values = np.concatenate(samples)
    levels = np.repeat(np.arange(len(samples)), [len(s) for s in samples])
    return rank_sums(values, levels, len(samples))


def mann_whitney(first: FloatVector, second: FloatVector) -> RankTest:
    """Mann-Whitney test of two samples (see `mann_whitney_from`)."""
    return mann_whitney_from(_pooled([first, second]))


def kruskal_wallis(samples: list[FloatVector]) -> RankTest:
    """Kruskal-Wallis test of two or more samples (see `kruskal_wallis_from`)."""
    return kruskal_wallis_from(_pooled(samples))


def benjamini_hochberg(p: FloatVector) -> FloatVector:
    """Benjamini-Hochberg adjusted p values, as R's p.adjust(method = "BH").

    For the m finite p values sorted decreasingly, q_(i) = min over j ≥ i of
    min(1, m/j · p_(j)), i.e. a running minimum from the largest p down. NaN stays NaN.
    """
    result = np.full(len(p), np.nan)
    finite = np.flatnonzero(np.isfinite(p))
    m = len(finite)
    if m:
        order = finite[np.argsort(-p[finite], kind="stable")]
        ranks = np.arange(m, 0, -1, dtype=np.float64)
        result[order] = np.minimum(1.0, np.minimum.accumulate(m / ranks * p[order]))
    return result


# A plain decimal number: what `float` accepts minus underscores ("5_17"), exponents,
# "inf", "nan" and surrounding blanks, none of which R's sort would read as a number.
PLAIN_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def is_plain_decimal(text: str) -> bool:
    """'18', '-2.5', '.5': yes; '5_17', '1e3', 'inf', ' 7': no."""
    return PLAIN_DECIMAL.fullmatch(text) is not None


def level_order(levels: pd.Series | Sequence[object]) -> list[str]:
    """Distinct levels, numerically sorted when every level is a plain decimal number,
    else by code point (as R sorts a factor's levels in the C locale).

    The first level is the one the rank-biserial effect is signed by, so "5_17" must not
    be read as the number 517 (Python's float accepts underscores, R does not).

    >>> level_order(pd.Series(["10", "9", "9.5"]))
    ['9', '9.5', '10']
    >>> level_order(pd.Series(["5_17", "18_30"]))
    ['18_30', '5_17']
    """
    distinct = sorted({str(v) for v in pd.Series(list(levels)).dropna()})
    if distinct and all(is_plain_decimal(v) for v in distinct):
        return sorted(distinct, key=float)
    return distinct


def compare_levels(
    values: FloatVector, codes: IntVector, n_levels: int, min_level_n: int
) -> tuple[list[int], RankTest | None]:
    """Each level's number of answers, and the test (None when suppressed).

    `codes` gives each respondent's level (-1 = unknown); respondents without a value or
    a level are left out.
    """
    keep = ~np.isnan(values) & (codes >= 0)
    ranks = rank_sums(values[keep], codes[keep], n_levels)
    sizes = [int(s) for s in ranks.sizes]
    if n_levels < 2 or min(sizes) < min_level_n:
        return sizes, None
    test = mann_whitney_from(ranks) if n_levels == 2 else kruskal_wallis_from(ranks)
    return sizes, test


COLUMNS = [
    "variable",
    "target",
    "kind",
    "levels",
    "n",
    "test",
    "statistic",
    "p",
    "q",
    "effect_size",
    "effect",
    "suppressed",
]


def subgroup_tests(
    targets: dict[tuple[str, str], FloatVector],
    attributes: pd.DataFrame,
    min_level_n: int,
) -> pd.DataFrame:
    """Test every target (an item's scores or a group's mean scores) across every attribute.

    `targets` maps (kind, name) to one value per respondent (NaN = none); `attributes`
    holds one text column per attribute (None = unknown). Returns one row per attribute
    and target, with q (Benjamini-Hochberg within the attribute).
    """
    rows: list[dict[str, object]] = []
    for variable in attributes.columns:
        levels = attributes[variable]
        order = level_order(levels)
        position = {level: k for k, level in enumerate(order)}
        codes = np.array(
            [-1 if v is None or v != v else position[str(v)] for v in levels.tolist()],
            dtype=np.int64,
        )
        two = len(order) == 2
        block: list[dict[str, object]] = []
        p_values: list[float] = []
        for (kind, name), values in targets.items():
            sizes, result = compare_levels(values, codes, len(order), min_level_n)
            block.append(
                {
                    "variable": str(variable),
                    "target": name,
                    "kind": kind,
                    "levels": "; ".join(f"{lv}: {n}" for lv, n in zip(order, sizes, strict=True)),
                    "n": sum(sizes),
                    "test": "Mann-Whitney" if two else "Kruskal-Wallis",
                    "statistic": result.statistic if result else np.nan,
                    "p": result.p if result else np.nan,
                    "effect_size": "rank_biserial" if two else "epsilon_squared",
                    "effect": result.effect if result else np.nan,
                    "suppressed": result is None,
                }
            )
            p_values.append(result.p if result else np.nan)
        for row, q in zip(block, benjamini_hochberg(np.array(p_values)), strict=True):
            row["q"] = float(q)
        rows.extend(block)
    return pd.DataFrame(rows, columns=COLUMNS)

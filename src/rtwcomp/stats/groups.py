"""Statistics of each item group: respondents' mean scores and reliability."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rtwcomp.stats import minimum
from rtwcomp.stats.arrays import BoolVector, FloatMatrix, FloatVector
from rtwcomp.stats.correlations import pairwise_moments
from rtwcomp.stats.inputs import ItemTable
from rtwcomp.stats.intervals import feldt_interval
from rtwcomp.stats.reliability import Alpha, cronbach_alpha, item_rest, omega_total


@dataclass(frozen=True)
class GroupResults:
    """The group table, per-item item-rest figures, and each respondent's group scores."""

    table: pd.DataFrame
    item_rest_r: FloatVector
    alpha_if_deleted: FloatVector
    scores: dict[str, FloatVector]
    warnings: list[str]
    omitted: list[minimum.Omission]


def respondent_means(scores: FloatMatrix) -> FloatVector:
    """Mean of each respondent's answered items; NaN for a respondent who answered none."""
    observed = ~np.isnan(scores)
    count = observed.sum(axis=1)
    total = np.where(observed, scores, 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        result: FloatVector = np.where(count > 0, total / count, np.nan)
    return result


def group_statistics(
    table: ItemTable, scores: FloatMatrix, usable: BoolVector, minimums: bool = True
) -> GroupResults:
    """One row per group, using only `usable` items (answered, with some variance).

    n: respondents who answered at least one of the group's items; mean and sd of their
    mean scores over the items they answered (psych::alpha's total$mean and total$sd);
    alpha, alpha_std, mean_r from pairwise covariances (psych::alpha); alpha_low and
    alpha_high, Feldt's 95% interval with n respondents and n_items items; omega_total
    from a one-factor minres solution of the pairwise correlations (psych::omega).
    Reliability below `minimum.ALPHA` (alpha, its interval, item-rest figures) and omega
    below `minimum.OMEGA` are left out (NaN) and listed in `omitted`, unless `minimums` is
    False; the undefined cases (fewer than 2 or 3 items) are NaN either way.
    """
    rows = []
    warnings: list[str] = []
    omitted: list[minimum.Omission] = []
    r_drop = np.full(len(table.ids), np.nan)
    alpha_drop = np.full(len(table.ids), np.nan)
    group_scores: dict[str, FloatVector] = {}
    for group in table.group_names:
        members = [i for i in table.members(group) if usable[i]]
        moments = pairwise_moments(scores[:, members])
        means = respondent_means(scores[:, members])
        group_scores[group] = means
        answered = means[~np.isnan(means)]
        n = len(answered)
        covariance = moments.covariance
        scope = f"group '{group}'"
        alpha_gap = minimum.check(minimum.ALPHA, scope, n, len(members)) if minimums else None
        omega_gap = minimum.check(minimum.OMEGA, scope, n, len(members)) if minimums else None
        omitted.extend(gap for gap in (alpha_gap, omega_gap) if gap is not None)
        alpha = Alpha(np.nan, np.nan, np.nan)
        low = high = omega = np.nan
        if alpha_gap is None:
            alpha = cronbach_alpha(covariance)
            r_drop[members], alpha_drop[members] = item_rest(covariance)
            low, high = feldt_interval(alpha.raw, n, len(members))
        if omega_gap is None:
            omega = omega_total(moments.correlation)
        if not minimums and len(members) < 2:  # else listed in `omitted`
            warnings.append(f"group '{group}' has fewer than two usable items: no reliability")
        elif not minimums and len(members) == 2:
            warnings.append(f"group '{group}' has two usable items: no omega")
        elif alpha_gap is None and not np.isfinite(covariance).all():
            warnings.append(
                f"group '{group}': some item pairs have fewer than two common respondents, "
                "so its reliability is not given"
            )
        rows.append(
            {
                "group": group,
                "n_items": len(members),
                "n": n,
                "mean": float(answered.mean()) if n else np.nan,
                "sd": float(answered.std(ddof=1)) if n > 1 else np.nan,
                "alpha": alpha.raw,
                "alpha_std": alpha.standardised,
                "alpha_low": low,
                "alpha_high": high,
                "omega_total": omega,
                "mean_r": alpha.mean_r,
            }
        )
    return GroupResults(pd.DataFrame(rows), r_drop, alpha_drop, group_scores, warnings, omitted)

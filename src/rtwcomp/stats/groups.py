"""Statistics of each item group: respondents' mean scores and reliability."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rtwcomp.stats.arrays import BoolVector, FloatMatrix, FloatVector
from rtwcomp.stats.correlations import pairwise_moments
from rtwcomp.stats.inputs import ItemTable
from rtwcomp.stats.intervals import feldt_interval
from rtwcomp.stats.reliability import cronbach_alpha, item_rest, omega_total


@dataclass(frozen=True)
class GroupResults:
    """The group table, per-item item-rest figures, and each respondent's group scores."""

    table: pd.DataFrame
    item_rest_r: FloatVector
    alpha_if_deleted: FloatVector
    scores: dict[str, FloatVector]
    warnings: list[str]


def respondent_means(scores: FloatMatrix) -> FloatVector:
    """Mean of each respondent's answered items; NaN for a respondent who answered none."""
    observed = ~np.isnan(scores)
    count = observed.sum(axis=1)
    total = np.where(observed, scores, 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        result: FloatVector = np.where(count > 0, total / count, np.nan)
    return result


def group_statistics(table: ItemTable, scores: FloatMatrix, usable: BoolVector) -> GroupResults:
    """One row per group, using only `usable` items (answered, with some variance).

    n: respondents who answered at least one of the group's items; mean and sd of their
    mean scores over the items they answered (psych::alpha's total$mean and total$sd);
    alpha, alpha_std, mean_r from pairwise covariances (psych::alpha); alpha_low and
    alpha_high, Feldt's 95% interval with n respondents and n_items items; omega_total
    from a one-factor minres solution of the pairwise correlations (psych::omega).
    """
    rows = []
    warnings: list[str] = []
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
        alpha = cronbach_alpha(covariance)
        drop_r, drop_alpha = item_rest(covariance)
        r_drop[members] = drop_r
        alpha_drop[members] = drop_alpha
        low, high = feldt_interval(alpha.raw, n, len(members))
        omega = omega_total(moments.correlation)
        if len(members) < 2:
            warnings.append(f"group '{group}' has fewer than two usable items: no reliability")
        elif not np.isfinite(covariance).all():
            warnings.append(
                f"group '{group}': some item pairs have fewer than two common respondents, "
                "so its reliability is not given"
            )
        elif len(members) == 2:
            warnings.append(f"group '{group}' has two usable items: no omega")
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
    return GroupResults(pd.DataFrame(rows), r_drop, alpha_drop, group_scores, warnings)

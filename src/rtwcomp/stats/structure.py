"""How well the factors reproduce the item groups: Tucker's congruence coefficient."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from rtwcomp.stats.arrays import FloatMatrix, FloatVector


def tucker_congruence(x: FloatMatrix, y: FloatMatrix) -> FloatMatrix:
    """Congruence of every column of x with every column of y.

    φ(a, b) = Σ a_i b_i / sqrt(Σ a_i² · Σ b_i²) (Tucker 1951; Lorenzo-Seva & ten Berge
    2006): 1 for proportional columns, -1 for opposite ones, 0 for orthogonal ones;
    values of 0.95 or more mean the factors can be taken as equal. NaN for a zero column.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        norms = np.outer(np.sqrt((x * x).sum(axis=0)), np.sqrt((y * y).sum(axis=0)))
        result: FloatMatrix = (x.T @ y) / norms
    return result


def group_indicators(item_groups: Sequence[str], groups: Sequence[str]) -> FloatMatrix:
    """items x groups matrix with 1 where the item belongs to the group."""
    return np.array([[1.0 if g == name else 0.0 for name in groups] for g in item_groups])


def factor_structure(
    loadings: FloatMatrix,
    ss_loadings: FloatVector,
    item_groups: Sequence[str],
    factor_names: Sequence[str],
) -> pd.DataFrame:
    """Each factor's best-matching item group.

    The congruence compares the factor's loadings with the group's indicator vector (1
    for the group's items, 0 elsewhere): the target a factor would match if it measured
    exactly that group. Also counts the items whose largest absolute loading is on the
    factor ("primary" items) and how many of those belong to the matched group.
    """
    groups = list(dict.fromkeys(item_groups))
    membership = group_indicators(item_groups, groups)
    congruence = tucker_congruence(loadings, membership)
    primary = np.argmax(np.abs(loadings), axis=1)
    rows = []
    for f, name in enumerate(factor_names):
        order = np.argsort(-congruence[f], kind="stable")
        best = int(order[0])
        second = int(order[1]) if len(order) > 1 else None
        in_factor = primary == f
        rows.append(
            {
                "factor": name,
                "ss_loadings": float(ss_loadings[f]),
                "group": groups[best],
                "congruence": float(congruence[f, best]),
                "second_group": groups[second] if second is not None else None,
                "second_congruence": float(congruence[f, second]) if second is not None else np.nan,
                "n_primary_items": int(in_factor.sum()),
                "n_primary_in_group": int((in_factor & (membership[:, best] > 0)).sum()),
            }
        )
    return pd.DataFrame(rows)

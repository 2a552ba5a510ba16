"""The study's headline findings, computed for a batch of simulated studies at once.

Key items by the study's rule (answers 4 or 5 from more than half of those answering),
group mean scores compared across countries (Kruskal-Wallis, BH over the groups), and
nurses against everyone else on the groups and on the medical-knowledge items' mean
(Mann-Whitney, BH over those targets): the same rule and tests as `rtwcomp analyze`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rtwcomp.simulation.batch_tests import bh_rows, kruskal_wallis_rows, mann_whitney_rows

MEDICAL_SCALE = "medical knowledge"


@dataclass(frozen=True)
class Findings:
    key_items: np.ndarray  # per study
    country_group_min_q: np.ndarray
    nurse_medical_q: np.ndarray

    def nurse_detected(self, alpha: float = 0.05) -> np.ndarray:
        return self.nurse_medical_q < alpha


def share_top(scores: np.ndarray, top: int = 4) -> np.ndarray:
    """Studies x items share of answers >= top among those answering."""
    answered = ~np.isnan(scores)
    with np.errstate(invalid="ignore"):
        return (scores >= top).sum(axis=-2) / answered.sum(axis=-2)


def scale_means(scores: np.ndarray, members: list[np.ndarray]) -> np.ndarray:
    """Studies x respondents x scales: each respondent's mean over the scale's items."""
    out = np.full((*scores.shape[:2], len(members)), np.nan)
    for k, columns in enumerate(members):
        answered = ~np.isnan(scores[:, :, columns])
        total = np.nansum(scores[:, :, columns], axis=-1)
        count = answered.sum(axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, :, k] = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return out


def group_members(group_index: np.ndarray) -> list[np.ndarray]:
    return [np.flatnonzero(group_index == g) for g in range(int(group_index.max()) + 1)]


def nurse_q(
    scores: np.ndarray, groups: list[np.ndarray], medical: np.ndarray, nurse: np.ndarray
) -> np.ndarray:
    """Studies x (groups + medical scale) BH q of nurses against the rest."""
    targets = [*groups, np.flatnonzero(medical)] if medical.any() else list(groups)
    means = scale_means(scores, targets)
    p = np.stack([mann_whitney_rows(means[:, :, k], nurse) for k in range(len(targets))], -1)
    return bh_rows(p)


def country_q(
    scores: np.ndarray, groups: list[np.ndarray], country: np.ndarray, n_countries: int
) -> np.ndarray:
    """Studies x groups BH q of group mean scores across countries."""
    means = scale_means(scores, groups)
    p = np.stack(
        [kruskal_wallis_rows(means[:, :, k], country, n_countries) for k in range(len(groups))], -1
    )
    return bh_rows(p)


def study_findings(
    scores: np.ndarray,
    group_index: np.ndarray,
    medical: np.ndarray,
    country: np.ndarray,
    n_countries: int,
    nurse: np.ndarray,
    key_share: float = 0.5,
) -> Findings:
    groups = group_members(group_index)
    keys = (share_top(scores) > key_share).sum(axis=-1)
    by_country = country_q(scores, groups, country, n_countries)
    by_nurse = nurse_q(scores, groups, medical, nurse)
    medical_q = by_nurse[:, -1] if medical.any() else np.full(len(keys), np.nan)
    return Findings(keys, by_country.min(axis=-1), medical_q)

"""Importance ratings from a graded response model with correlated group factors.

Samejima's graded response model in its normal-ogive form: a respondent with latent
importance θ answers item i at category k or above with probability Φ(a_i(θ - b_ik)).
Each respondent has one θ per item group, the groups' θ correlated (ρ between any two).
Drawing y* = a_i θ + z with z ~ N(0, 1) and counting the thresholds a_i b_ik below y*
gives exactly those probabilities with one normal draw per answer.

Calibration: with θ ~ N(0, 1) the population share of answers 4 or 5 is
Φ(-a b_i3 / sqrt(1 + a²)) =: Φ(c_i). The c_i are set on an even quantile grid of
N(μ, σ²) with Φ(μ/σ) = the design's key share, so that share of items lies above one half
in every simulated study rather than only on average; which item gets which c_i follows
its content (group, the study's top five, technical and medical wording) plus noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from rtwcomp.simulation.bank import BankItem
from rtwcomp.simulation.design import StudyDesign

# Where each group's items sit, before noise: the study rated personal attributes,
# credibility and communication highest, technical and medical knowledge lower.
GROUP_IMPORTANCE = {
    "professional credibility": 0.8,
    "individual personal attributes": 0.6,
    "communication": 0.6,
    "conflict management": 0.2,
    "problem-solving": 0.2,
    "evaluation": -0.1,
    "administration": -0.3,
    "information gathering": -0.3,
}
# Thresholds of categories 2, 3, 4 and 5 relative to that of category 4, in θ units.
THRESHOLD_STEPS = np.array([-2.2, -1.2, 0.0, 1.1])
CONTENT_NOISE = 0.7


@dataclass(frozen=True)
class ItemModel:
    """The surveyed items' parameters: group index, slope a, thresholds b (items x 4)."""

    codes: list[str]
    groups: list[str]
    group_index: np.ndarray
    slopes: np.ndarray
    thresholds: np.ndarray
    medical: np.ndarray
    importance: np.ndarray  # c_i: probit of the population share of answers 4-5

    @property
    def group_names(self) -> list[str]:
        return list(dict.fromkeys(self.groups))

    def population_key(self) -> np.ndarray:
        """Which items are key in the population (share of 4-5 above one half)."""
        return self.importance > 0


def importance_grid(n_items: int, design: StudyDesign) -> np.ndarray:
    """c values at even quantiles of N(μ, σ²), ascending, with Φ(μ/σ) = key share."""
    sigma = design.importance_spread
    mu = sigma * special.ndtri(design.key_share)
    return mu + sigma * special.ndtri((np.arange(n_items) + 0.5) / n_items)


def content_score(item: BankItem) -> float:
    score = GROUP_IMPORTANCE.get(item.group, 0.0)
    return score + 1.5 * item.top - 0.8 * item.technical - 0.5 * item.medical


def item_model(items: list[BankItem], design: StudyDesign, rng: np.random.Generator) -> ItemModel:
    n = len(items)
    score = np.array([content_score(i) for i in items]) + rng.normal(0, CONTENT_NOISE, n)
    importance = np.empty(n)
    importance[np.argsort(score, kind="stable")] = importance_grid(n, design)
    low, high = design.discrimination
    slopes = rng.uniform(low, high, n)
    b4 = -importance * np.sqrt(1 + slopes**2) / slopes
    groups = [i.group for i in items]
    names = list(dict.fromkeys(groups))
    return ItemModel(
        codes=[i.code for i in items],
        groups=groups,
        group_index=np.array([names.index(g) for g in groups]),
        slopes=slopes,
        thresholds=b4[:, None] + THRESHOLD_STEPS[None, :],
        medical=np.array([i.medical for i in items]),
        importance=importance,
    )


def group_factors(
    n_studies: int, n_respondents: int, n_groups: int, rho: float, rng: np.random.Generator
) -> np.ndarray:
    """θ (studies x respondents x groups), N(0, 1) each, correlation rho between groups."""
    common = rng.standard_normal((n_studies, n_respondents, 1))
    own = rng.standard_normal((n_studies, n_respondents, n_groups))
    return np.sqrt(rho) * common + np.sqrt(1 - rho) * own


def answers(
    model: ItemModel,
    theta: np.ndarray,
    shift: np.ndarray,
    missing: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Answers 1-5 (studies x respondents x items, NaN missing).

    `theta` is studies x respondents x groups; `shift` (studies x respondents x items)
    is added to each answer's latent importance (subgroup effects).
    """
    latent = theta[:, :, model.group_index] + shift
    y = model.slopes * latent + rng.standard_normal(latent.shape)
    cut = model.slopes[:, None] * model.thresholds  # items x 4
    scores = 1.0 + (y[..., None] > cut).sum(axis=-1)
    if missing > 0:
        scores[rng.random(scores.shape) < missing] = np.nan
    return scores

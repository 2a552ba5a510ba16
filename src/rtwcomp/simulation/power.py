"""Sample-size planning by simulation, vectorised over the simulated studies.

Three questions a researcher planning a study asks, each answered from many simulated
studies of the design rather than a formula, because the answers depend on the items'
spread of importance, the correlated groups and missing answers:

- respondents: how wide is the 95 % Wilson interval of an item's share of answers 4-5,
  and how often does an item's key status in the sample differ from the population's?
- subgroups: how often is a difference of a given size (in SD of the latent importance)
  on one group's items found with Benjamini-Hochberg q below alpha, over all groups?
- focus groups: what share of the item bank has been said at least once after k groups?
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rtwcomp.simulation.batch_tests import bh_rows, mann_whitney_rows
from rtwcomp.simulation.design import StudyDesign
from rtwcomp.simulation.findings import group_members, scale_means, share_top
from rtwcomp.simulation.focus_groups import citation_weights
from rtwcomp.simulation.ratings import ItemModel, answers, group_factors
from rtwcomp.stats.intervals import wilson_interval

CHUNK = 100  # studies drawn at once: bounds memory to about 100 x 148 x 100 x 8 bytes x 4


@dataclass(frozen=True)
class PowerQuestion:
    sizes: tuple[int, ...] = (50, 75, 100, 148, 200, 300)
    studies: int = 1000
    effect: float = 0.5  # subgroup shift on one group's items, latent SD
    subgroup_share: float = 0.25
    alpha: float = 0.05
    half_width: float = 0.10  # target mean interval half-width
    flip: float = 0.05  # target chance an item's key status flips
    max_groups: int = 16
    saturation: float = 0.90


def _one_size(
    design: StudyDesign, model: ItemModel, question: PowerQuestion, n: int, rng: np.random.Generator
) -> dict[str, float]:
    """Mean half-width, flip chance and subgroup power at n respondents."""
    truth = model.population_key()
    groups = group_members(model.group_index)
    target = model.group_index == 0
    widths, flips, found = [], [], []
    left = question.studies
    while left > 0:
        size = min(CHUNK, left)
        left -= size
        theta = group_factors(size, n, len(groups), design.group_correlation, rng)
        member = rng.random((size, n)) < question.subgroup_share
        shift = question.effect * member[..., None] * target[None, None, :]
        scores = answers(model, theta, shift, design.missing, rng)
        answered = (~np.isnan(scores)).sum(axis=1)
        share = share_top(scores)
        low, high = wilson_interval(share * answered, answered)
        widths.append(np.nanmean((high - low) / 2, axis=1))
        flips.append(((share > 0.5) != truth).mean(axis=1))
        means = scale_means(scores, groups)
        p = np.stack([mann_whitney_rows(means[:, :, k], member) for k in range(len(groups))], -1)
        found.append(bh_rows(p)[:, 0] < question.alpha)
    return {
        "respondents": n,
        "half_width": float(np.concatenate(widths).mean()),
        "flip": float(np.concatenate(flips).mean()),
        "subgroup_power": float(np.concatenate(found).mean()),
    }


def respondents_table(
    design: StudyDesign, model: ItemModel, question: PowerQuestion, rng: np.random.Generator
) -> pd.DataFrame:
    """One row per sample size: half_width, flip, subgroup_power."""
    rows = [_one_size(design, model, question, n, rng) for n in question.sizes]
    return pd.DataFrame(rows)


def saturation_curve(
    design: StudyDesign, bank_size: int, question: PowerQuestion, rng: np.random.Generator
) -> pd.DataFrame:
    """Share of the bank said at least once after 1..max_groups focus groups (mean and
    the 5th and 95th percentiles over the simulated studies)."""
    per_group = design.statements / design.focus_groups
    seen = np.zeros((question.studies, bank_size), dtype=bool)
    weights = np.stack(
        [citation_weights(bank_size, design.citation_skew, rng) for _ in range(question.studies)]
    )
    rows = []
    for k in range(1, question.max_groups + 1):
        seen |= rng.poisson(per_group * weights) > 0
        share = seen.mean(axis=1)
        rows.append(
            {
                "focus_groups": k,
                "share_said": float(share.mean()),
                "low": float(np.quantile(share, 0.05)),
                "high": float(np.quantile(share, 0.95)),
            }
        )
    return pd.DataFrame(rows)


def first_meeting(values: Sequence[float], keys: Sequence[int], ok: Sequence[bool]) -> int | None:
    """The first key whose value meets the target, or None."""
    for key, good in zip(keys, ok, strict=True):
        if good:
            return int(key)
    return None


def answers_needed(
    table: pd.DataFrame, curve: pd.DataFrame, question: PowerQuestion
) -> dict[str, int | None]:
    """The smallest simulated size meeting each target (None: none of them does)."""
    sizes = table["respondents"].tolist()
    return {
        "respondents_for_half_width": first_meeting(
            table["half_width"], sizes, (table["half_width"] <= question.half_width).tolist()
        ),
        "respondents_for_flip": first_meeting(
            table["flip"], sizes, (table["flip"] <= question.flip).tolist()
        ),
        "respondents_for_subgroup": first_meeting(
            table["subgroup_power"], sizes, (table["subgroup_power"] >= 0.8).tolist()
        ),
        "focus_groups_for_saturation": first_meeting(
            curve["share_said"],
            curve["focus_groups"].tolist(),
            (curve["share_said"] >= question.saturation).tolist(),
        ),
    }

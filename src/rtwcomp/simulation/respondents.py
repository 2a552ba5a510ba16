"""Simulated survey respondents: who they are, and the subgroup effects on their ratings.

The study found no differences in group mean ratings by country, employer, profession or
client type, and nurses rating medical-knowledge items slightly higher; the simulator
puts exactly those effects into the latent importance (plus, for power planning, an
optional shift of one country).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rtwcomp.simulation.design import Mix, StudyDesign
from rtwcomp.simulation.ratings import ItemModel

ATTRIBUTES = ("country", "employer_type", "profession", "client_type", "nurse")


def draw(mix: Mix, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Level indices drawn with the mix's probabilities."""
    weights = np.asarray(mix.weights, dtype=float)
    return rng.choice(len(mix.levels), size=shape, p=weights / weights.sum())


def demographics(
    design: StudyDesign, n_studies: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Level indices (studies x respondents) of country, employer, profession, client type."""
    shape = (n_studies, design.respondents)
    return {
        "country": draw(design.countries, shape, rng),
        "employer_type": draw(design.employers, shape, rng),
        "profession": draw(design.professions, shape, rng),
        "client_type": draw(design.client_types, shape, rng),
    }


def is_nurse(design: StudyDesign, profession: np.ndarray) -> np.ndarray:
    levels = design.professions.levels
    return (
        profession == levels.index("nurse")
        if "nurse" in levels
        else np.zeros_like(profession, bool)
    )


def latent_shift(
    design: StudyDesign, model: ItemModel, people: dict[str, np.ndarray]
) -> np.ndarray:
    """Studies x respondents x items: nurses up on medical items, optionally a country."""
    nurse = is_nurse(design, people["profession"]).astype(float)
    shift = design.nurse_shift * nurse[..., None] * model.medical[None, None, :]
    if design.country_shift:
        second = (people["country"] == 1).astype(float)
        shift = shift + design.country_shift * second[..., None]
    return shift


def table(design: StudyDesign, people: dict[str, np.ndarray], study: int = 0) -> pd.DataFrame:
    """One study's respondents as text columns, with a respondent_id."""
    mixes = {
        "country": design.countries,
        "employer_type": design.employers,
        "profession": design.professions,
        "client_type": design.client_types,
    }
    frame = pd.DataFrame(
        {
            name: np.asarray(mix.levels, dtype=object)[people[name][study]]
            for name, mix in mixes.items()
        }
    )
    frame.insert(0, "respondent_id", [f"R{k + 1:04d}" for k in range(len(frame))])
    frame["nurse"] = np.where(is_nurse(design, people["profession"][study]), "yes", "no")
    return frame

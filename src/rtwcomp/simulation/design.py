"""The parameters of a simulated study, with defaults calibrated to the 2010 study.

Every default is either a published fact of Pransky et al. (2010) (8 focus groups, 75
participants, 904 statements, 100 surveyed items of which the 88 most cited, 148
respondents from three countries, 83 key items) or, where the study is silent, a stated
assumption (country and profession mix, correlations, the nurses' shift, missingness).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

COUNTRIES = ("Australia", "Canada", "United States")


@dataclass(frozen=True)
class Mix:
    """Levels of a categorical respondent attribute and their probabilities."""

    levels: tuple[str, ...]
    weights: tuple[float, ...]


# Levels in the order of the product's default survey questions (surveys.studies), so the
# demo can answer those questions by position.
EMPLOYERS = Mix(
    (
        "employer (own workforce)",
        "insurer or compensation board",
        "rehabilitation or health provider",
        "government or public agency",
    ),
    (0.35, 0.30, 0.25, 0.10),
)
PROFESSIONS = Mix(
    (
        "nurse",
        "occupational therapist",
        "physiotherapist",
        "psychologist or counsellor",
        "human resources",
        "claims or case management",
        "other",
    ),
    (0.22, 0.16, 0.08, 0.06, 0.22, 0.20, 0.06),
)
CLIENT_TYPES = Mix(
    (
        "musculoskeletal injuries",
        "mental health conditions",
        "traumatic injuries",
        "chronic illness",
    ),
    (0.50, 0.20, 0.15, 0.15),
)
COUNTRY_MIX = Mix(COUNTRIES, (0.30, 0.35, 0.35))
ROUTES = ("personal attribute", "formal training", "experience and mentorship")


@dataclass(frozen=True)
class StudyDesign:
    """What to simulate. Sizes, then the rating model, then the respondents' make-up."""

    focus_groups: int = 8
    participants: int = 75
    statements: int = 904  # expected number; the simulated count varies around it
    citation_skew: float = 1.0  # Zipf exponent of how often bank items are said
    surveyed_items: int = 100
    most_cited: int = 88  # the rest of the surveyed items are chosen (medical items first)
    respondents: int = 148
    key_share: float = 0.83  # expected share of surveyed items rated 4-5 by over half
    importance_spread: float = 0.9  # SD of the items' importance on the probit scale
    group_correlation: float = 0.55  # correlation of the respondents' group factors
    discrimination: tuple[float, float] = (1.0, 2.0)  # range of the items' slopes
    nurse_shift: float = 1.0  # nurses' latent shift on medical items, in SD units
    country_shift: float = 0.0  # a latent shift of the second country (for power)
    missing: float = 0.02  # probability that one answer is missing
    countries: Mix = COUNTRY_MIX
    employers: Mix = EMPLOYERS
    professions: Mix = PROFESSIONS
    client_types: Mix = CLIENT_TYPES

    def problems(self) -> list[str]:
        """What is wrong with the design, as messages naming the parameter."""
        found = []
        positive = ("focus_groups", "participants", "surveyed_items", "respondents")
        found += [f"{name} must be at least 1" for name in positive if getattr(self, name) < 1]
        if self.participants < self.focus_groups:
            found.append("participants must be at least focus_groups")
        if not 0 <= self.missing < 1:
            found.append("missing must be at least 0 and below 1")
        if not 0 < self.key_share < 1:
            found.append("key_share must be between 0 and 1")
        if not 0 <= self.group_correlation < 1:
            found.append("group_correlation must be at least 0 and below 1")
        if self.statements < 0 or self.most_cited < 0 or self.most_cited > self.surveyed_items:
            found.append("statements and most_cited must be >= 0, most_cited <= surveyed_items")
        if self.importance_spread <= 0:
            found.append("importance_spread must be positive")
        return found

    def with_(self, **changes: Any) -> StudyDesign:
        return replace(self, **changes)

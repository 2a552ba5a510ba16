"""Options of a survey analysis, checked once so every step can trust them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class SurveyOptions:
    """How to score and summarise an importance survey.

    Parameters
    ----------
    scale_min, scale_max : int, default 1 and 5
        The answer scale (1-5 in Pransky et al. 2010). Answers must be whole numbers in it.
    top : int, default 4
        An answer of `top` or more (after reverse scoring) counts as "important";
        4 means "rated 4 or 5" as in the 2010 study.
    key_share : float, default 0.5
        An item is a key item when its share of top answers is greater than this
        (0.5: "rated 4-5 by more than half").
    subgroups : tuple of str, default ()
        Respondent attribute columns to compare (e.g. country, profession).
    factors : int or None, default None
        Number of factors to extract; None chooses it by parallel analysis.
    seed : int, default 1
        Seed of the random numbers used by parallel analysis.
    min_level_n : int, default 5
        A subgroup test is suppressed when any level has fewer answers than this.
    parallel_iterations : int, default 20
        Number of random correlation matrices in parallel analysis.
    minimums : bool, default True
        Leave out each statistic whose sample is below its minimum
        (`rtwcomp.stats.minimum`). False computes everything whatever the sample size:
        for worked examples and comparisons with other software, never for a report.

    Raises
    ------
    ValueError
        For inconsistent options, listing every problem (see `problems`).

    References
    ----------
    Pransky G, Shaw WS, Loisel P, Hong QN, Désorcy B (2010). Development and validation of
    competencies for return to work coordinators. J Occup Rehabil 20:41-48.

    Examples
    --------
    >>> SurveyOptions(scale_max=7, top=6).points
    [1, 2, 3, 4, 5, 6, 7]
    >>> SurveyOptions(top=6)
    Traceback (most recent call last):
        ...
    ValueError: top (6) must lie on the scale 1-5
    """

    scale_min: int = 1
    scale_max: int = 5
    top: int = 4
    key_share: float = 0.5
    subgroups: tuple[str, ...] = field(default_factory=tuple)
    factors: int | None = None
    seed: int = 1
    min_level_n: int = 5
    parallel_iterations: int = 20
    minimums: bool = True

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))

    def problems(self) -> list[str]:
        """Say what is wrong with these options (an empty list when nothing is)."""
        found: list[str] = []
        if self.scale_min >= self.scale_max:
            found.append(f"scale-min ({self.scale_min}) must be below scale-max ({self.scale_max})")
        elif self.scale_max - self.scale_min + 1 > 21:
            found.append("the scale has more than 21 points; this is not a rating scale")
        if not self.scale_min <= self.top <= self.scale_max:
            found.append(
                f"top ({self.top}) must lie on the scale {self.scale_min}-{self.scale_max}"
            )
        if not 0.0 < self.key_share < 1.0:
            found.append(f"key-share ({self.key_share}) must lie strictly between 0 and 1")
        if self.factors is not None and self.factors < 1:
            found.append(f"factors ({self.factors}) must be at least 1")
        if self.min_level_n < 1:
            found.append("min_level_n must be at least 1")
        if self.parallel_iterations < 1:
            found.append("parallel_iterations must be at least 1")
        if len(set(self.subgroups)) != len(self.subgroups):
            found.append("a subgroup column is named twice")
        return found

    @property
    def points(self) -> list[int]:
        """The scale points, lowest first."""
        return list(range(self.scale_min, self.scale_max + 1))

    def as_dict(self) -> dict[str, Any]:
        """Plain values, for summary.json."""
        values = asdict(self)
        values["subgroups"] = list(self.subgroups)
        return values

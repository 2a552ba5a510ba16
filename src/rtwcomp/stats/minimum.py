"""The smallest samples each statistic is given for, and why: the one place they are set.

Below its minimum a statistic is left out (NaN in the tables, nothing drawn) and the
analysis says so in `SurveyAnalysis.omitted` (summary.json's ``omitted``), which the report
and the results page print as notes. A statistic computed from three people looks as
precise as one from three hundred; leaving it out is more honest than printing it with
an interval nobody reads.

`n` is the number of respondents who answered at least one of the items concerned;
`items` the number of usable items (answered by two or more, with some variance).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Minimum:
    """The smallest sample a statistic is computed from, with the reason and a source."""

    statistic: str
    label: str
    respondents: int
    items: int
    reason: str
    reference: str = ""


ALPHA = Minimum(
    "alpha",
    "Cronbach's alpha",
    respondents=10,
    items=2,
    reason=(
        "with fewer than 10 respondents the sampling error of Cronbach's alpha is so large "
        "that its 95% interval covers most of the range from 0 to 1, and item-rest "
        "figures rest on a handful of answers"
    ),
    reference=(
        "Bonett DG (2002). Sample size requirements for testing and estimating coefficient "
        "alpha. J Educ Behav Stat 27:335-340."
    ),
)
OMEGA = Minimum(
    "omega",
    "omega total",
    respondents=20,
    items=3,
    reason=(
        "omega total rests on a one-factor model of the item correlations, which is not "
        "identified with fewer than 3 items and unstable with fewer than 20 respondents"
    ),
    reference="McDonald RP (1999). Test Theory: A Unified Treatment. Erlbaum.",
)
POLYCHORIC = Minimum(
    "polychoric",
    "polychoric correlations",
    respondents=30,
    items=2,
    reason=(
        "polychoric correlations estimate each item's thresholds from its answer shares and "
        "each pair's correlation from its table of answer combinations; with fewer than 30 "
        "respondents most cells of those tables are empty and the estimates are unstable"
    ),
    reference=(
        "Olsson U (1979). Maximum likelihood estimation of the polychoric correlation "
        "coefficient. Psychometrika 44:443-460."
    ),
)
EFA = Minimum(
    "efa",
    "factor analysis",
    respondents=50,
    items=3,
    reason=(
        "an exploratory factor analysis needs at least 3 items, and below 50 respondents "
        "its loadings are unreliable even when the factors are strong"
    ),
    reference=(
        "de Winter JCF, Dodou D, Wieringa PA (2009). Exploratory factor analysis with small "
        "sample sizes. Multivariate Behav Res 44:147-181."
    ),
)
PARALLEL = Minimum(
    "parallel_analysis",
    "parallel analysis",
    respondents=50,
    items=3,
    reason=(
        "parallel analysis chooses the number of factors for a factor analysis, so it has "
        "the factor analysis's minimum"
    ),
    reference=(
        "Horn JL (1965). A rationale and test for the number of factors in factor analysis. "
        "Psychometrika 30:179-185."
    ),
)
SUBGROUP = Minimum(
    "subgroup_test",
    "subgroup tests",
    respondents=5,
    items=1,
    reason=(
        "a rank test is given only when every level has at least 5 answers (the option "
        "min_level_n): the normal approximation of its p value is poor for smaller "
        "levels, and small cells can identify people"
    ),
    reference=(
        "Hollander M, Wolfe DA (1973). Nonparametric Statistical Methods. Wiley (the normal "
        "approximation of the rank-sum and Kruskal-Wallis statistics)."
    ),
)

MINIMUMS: tuple[Minimum, ...] = (ALPHA, OMEGA, POLYCHORIC, EFA, PARALLEL, SUBGROUP)


@dataclass(frozen=True)
class Omission:
    """A statistic left out because its sample is below the minimum."""

    minimum: Minimum
    scope: str
    n: int
    items: int

    def as_dict(self) -> dict[str, Any]:
        """For summary.json and the notes of the report and the results page."""
        return {
            "statistic": self.minimum.statistic,
            "label": self.minimum.label,
            "scope": self.scope,
            "n": self.n,
            "minimum_n": self.minimum.respondents,
            "items": self.items,
            "minimum_items": self.minimum.items,
            "reason": self.minimum.reason,
            "reference": self.minimum.reference,
            "message": self.message,
        }

    @property
    def message(self) -> str:
        return (
            f"{self.minimum.label} of {self.scope}: not given for {self.n} respondent(s) "
            f"and {self.items} item(s); the minimum is {self.minimum.respondents} "
            f"respondents and {self.minimum.items} items: {self.minimum.reason}"
        )


def check(minimum: Minimum, scope: str, n: int, items: int) -> Omission | None:
    """An `Omission` when `n` respondents or `items` items are below `minimum`, else None."""
    if n < minimum.respondents or items < minimum.items:
        return Omission(minimum, scope, n, items)
    return None


def table() -> list[dict[str, Any]]:
    """Every minimum, for documentation and summary.json."""
    return [
        {
            "statistic": m.statistic,
            "label": m.label,
            "minimum_n": m.respondents,
            "minimum_items": m.items,
            "reason": m.reason,
            "reference": m.reference,
        }
        for m in MINIMUMS
    ]

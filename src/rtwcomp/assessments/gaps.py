"""Gap analysis: the level a role profile requires minus the level assessed.

Pure functions over plain values, so the rule is written once and tested directly. The
combining rule, stated on every page that shows a gap (`RULE`): a direct observation is the
best evidence of what a coordinator does, so the latest observed level counts when there
is one; otherwise the median of the latest ratings by others (mentor, supervisor, peers,
outside raters); otherwise the self-assessment. Competencies of the attitude kind are
personal attributes, which the 2010 study advises selecting for rather than training: their
gaps are listed as selection criteria, not as training needs.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext_noop

OTHERS = ("mentor", "supervisor", "peer", "outside")
PERSONAL_ATTRIBUTE = "attitude"
RULE = gettext_noop(
    "assessed level: the latest direct observation; without one, the median of the latest "
    "ratings by mentor, supervisor, peers and outside raters; without those, the "
    "self-assessment"
)


@dataclass(frozen=True)
class Gap:
    competency: int
    required: int
    assessed: float | None  # None: never assessed
    basis: str  # "observed", "others", "self" or "none"
    importance: float | None  # share rating 4-5 in the validation study, if any
    personal_attribute: bool

    @property
    def gap(self) -> float | None:
        return None if self.assessed is None else max(0.0, self.required - self.assessed)

    @property
    def priority(self) -> float:
        """Gap weighted by importance (1 when there is no validation study); a competency
        never assessed ranks as a full gap."""
        size = self.required if self.gap is None else self.gap
        return size * (1.0 if self.importance is None else self.importance)


def combine(latest: Mapping[str, Sequence[int]]) -> tuple[float | None, str]:
    """The assessed level and its basis from the latest level per rater, by source."""
    if latest.get("observed"):
        return float(latest["observed"][-1]), "observed"
    others = [level for source in OTHERS for level in latest.get(source, ())]
    if others:
        return float(statistics.median(others)), "others"
    if latest.get("self"):
        return float(latest["self"][-1]), "self"
    return None, "none"


def assessed_by_competency(latest: Mapping[int, Mapping[str, Sequence[int]]]) -> dict[int, float]:
    """`combine` for each competency of one person: competency -> assessed level (only
    those assessed)."""
    found = {}
    for competency, by_source in latest.items():
        level, _basis = combine(by_source)
        if level is not None:
            found[competency] = level
    return found


def assessed_levels(ratings: pd.DataFrame, keys: list[str]) -> pd.Series:
    """`combine` for many at once (a team, ten rounds): `ratings` has one row per rating,
    oldest first within each value of `keys`, with the columns `keys`, `source`, `rater`
    and `level`; the result is the assessed level per value of `keys` (only those
    assessed). The work is done on one integer per value of `keys`, which pandas groups
    and aligns far faster than several columns."""
    key = ratings.groupby(keys, sort=False).ngroup().rename("key")
    latest = ratings.assign(key=key).drop_duplicates(["key", "source", "rater"], keep="last")
    of = latest["source"]
    observed = latest[of == "observed"].groupby("key")["level"].last()
    others = latest[of.isin(OTHERS)].groupby("key")["level"].median()
    own = latest[of == "self"].groupby("key")["level"].last()
    level = observed.combine_first(others).combine_first(own).astype(float)
    labels = ratings.loc[~key.duplicated(), keys].iloc[level.index]
    return pd.Series(level.to_numpy(), index=pd.MultiIndex.from_frame(labels))


def gaps(
    required: Mapping[int, int],
    latest: Mapping[int, Mapping[str, Sequence[int]]],
    kinds: Mapping[int, str],
    importance: Mapping[int, float] | None = None,
) -> list[Gap]:
    """One gap per required competency, most pressing first (training needs before
    selection criteria)."""
    found = []
    for competency, level in required.items():
        assessed, basis = combine(latest.get(competency, {}))
        found.append(
            Gap(
                competency,
                level,
                assessed,
                basis,
                (importance or {}).get(competency),
                kinds.get(competency) == PERSONAL_ATTRIBUTE,
            )
        )
    return sorted(found, key=lambda g: (g.personal_attribute, -g.priority, g.competency))

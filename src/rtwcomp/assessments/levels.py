"""Group means of many people at once, overall (the team heat map) and per assessment round
(the trends): one read of their ratings, the combining rule applied to all of them together
(`gaps.assessed_levels`), so a team of 200 with ten rounds is one query and a few table
operations rather than a query per round and a Python loop per rating."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import pandas as pd
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce

from rtwcomp.assessments import gaps
from rtwcomp.assessments.models import Person, Rating

COLUMNS = ["period", "subject", "competency", "source", "rater", "level"]
# person id -> group id -> the mean assessed level of their assessed competencies in it
GroupMeans = dict[int, dict[int, float]]


class Levels:
    """The members' group means, read from the database once, on first use."""

    def __init__(self, framework: Any, members: list[Person], rounds: list[Any]) -> None:
        self.framework, self.members, self.rounds = framework, members, rounds

    @cached_property
    def ratings(self) -> pd.DataFrame:
        """One row per current rating, oldest first, with its group and round (0: none).
        Outside raters have no record: each of their ratings counts as its own rater."""
        rows = (
            Rating.objects.current()
            .filter(subject__in=self.members)
            .annotate(rater_key=Coalesce(F("rater"), -F("pk")), period=_period(self.rounds))
            .order_by("rated_on", "recorded_at", "pk")
            .values_list("period", "subject_id", "competency_id", "source", "rater_key", "level")
        )
        frame = pd.DataFrame.from_records(list(rows), columns=COLUMNS)
        group_of = dict(self.framework.competencies.values_list("pk", "group_id"))
        frame["group"] = frame["competency"].map(group_of)
        return frame[frame["group"].notna()]

    def overall(self) -> GroupMeans:
        return _nested(_group_means(self.ratings, ["subject"]))

    def per_round(self) -> dict[int, GroupMeans]:
        """Round id -> the group means from that round's ratings only."""
        found: dict[int, GroupMeans] = {r.pk: {} for r in self.rounds}
        in_rounds = self.ratings[self.ratings["period"] > 0]
        means = _group_means(in_rounds, ["period", "subject"])
        for (period, subject, group), mean in means.items():
            found[int(period)].setdefault(int(subject), {})[int(group)] = float(mean)
        return found


def _period(rounds: list[Any]) -> Case | Value:
    """The round of a rating: the one it names or, recorded before its round was made, the
    one its date falls in (rounds never overlap); 0 for none."""
    ours = [r.pk for r in rounds]
    dated = [When(rated_on__range=(r.starts_on, r.ends_on), then=Value(r.pk)) for r in rounds]
    if not rounds:
        return Value(0)
    named = When(round__in=ours, then=F("round"))
    return Case(named, When(round__isnull=False, then=Value(0)), *dated, default=Value(0))


def _group_means(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Per `keys` and group: the mean assessed level of the competencies assessed."""
    if frame.empty:
        return pd.Series(dtype=float)
    assessed = gaps.assessed_levels(frame, [*keys, "group", "competency"])
    return assessed.groupby(level=[*keys, "group"]).mean()


def _nested(means: pd.Series) -> GroupMeans:
    found: GroupMeans = {}
    for (subject, group), mean in means.items():
        found.setdefault(int(subject), {})[int(group)] = float(mean)
    return found

"""Group means of many people at once, overall (the team heat map) and per assessment round
(the trends): one read of their ratings, the combining rule applied to all of them together
(`gaps.assessed_levels`), so a team of 200 with ten rounds is one query and a few table
operations rather than a query per round and a Python loop per rating.

The read is the page's main cost, so it is kept narrow: integer columns only (the source as
its position in `SOURCES`), rows in the order of the ratings' index (person, competency,
date), corrections found by one small subquery rather than a join per row, and the rows go
straight from the cursor into one integer array (Django's per-row conversion of the
computed columns would take as long as the query)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import Case, Count, F, Max, Value, When
from django.db.models.functions import Coalesce

from rtwcomp.assessments import gaps
from rtwcomp.assessments.models import Person, Rating

COLUMNS = ["period", "subject", "competency", "source", "rater", "level"]
SOURCES = list(Rating.Source.values)
# person id -> group id -> the mean assessed level of their assessed competencies in it
GroupMeans = dict[int, dict[int, float]]


class Levels:
    """The members' group means, read from the database once, on first use."""

    def __init__(self, framework: Any, members: list[Person], rounds: list[Any]) -> None:
        self.framework, self.members, self.rounds = framework, members, rounds

    @cached_property
    def stamp(self) -> str:
        """Changes when the members change or one of them is rated (ratings are only ever
        added): what the cached means are kept under."""
        found = Rating.objects.filter(subject__in=self.members).aggregate(
            n=Count("pk"), last=Max("pk")
        )
        return f"{hash(tuple(m.pk for m in self.members))}:{found['n']}:{found['last']}"

    @cached_property
    def ratings(self) -> pd.DataFrame:
        """One row per current rating, oldest first within each person and competency, with
        its group and round (0: none). Outside raters have no record: each of their ratings
        counts as its own rater."""
        corrected = Rating.objects.filter(supersedes__isnull=False).values("supersedes")
        rows = (
            Rating.objects.filter(subject__in=self.members)
            .exclude(pk__in=corrected)
            .annotate(
                rater_key=Coalesce(F("rater"), -F("pk")),
                period=_period(self.rounds),
                code=Case(*[When(source=s, then=Value(i)) for i, s in enumerate(SOURCES)]),
            )
            .order_by("subject", "competency", "rated_on", "recorded_at", "pk")
            .values_list("period", "subject", "competency", "code", "rater_key", "level")
        )
        with connection.cursor() as cursor:
            cursor.execute(*rows.query.sql_with_params())
            values = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, len(COLUMNS))
        frame = pd.DataFrame(values, columns=COLUMNS)
        frame["source"] = pd.Categorical.from_codes(frame["source"], SOURCES)
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

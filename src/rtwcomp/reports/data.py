"""What a study report is made of: plain values, so any caller (CLI, Django) can build one."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from rtwcomp.stats import SurveyAnalysis, SurveyOptions


@dataclass(frozen=True)
class DelphiRound:
    """One Delphi round: its panel size, agreement, and the per-item consensus table.

    items: item, n, share_top, q1, q3, iqr, consensus, and from round 2 on
        distribution_change and wilcoxon_p (stability against the round before).
    """

    number: int
    respondents: int
    items: pd.DataFrame
    kendalls_w: float
    raters: int


@dataclass(frozen=True)
class Question:
    """A respondent question as the report names it: its text and its choices' labels
    (value -> label) in the study's language. `multiple`: several choices may be ticked,
    given in the data joined by ";", and tabulated per choice."""

    key: str
    label: str
    choices: Mapping[str, str] = field(default_factory=dict)
    multiple: bool = False

    def choice(self, value: str) -> str:
        """The label of a value; the value itself when the question does not list it."""
        return self.choices.get(value, value)


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows; optional parts give optional sections.

    respondents: one row per respondent, one column per attribute (country, ...), for
        the characteristics section; None leaves it out.
    funnel: counts of the steps before the survey, keyed by `labels.FUNNEL_STEPS`
        ("statements", "unique_items"); surveyed items, respondents and key items
        always come from the analysis, so they cannot disagree with it.
    acquisition: one row per item: item, group, n, then the share of each acquisition
        route (as `rtwcomp.surveys.results.acquisition`).
    delphi: the rounds of a Delphi study, first round first.
    source: one line on the cover saying where the data came from.
    questions: the respondent questions by key, so tables print their text and choice
        labels instead of codes; an attribute without one prints as it is.
    framework: the framework's name and version, stated on the cover and in the method.
    excluded: responses left out of the analysis, by kind ("incomplete", "test"), with
        their counts; stated in the method.
    """

    title: str
    date: dt.date
    analysis: SurveyAnalysis
    options: SurveyOptions
    respondents: pd.DataFrame | None = None
    funnel: Mapping[str, int] | None = None
    acquisition: pd.DataFrame | None = None
    delphi: Sequence[DelphiRound] | None = None
    source: str = ""
    questions: Mapping[str, Question] = field(default_factory=dict)
    framework: str = ""
    excluded: Mapping[str, int] = field(default_factory=dict)


def report_date(from_input: dt.date | None = None) -> dt.date:
    """The date printed on a report: SOURCE_DATE_EPOCH, else the input's, else today.

    Reproducible builds set SOURCE_DATE_EPOCH (seconds since 1970, UTC); without it the
    date of the data keeps two renders of the same data identical on different days.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH must be whole seconds, not '{epoch}'") from None
    return from_input or dt.date.today()

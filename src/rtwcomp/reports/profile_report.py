"""One coordinator's profile report, as self-contained HTML or a tagged PDF (WeasyPrint).

Pure: it imports no Django. The caller (`assessments.report_data`) passes plain data, with
every heading already in the reader's language; the charts are drawn here from the same
numbers the tables show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from markupsafe import Markup

from rtwcomp import __version__
from rtwcomp.reports import assessment_charts as charts


@dataclass(frozen=True)
class GroupLevel:
    """A group's mean required level and mean assessed level (None: none assessed)."""

    group: str
    required: float | None
    assessed: float | None
    assessed_count: int
    required_count: int


@dataclass(frozen=True)
class PlanSection:
    """The person's current development plan, as text in the reader's language: the
    development app makes it (the assessments app, which makes the rest, cannot see plans)."""

    status: str
    summary: str  # e.g. "1 of 4 goals reached"
    facts: Sequence[tuple[str, str]]  # (label, value): role profile, reassessment date ...
    # each: code, statement, target, due, done, activities
    goals: Sequence[dict[str, str]]
    labels: dict[str, str]


@dataclass(frozen=True)
class ProfileReportData:
    person: str
    organisation: str
    team: str
    date: str
    profile: str  # blank: no role profile chosen
    profile_rule: str
    combining_rule: str
    scale: Sequence[str]
    sources: Sequence[str]
    # each: code, statement, levels (one text per source), assessed, required
    side_by_side: Sequence[dict[str, str]]
    # each: code, statement, required, assessed, gap, importance, kind
    gaps: Sequence[dict[str, str]]
    groups: Sequence[GroupLevel]
    rounds: Sequence[str]
    # each: group, texts (one per round), values (floats or None)
    trends: Sequence[dict[str, Any]]
    labels: dict[str, str] = field(default_factory=dict)
    language: str = "en"
    plan: PlanSection | None = None


@cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("rtwcomp.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _fixed(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _charts(data: ProfileReportData) -> dict[str, Markup | None]:
    top = max(1, len(data.scale) - 1)
    labels = data.labels
    profile = None
    if data.groups:
        profile = charts.profile_chart(
            "profile",
            [g.group for g in data.groups],
            [g.required for g in data.groups],
            [g.assessed for g in data.groups],
            top,
            (labels["required"], labels["assessed"]),
            labels["profile_chart"],
            labels["profile_chart_desc"],
        )
    trend = None
    if data.trends:
        series = [charts.Series(row["group"], row["values"]) for row in data.trends]
        trend = charts.trend_chart(
            "trend", data.rounds, series, top, labels["trends"], labels["trend_chart_desc"]
        )
    return {"profile_chart": profile, "trend_chart": trend}


def render_html(data: ProfileReportData) -> str:
    """The report as one HTML document that refers to nothing outside itself."""
    css = (resources.files("rtwcomp.reports") / "templates" / "profile.css").read_text("utf-8")
    template = _environment().get_template("profile.html")
    return str(
        template.render(
            data=data,
            l=data.labels,
            css=Markup(css),  # noqa: S704 (our own stylesheet)
            fixed=_fixed,
            version=__version__,
            **_charts(data),
        )
    )


def render_pdf(data: ProfileReportData) -> bytes:
    """The report as a tagged PDF."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_html(data)).write_pdf(pdf_tags=True)
    return pdf

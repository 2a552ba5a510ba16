"""The individual profile report's data: what a person's page shows, as plain values and
translated headings, handed to the Django-free `reports.profile_report`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from rtwcomp.assessments import gaps as gap_rules
from rtwcomp.assessments import selectors
from rtwcomp.assessments.models import Person, RoleProfile
from rtwcomp.assessments.scales import labels as scale_labels
from rtwcomp.reports import profile_report
from rtwcomp.reports.profile_report import GroupLevel, PlanSection, ProfileReportData

# Makers of the report's development plan section (person -> PlanSection or None), which
# the development app registers when it starts: this app may not import it (layers).
PLAN_SECTIONS: list[Callable[[Person], PlanSection | None]] = []


def _plan_section(person: Person) -> PlanSection | None:
    return next((s for make in PLAN_SECTIONS if (s := make(person)) is not None), None)


def headings() -> dict[str, str]:
    """Every heading and note of the report, in the active language."""
    return {
        "title": _("Profile report"),
        "organisation": _("Organisation"),
        "team": _("Team"),
        "date": _("Date"),
        "profile": _("Role profile"),
        "no_profile": _("none chosen"),
        "scale": _("Scale"),
        "profile_chart": _("Profile per group"),
        "profile_chart_desc": str(selectors.profile_desc()),
        "profile_table": _("Mean required and assessed level per group"),
        "group": _("Group"),
        "required": _("required"),
        "assessed": _("assessed"),
        "assessed_of": _("assessed / required competencies"),
        "side_by_side": _("Ratings side by side"),
        "side_by_side_caption": _("The latest rating of each source, and the assessed level"),
        "competency": _("Competency"),
        "no_ratings": _("No ratings yet."),
        "gaps": _("Gaps, most pressing first"),
        "gaps_note": _(
            "The gap (required minus assessed) weighted by the share of the validation "
            "study's respondents who rated the competency 4 or 5. Personal attributes are "
            "listed last, as criteria to select for rather than needs to train."
        ),
        "gap": _("gap"),
        "importance": _("importance"),
        "kind": _("kind"),
        "trends": _("Trends across rounds"),
        "trends_caption": _("Mean assessed level per group and round"),
        "trend_chart_desc": str(selectors.trend_desc()),
        "no_trends": _("No ratings in any round yet."),
    }


def _dash(value: Any) -> str:
    return "–" if value is None or value == "" else str(value)


def profile_data(person: Person, profile: RoleProfile | None) -> ProfileReportData:
    page = selectors.person_page(person, profile)
    side = [
        {
            "code": row["competency"].code,
            "statement": row["competency"].translated("statement"),
            "levels": [_dash(v) for v in row["levels"]],
            "assessed": _dash(row["assessed"]),
            "required": _dash(row["required"]),
        }
        for row in page["rows"]
    ]
    return ProfileReportData(
        person=person.name,
        organisation=person.organisation.name,
        team=person.team.name if person.team else "",
        date=timezone.localdate().isoformat(),
        profile=profile.name if profile else "",
        profile_rule=profile.rule if profile else "",
        combining_rule=capfirst(_(gap_rules.RULE)) + ".",
        scale=scale_labels(person.organisation),
        sources=[str(s) for s in page["sources"]],
        side_by_side=side,
        gaps=[_gap(row) for row in page["gaps"]],
        groups=[
            GroupLevel(
                r["name"], r["required"], r["assessed"], r["assessed_count"], r["required_count"]
            )
            for r in page["by_group"]
        ],
        rounds=[r.name for r in page["trends"]["rounds"]] if page["trends"]["rows"] else [],
        trends=[
            {"group": r["group"].translated("name"), "texts": r["texts"], "values": r["values"]}
            for r in page["trends"]["rows"]
        ],
        labels=headings(),
        language=translation.get_language() or "en",
        plan=_plan_section(person),
    )


def _gap(row: dict[str, Any]) -> dict[str, str]:
    gap = row["gap"]
    assessed = _("not assessed") if row["assessed"] is None else f"{row['assessed']} ({gap.basis})"
    kind = _("selection criterion") if gap.personal_attribute else _("training need")
    return {
        "code": row["competency"].code,
        "statement": row["competency"].translated("statement"),
        "required": str(gap.required),
        "assessed": assessed,
        "gap": _dash(row["size"]),
        "importance": _dash(row["importance"]),
        "kind": kind,
    }


def render(person: Person, profile: RoleProfile | None, fmt: str) -> bytes:
    """The report as "html" or "pdf" bytes."""
    data = profile_data(person, profile)
    if fmt == "pdf":
        return profile_report.render_pdf(data)
    return profile_report.render_html(data).encode("utf-8")


FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}

"""A study's report: its analysis and what the study knows around it, for `rtwcomp.reports`.

The report package knows nothing of Django; this module reads the study (responses,
acquisition routes, Delphi rounds, the focus-group provenance of its framework) into a
plain `ReportData`.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Max

from rtwcomp.reports import DelphiRound, ReportData, render_html, render_pdf, report_date
from rtwcomp.surveys import results
from rtwcomp.surveys.models import Study, SurveyResponse

FORMATS = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


class NothingToReport(Exception):
    """The study has no completed response yet."""


def _elicitation_counts(study: Study) -> dict[str, int] | None:
    """Statements and unique items of the focus-group projects the framework came from.

    None when no competency of the framework was promoted from focus groups.
    """
    if not apps.is_installed("rtwcomp.elicitation"):
        return None
    from rtwcomp.elicitation.models import Item, Provenance, Statement

    projects = set(
        Provenance.objects.filter(
            competency__framework=study.framework, item__isnull=False
        ).values_list("item__project", flat=True)
    )
    if not projects:
        return None
    return {
        "statements": Statement.objects.filter(project__in=projects).count(),
        "unique_items": Item.objects.filter(project__in=projects).count(),
    }


def _delphi(study: Study) -> list[DelphiRound]:
    return [
        DelphiRound(
            number=entry["round"].number,
            respondents=entry["respondents"],
            items=entry["table"],
            kendalls_w=entry["kendalls_w"],
            raters=entry["raters"],
        )
        for entry in results.delphi_summary(study)
    ]


def excluded(study: Study) -> dict[str, int]:
    """Responses no statistic uses: started and never submitted, and test responses."""
    responses = SurveyResponse.objects.filter(study=study)
    return {
        "incomplete": responses.real().unfinished().count(),
        "test": responses.filter(is_test=True).count(),
    }


def report_data(study: Study) -> ReportData:
    """The report's contents, from the analysis the dashboard shows (`cached_analysis`).

    The date is SOURCE_DATE_EPOCH, else the day of the latest completed response.
    Raises NothingToReport before any response is completed, and the analysis's
    SurveyDataError for data it cannot analyze.
    """
    latest = (
        SurveyResponse.objects.completed().filter(study=study).aggregate(last=Max("submitted_on"))
    )
    found = results.cached_analysis(study)
    if latest["last"] is None or found is None:
        raise NothingToReport(f"{study.slug}: no completed response yet")
    data, analysis = found
    framework = study.framework
    return ReportData(
        title=study.name,
        date=report_date(latest["last"]),
        analysis=analysis,
        options=results.options(study, data),
        respondents=data.responses[data.attributes] if data.attributes else None,
        funnel=_elicitation_counts(study),
        acquisition=(
            results.acquisition(study, data).rename(columns=results.route_labels(study))
            if study.ask_acquired
            else None
        ),
        delphi=_delphi(study) if study.delphi else None,
        source=f"rtwcomp study '{study.slug}'",
        questions=results.questions(study),
        framework=f"{framework.name}, version {framework.version}",
        excluded=excluded(study),
    )


def render(study: Study, fmt: str) -> bytes:
    """The report as PDF or HTML bytes (`fmt` is a key of FORMATS)."""
    data = report_data(study)
    if fmt == "pdf":
        return render_pdf(data)
    if fmt == "html":
        return render_html(data).encode("utf-8")
    raise ValueError(f"unknown report format '{fmt}'")

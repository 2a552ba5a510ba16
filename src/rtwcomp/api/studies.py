"""Survey studies for the researchers who may see them (owner, collaborators, superusers)."""

from __future__ import annotations

import math
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema

from rtwcomp.api.auth import signed_in
from rtwcomp.stats import SurveyDataError
from rtwcomp.surveys import access, exports, results
from rtwcomp.surveys.models import Response, Study

router = Router(tags=["studies"], auth=signed_in)


class StudyOut(Schema):
    slug: str
    name: str
    status: str
    framework: str
    framework_version: int
    items: list[str]
    anonymous: bool
    delphi: bool
    round: int
    completed_responses: int


def _study_out(study: Study) -> dict[str, Any]:
    return {
        "slug": study.slug,
        "name": study.name,
        "status": study.status,
        "framework": study.framework.slug,
        "framework_version": study.framework.version,
        "items": [i.competency.code for i in study.items.select_related("competency")],
        "anonymous": study.anonymous,
        "delphi": study.delphi,
        "round": study.current_round().number,
        "completed_responses": Response.objects.filter(
            study=study, submitted_on__isnull=False
        ).count(),
    }


def _visible(request: HttpRequest, slug: str) -> Study:
    if not access.is_researcher(request.user):
        raise Http404("No such study")
    return access.study_for(request.user, slug)


@router.get("", response=list[StudyOut])
def list_studies(request: HttpRequest) -> list[dict[str, Any]]:
    """The studies this user may see."""
    if not access.is_researcher(request.user):
        return []
    return [_study_out(s) for s in access.visible_studies(request.user).select_related("framework")]


@router.get("/{slug}", response=StudyOut)
def get_study(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _study_out(_visible(request, slug))


def _records(frame: Any) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-ready dicts: NaN and NA become null."""
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
        for row in rows
    ]


@router.get("/{slug}/results")
def get_results(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Item statistics, group reliability and subgroup tests of the completed responses
    (the tables `rtwcomp analyze` writes as item_stats, group_stats and subgroup_tests)."""
    study = _visible(request, slug)
    try:
        _data, analysis = results.analyse(study)
    except SurveyDataError as error:
        raise Http404(str(error)) from None
    return {
        "summary": analysis.summary,
        "items": _records(analysis.items),
        "groups": _records(analysis.groups),
        "subgroup_tests": _records(analysis.subgroup_tests),
    }


@router.get("/{slug}/export")
def export(request: HttpRequest, slug: str, format: str = "csv") -> HttpResponse:
    """The completed responses as a file: csv, labels.csv, xlsx, sav or codebook.csv."""
    study = _visible(request, slug)
    if format not in exports.FORMATS:
        raise Http404(f"format must be one of {', '.join(exports.FORMATS)}")
    response = HttpResponse(
        exports.export_bytes(study, format), content_type=exports.FORMATS[format][0]
    )
    response["Content-Disposition"] = f'attachment; filename="{study.slug}.{format}"'
    return response

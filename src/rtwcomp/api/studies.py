"""Survey studies for the researchers who may see them (owner, collaborators, superusers)."""

from __future__ import annotations

import math
from typing import Annotated, Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema
from pydantic import WithJsonSchema

from rtwcomp.api.auth import signed_in
from rtwcomp.api.errors import NOT_FOUND, UNAUTHORIZED
from rtwcomp.stats import SurveyDataError
from rtwcomp.surveys import exports, results, selectors
from rtwcomp.surveys.models import Study

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


# A table cell of the results: JSON scalars only (NaN becomes null).
Cell = Annotated[Any, WithJsonSchema({"type": ["string", "number", "boolean", "null"]})]


class ResultsOut(Schema):
    """The tables `rtwcomp analyze` writes, one object per row."""

    summary: dict[str, Any]
    items: list[dict[str, Cell]]
    groups: list[dict[str, Cell]]
    subgroup_tests: list[dict[str, Cell]]


EXPORT_TYPES = sorted({content_type for content_type, _ in exports.FORMATS.values()})


def _file_schema(content_type: str) -> dict[str, Any]:
    """A JSON export is a JSON document (a validator parses it); other files are bytes."""
    if content_type.startswith("application/json"):
        return {"type": "object"}
    return {"type": "string", "format": "binary"}


def _study_out(study: Study, completed: int) -> dict[str, Any]:
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
        "completed_responses": completed,
    }


@router.get("", response={200: list[StudyOut], **UNAUTHORIZED})
def list_studies(request: HttpRequest) -> list[dict[str, Any]]:
    """The studies this user may see."""
    found = list(selectors.studies(request.user))
    counts = selectors.response_counts(*found)
    return [_study_out(s, counts[s.pk].completed) for s in found]


@router.get("/{slug}", response={200: StudyOut, **UNAUTHORIZED, **NOT_FOUND})
def get_study(request: HttpRequest, slug: str) -> dict[str, Any]:
    study = selectors.study(request.user, slug)
    return _study_out(study, selectors.response_counts(study)[study.pk].completed)


def _records(frame: Any) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-ready dicts: NaN and NA become null."""
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
        for row in rows
    ]


@router.get("/{slug}/results", response={200: ResultsOut, **UNAUTHORIZED, **NOT_FOUND})
def get_results(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Item statistics, group reliability and subgroup tests of the completed responses
    (the tables `rtwcomp analyze` writes as item_stats, group_stats and subgroup_tests)."""
    study = selectors.study(request.user, slug)
    try:
        found = results.cached_analysis(study)
    except SurveyDataError as error:
        raise Http404(str(error)) from None
    if found is None:
        raise Http404(f"{study.slug}: no completed response yet")
    _data, analysis = found
    return {
        "summary": analysis.summary,
        "items": _records(analysis.items),
        "groups": _records(analysis.groups),
        "subgroup_tests": _records(analysis.subgroup_tests),
    }


@router.get(
    "/{slug}/export",
    response={200: None, **UNAUTHORIZED, **NOT_FOUND},
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment",
                "content": {t: {"schema": _file_schema(t)} for t in EXPORT_TYPES},
            },
        }
    },
)
def export(request: HttpRequest, slug: str, format: str = "csv") -> HttpResponse:
    """The completed responses as a file: csv, labels.csv, xlsx, sav, json or codebook.csv.

    Always made in the request, whatever the study's size (the web page's download hands a
    large study to a background job instead): a script waits for its answer, and a
    100,000-answer study takes about 1 s as CSV and 5 s as XLSX."""
    study = selectors.study(request.user, slug)
    if format not in exports.FORMATS:
        raise Http404(f"format must be one of {', '.join(exports.FORMATS)}")
    response = HttpResponse(
        exports.export_bytes(study, format), content_type=exports.FORMATS[format][0]
    )
    response["Content-Disposition"] = f'attachment; filename="{study.slug}.{format}"'
    return response

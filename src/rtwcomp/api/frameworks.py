"""Read-only framework endpoints."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from rtwcomp.frameworks import services
from rtwcomp.frameworks.models import Framework

router = Router(tags=["frameworks"])


class FrameworkSummary(Schema):
    slug: str
    name: str
    version: int
    status: str
    language: str
    groups: int
    competencies: int


class CompetencyOut(Schema):
    code: str
    statement: str
    ksab_type: str
    notes: str
    sources: list[str]
    indicators: list[str]
    translations: dict[str, dict[str, str]]


class GroupOut(Schema):
    key: str
    name: str
    position: int
    description: str
    translations: dict[str, dict[str, str]]
    competencies: list[CompetencyOut]


class FrameworkOut(Schema):
    slug: str
    name: str
    version: int
    status: str
    language: str
    description: str
    citation: str
    source: str
    published_at: str | None
    translations: dict[str, dict[str, str]]
    groups: list[GroupOut]


@router.get("", response=list[FrameworkSummary])
def list_frameworks(request: HttpRequest) -> list[dict[str, Any]]:
    """The current version of every framework."""
    return [
        {
            "slug": f.slug,
            "name": f.name,
            "version": f.version,
            "status": f.status,
            "language": f.language,
            "groups": f.groups.count(),
            "competencies": f.competencies.count(),
        }
        for f in services.latest_per_slug()
    ]


@router.get("/{slug}", response=FrameworkOut)
def get_framework(request: HttpRequest, slug: str, version: int | None = None) -> dict[str, Any]:
    """One framework with its groups, each with its competencies (current version by default)."""
    if version is not None:
        framework = get_object_or_404(Framework, slug=slug, version=version)
    else:
        found = services.current(slug)
        if found is None:
            raise Http404("No such framework")
        framework = found
    return services.to_dict(framework)

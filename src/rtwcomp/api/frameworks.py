"""Read-only framework endpoints."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from rtwcomp.api.auth import signed_in_or_anonymous
from rtwcomp.api.errors import INVALID, NOT_FOUND
from rtwcomp.frameworks import selectors, services

# Published versions are public; a token or a session also shows the caller's own drafts.
router = Router(tags=["frameworks"], auth=signed_in_or_anonymous)
# In the document: a token or a session, or neither (the empty requirement).
OPTIONAL_AUTH = {"security": [{"TokenAuth": []}, {"SessionAuth": []}, {}]}


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


@router.get("", response=list[FrameworkSummary], openapi_extra=OPTIONAL_AUTH)
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
        for f in selectors.latest_per_slug(request.user)
    ]


@router.get(
    "/{slug}", response={200: FrameworkOut, **NOT_FOUND, **INVALID}, openapi_extra=OPTIONAL_AUTH
)
def get_framework(request: HttpRequest, slug: str, version: int | None = None) -> dict[str, Any]:
    """One framework with its groups, each with its competencies (current version by default).
    Drafts are shown only to their owner and collaborators."""
    return services.to_dict(selectors.version(request.user, slug, version))

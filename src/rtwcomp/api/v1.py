"""Version 1 of the REST API; its OpenAPI document is at /api/v1/openapi.json."""

from __future__ import annotations

from ninja import NinjaAPI

from rtwcomp.api import frameworks, studies

api = NinjaAPI(
    title="rtwcomp API",
    version="1",
    urls_namespace="api-v1",
    description="Competency frameworks, studies and assessments.",
)
api.add_router("/frameworks", frameworks.router)
api.add_router("/studies", studies.router)

"""Version 1 of the REST API; its OpenAPI document is at /api/v1/openapi.json.

Each operation declares every status it answers with (rtwcomp.api.errors);
`scripts/api-fuzz` checks the running server against that document.
"""

from __future__ import annotations

import math
from typing import Any, NoReturn

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Router
from ninja.renderers import JSONRenderer

from rtwcomp.api import assessments, development, frameworks, mentoring, selection, studies


def finite(value: Any) -> Any:
    """`value` with every NaN and infinity (which JSON cannot hold) replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    return value


class StandardJSON(JSONRenderer):
    """JSON as RFC 8259 has it: an undefined statistic (NaN, ±infinity) is null, never the
    `NaN` or `-Infinity` that Python would write and JSON parsers reject."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return super().render(request, finite(data), response_status=response_status)


# The server in front of every operation (gunicorn) refuses a request line over 4,094
# bytes before the API sees it: an HTML 414 that any operation can answer.
URI_TOO_LONG = {
    "description": "URI Too Long: the request line (method, path and query) is over 4,094 "
    "bytes, the server's limit; nothing was done."
}


class Api(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """The document, with the server's 414 declared on every operation."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation["responses"].setdefault("414", URI_TOO_LONG)
        return schema


api = Api(
    title="rtwcomp API",
    version="1",
    urls_namespace="api-v1",
    description="Competency frameworks, studies and assessments.",
    renderer=StandardJSON(),
)
api.add_router("/frameworks", frameworks.router)
api.add_router("/studies", studies.router)
api.add_router("/assessments", assessments.router)
api.add_router("/development", development.router)
api.add_router("/mentoring", mentoring.router)
api.add_router("/selection", selection.router)

# Added last, so it only gets paths no operation matches (e.g. a slug holding "/"):
# they too answer with the JSON 404 the document declares, not the site's HTML page.
unknown = Router()


@unknown.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def not_found(request: HttpRequest, rest: str) -> NoReturn:
    raise Http404


api.add_router("", unknown)

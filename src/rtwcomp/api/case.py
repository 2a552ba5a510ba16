"""The read-only CASE v1.1 REST API under `/ims/case/v1p1/`, for published frameworks.

Each framework's latest published version is served: `CFDocuments` lists them;
`CFDocuments/{id}`, `CFPackages/{id}`, `CFItems/{id}`, `CFAssociations/{id}`,
`CFRubrics/{id}` and `CFItemTypes/{id}` give one object, exactly as in the framework's
CASE export. Errors are `imsx_StatusInfo` objects: 400 `invalid_uuid` for an identifier
that is not a UUID, 404 `unknownobject` for one that names nothing published. Drafts are
never served, whoever asks (the API has no log-in).
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET

from rtwcomp.frameworks import exchange

BASE = "/ims/case/v1p1/"
KINDS = ("CFDocuments", "CFPackages", "CFItems", "CFAssociations", "CFRubrics", "CFItemTypes")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")


def status_info(status: int, minor: str, description: str) -> JsonResponse:
    """An `imsx_StatusInfo` error answer."""
    body = {
        "imsx_codeMajor": "failure",
        "imsx_severity": "error",
        "imsx_description": description,
        "imsx_codeMinor": {
            "imsx_codeMinorField": [
                {"imsx_codeMinorFieldName": "sourcedId", "imsx_codeMinorFieldValue": minor}
            ]
        },
    }
    return JsonResponse(body, status=status)


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri(BASE)


@require_GET
def documents(request: HttpRequest) -> HttpResponse:
    """Every published framework's CFDocument."""
    base = _base(request)
    found = [
        exchange.published_package(f, base)["CFDocument"] for f in exchange.published_frameworks()
    ]
    return JsonResponse({"CFDocuments": found})


def _one(kind: str) -> Any:
    @require_GET
    def view(request: HttpRequest, identifier: str) -> HttpResponse:
        if not _UUID.match(identifier):
            return status_info(400, "invalid_uuid", f"'{identifier[:80]}' is not a UUID")
        found = exchange.find_published(kind, identifier.lower(), _base(request))
        if found is None:
            return status_info(404, "unknownobject", f"no published {kind[:-1]} {identifier}")
        return JsonResponse(found)

    view.__name__ = kind
    return view


def _unknown(request: HttpRequest, rest: str) -> HttpResponse:
    return status_info(404, "unknownobject", "no such endpoint of this CASE API")


app_name = "case"
urlpatterns = [
    path("CFDocuments", documents, name="documents"),
    *[path(f"{kind}/<str:identifier>", _one(kind), name=kind) for kind in KINDS],
    path("<path:rest>", _unknown, name="unknown"),
]

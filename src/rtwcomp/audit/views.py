"""History pages and their CSV, for those who may edit the object (`rtwcomp.permissions`:
owner, collaborators, superusers); anyone else gets 404, as for an object that does not
exist. One page and one CSV view serve the three kinds of object (`KINDS`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from rtwcomp import permissions
from rtwcomp.audit import selectors
from rtwcomp.elicitation.models import Project
from rtwcomp.frameworks.models import Framework
from rtwcomp.interop import csv_output
from rtwcomp.surveys.models import Study


class Kind(NamedTuple):
    model: type[Model]
    perm: str
    history: Callable[[Any], list[selectors.Change]]
    page: str  # the object's own page, the history page's "back"


KINDS = {
    "study": Kind(Study, "surveys.history_study", selectors.study_history, "surveys:detail"),
    "project": Kind(
        Project, "elicitation.history_project", selectors.project_history, "elicitation:project"
    ),
    "framework": Kind(
        Framework, "frameworks.history_framework", selectors.framework_history, "frameworks:detail"
    ),
}


def _object(request: HttpRequest, kind: Kind, slug: str) -> tuple[Any, str]:
    """The object, and the query that names it (a framework's version: ?version=N, else the
    latest this user may see)."""
    asked = request.GET.get("version", "")
    lookup = {}
    if kind.model is Framework and asked.isdigit() and len(asked) < 9:
        lookup = {"version": int(asked)}
    found = permissions.get_or_404(
        request.user, kind.perm, kind.model._default_manager.all(), slug=slug, **lookup
    )
    return found, f"?version={found.version}" if kind.model is Framework else ""


@permissions.researcher_required
def page(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    found, query = _object(request, KINDS[kind], slug)
    context = {
        "object": found,
        "changes": KINDS[kind].history(found),
        "back": reverse(KINDS[kind].page, args=[slug]) + query,
        "csv": reverse(f"history:{kind}_csv", args=[slug]) + query,
    }
    return render(request, "audit/history.html", context)


@permissions.researcher_required
def csv(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    found, query = _object(request, KINDS[kind], slug)
    rows = selectors.csv_rows(KINDS[kind].history(found))
    response = HttpResponse(
        csv_output.rows_to_text(selectors.HEADER, rows), content_type="text/csv; charset=utf-8"
    )
    name = slug + (f"-v{found.version}" if query else "")
    response["Content-Disposition"] = f'attachment; filename="{name}-history.csv"'
    return response

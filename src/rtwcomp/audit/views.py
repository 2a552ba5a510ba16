"""History pages and their CSV, for those who may edit the object (`rtwcomp.permissions`:
owner, collaborators, superusers); anyone else gets 404, as for an object that does not
exist."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from rtwcomp import permissions
from rtwcomp.audit import selectors
from rtwcomp.elicitation.models import Project
from rtwcomp.frameworks.models import Framework
from rtwcomp.interop import csv_output
from rtwcomp.surveys.models import Study

researcher_required = permissions.researcher_required


def _study(request: HttpRequest, slug: str) -> Study:
    return permissions.get_or_404(
        request.user, "surveys.history_study", Study.objects.all(), slug=slug
    )


def _project(request: HttpRequest, slug: str) -> Project:
    return permissions.get_or_404(
        request.user, "elicitation.history_project", Project.objects.all(), slug=slug
    )


def _framework(request: HttpRequest, slug: str) -> Framework:
    """The version asked for with ?version=N, else the latest this user may see."""
    asked = request.GET.get("version", "")
    lookup = {"version": int(asked)} if asked.isdigit() and len(asked) < 9 else {}
    return permissions.get_or_404(
        request.user, "frameworks.history_framework", Framework.objects.all(), slug=slug, **lookup
    )


def _page(
    request: HttpRequest, obj: Any, changes: list[selectors.Change], **urls: str
) -> HttpResponse:
    context = {"object": obj, "changes": changes, **urls}
    return render(request, "audit/history.html", context)


def _csv(changes: list[selectors.Change], filename: str) -> HttpResponse:
    text = csv_output.rows_to_text(selectors.HEADER, selectors.csv_rows(changes))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-history.csv"'
    return response


@researcher_required
def study(request: HttpRequest, slug: str) -> HttpResponse:
    found = _study(request, slug)
    back = reverse("surveys:detail", args=[slug])
    csv = reverse("history:study_csv", args=[slug])
    return _page(request, found, selectors.study_history(found), back=back, csv=csv)


@researcher_required
def study_csv(request: HttpRequest, slug: str) -> HttpResponse:
    return _csv(selectors.study_history(_study(request, slug)), slug)


@researcher_required
def project(request: HttpRequest, slug: str) -> HttpResponse:
    found = _project(request, slug)
    back = reverse("elicitation:project", args=[slug])
    csv = reverse("history:project_csv", args=[slug])
    return _page(request, found, selectors.project_history(found), back=back, csv=csv)


@researcher_required
def project_csv(request: HttpRequest, slug: str) -> HttpResponse:
    return _csv(selectors.project_history(_project(request, slug)), slug)


@researcher_required
def framework(request: HttpRequest, slug: str) -> HttpResponse:
    found = _framework(request, slug)
    query = f"?version={found.version}"
    back = reverse("frameworks:detail", args=[slug]) + query
    csv = reverse("history:framework_csv", args=[slug]) + query
    return _page(request, found, selectors.framework_history(found), back=back, csv=csv)


@researcher_required
def framework_csv(request: HttpRequest, slug: str) -> HttpResponse:
    found = _framework(request, slug)
    return _csv(selectors.framework_history(found), f"{slug}-v{found.version}")

"""Framework browser: list, one framework's groups and competencies, one competency."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from rtwcomp.frameworks import selectors
from rtwcomp.frameworks.models import Competency, Framework


def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = selectors.latest_per_slug(request.user)
    return render(request, "frameworks/list.html", {"frameworks": frameworks})


def _version(request: HttpRequest, slug: str) -> Framework:
    """The version asked for with ?version=N, else the current one."""
    asked = request.GET.get("version", "")
    number = int(asked) if asked.isdigit() else None
    return selectors.version(request.user, slug, number)


def framework_detail(request: HttpRequest, slug: str) -> HttpResponse:
    framework = _version(request, slug)
    query = request.GET.get("q", "").strip()[:200]
    ksab = request.GET.get("ksab", "")
    competencies = framework.competencies.all()
    if ksab in Competency.Ksab.values:
        competencies = competencies.filter(ksab_type=ksab)
    if query:
        competencies = competencies.filter(search_text__contains=query.casefold())
    groups = framework.groups.prefetch_related(Prefetch("competencies", queryset=competencies))
    groups_shown = [g for g in groups if g.competencies.all()]
    return render(
        request,
        "frameworks/detail.html",
        {
            "framework": framework,
            "groups": groups_shown,
            "shown": sum(len(g.competencies.all()) for g in groups_shown),
            "total": framework.competencies.count(),
            "query": query,
            "ksab": ksab,
            "ksab_choices": Competency.Ksab.choices,
            "versions": selectors.versions(request.user, slug),
        },
    )


def competency_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    framework = _version(request, slug)
    competency = get_object_or_404(
        framework.competencies.select_related("group").prefetch_related("indicators"),
        code=code,
    )
    provenance = getattr(competency, "provenance", None)
    return render(
        request,
        "frameworks/competency.html",
        {
            "framework": framework,
            "competency": competency,
            # Focus-group provenance, when the competency was promoted from elicitation;
            # the statements themselves are research data, shown to researchers only.
            "provenance": provenance,
            "show_statements": provenance is not None
            and provenance.item is not None
            and request.user.has_perm("elicitation.view_project", provenance.item.project),
        },
    )

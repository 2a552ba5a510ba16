"""Framework browser: list, one framework's groups and competencies, one competency."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from rtwcomp.frameworks import services
from rtwcomp.frameworks.models import Competency, Framework


def framework_list(request: HttpRequest) -> HttpResponse:
    return render(request, "frameworks/list.html", {"frameworks": services.latest_per_slug()})


def _version(request: HttpRequest, slug: str) -> Framework:
    """The version asked for with ?version=N, else the current one."""
    asked = request.GET.get("version", "")
    if asked.isdigit():
        return get_object_or_404(Framework, slug=slug, version=int(asked))
    framework = services.current(slug)
    if framework is None:
        raise Http404("No such framework")
    return framework


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
            "versions": services.versions(slug),
        },
    )


def competency_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    framework = _version(request, slug)
    competency = get_object_or_404(
        framework.competencies.select_related("group").prefetch_related("indicators"),
        code=code,
    )
    user = request.user
    return render(
        request,
        "frameworks/competency.html",
        {
            "framework": framework,
            "competency": competency,
            # Focus-group provenance, when the competency was promoted from elicitation;
            # the statements themselves are research data, shown to researchers only.
            "provenance": getattr(competency, "provenance", None),
            "show_statements": user.is_staff or user.has_perm("elicitation.run_elicitation"),
        },
    )

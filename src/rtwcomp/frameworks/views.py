"""Framework browser: list, one framework's groups and competencies, one competency, the
changes between two versions, and publishing a draft."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from rtwcomp import permissions
from rtwcomp.frameworks import selectors, services
from rtwcomp.frameworks.models import Framework


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
    context = selectors.detail_page(request.user, framework, query, request.GET.get("ksab", ""))
    return render(request, "frameworks/detail.html", context)


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


def _number(request: HttpRequest, name: str) -> int | None:
    asked = request.GET.get(name, "")
    return int(asked) if asked.isdigit() and len(asked) < 10 else None


def compare(request: HttpRequest, slug: str) -> HttpResponse:
    """The changes between versions ?from=N and ?to=M (default: the last two)."""
    context = selectors.compare_page(
        request.user, slug, _number(request, "from"), _number(request, "to")
    )
    return render(request, "frameworks/compare.html", context)


def publish(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """GET: what publishing freezes; POST: publish (the owner only; others get 404)."""
    framework = permissions.get_or_404(
        request.user,
        "frameworks.publish_framework",
        Framework.objects.all(),
        slug=slug,
        version=number,
    )
    if request.method == "POST":
        services.publish(framework)
        messages.success(request, _("Version %(n)d is published.") % {"n": number})
        return redirect(reverse("frameworks:detail", args=[slug]) + f"?version={number}")
    return render(request, "frameworks/publish.html", selectors.publish_page(framework))

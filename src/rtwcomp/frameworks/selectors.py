"""Framework versions as one user may see them: published versions for everyone, drafts
for their owner and collaborators (rules in `rtwcomp.permissions`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from rtwcomp import permissions
from rtwcomp.frameworks import services
from rtwcomp.frameworks.models import Competency, Framework


def visible(user: Any) -> Any:
    return permissions.visible(user, Framework.objects.all())


def latest_per_slug(user: Any) -> list[Framework]:
    """The current version of every framework `user` may see."""
    return services.latest_per_slug(visible(user))


def versions(user: Any, slug: str) -> Any:
    return services.versions(slug, visible(user))


def version(user: Any, slug: str, number: int | None = None) -> Framework:
    """Version `number` of `slug` (default: the current one), or 404 when `user` may not see
    it or it does not exist."""
    if number is None:
        found = services.current(slug, visible(user))
    elif not 0 < number < 2**31:
        found = None
    else:
        found = versions(user, slug).filter(version=number).first()
    if found is None:
        raise Http404("No such framework")
    return found


def detail_page(user: Any, framework: Framework, query: str, ksab: str) -> dict[str, Any]:
    """One version's groups with the competencies matching the search `query` and the KSAB
    type `ksab` (either may be blank), groups left empty hidden."""
    competencies = framework.competencies.all()
    if ksab in Competency.Ksab.values:
        competencies = competencies.filter(ksab_type=ksab)
    if query:
        competencies = competencies.filter(search_text__contains=query.casefold())
    groups = framework.groups.prefetch_related(Prefetch("competencies", queryset=competencies))
    shown = [g for g in groups if g.competencies.all()]
    return {
        "framework": framework,
        "groups": shown,
        "shown": sum(len(g.competencies.all()) for g in shown),
        "total": framework.competencies.count(),
        "query": query,
        "ksab": ksab,
        "ksab_choices": Competency.Ksab.choices,
        "versions": versions(user, framework.slug),
    }

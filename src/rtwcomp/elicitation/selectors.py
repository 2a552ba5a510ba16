"""What the elicitation pages show: reads that shape data for one page, no writes.

Access is decided before these are called (`rtwcomp.permissions`, in the views); the rules
and writes are in `services`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from rtwcomp import permissions
from rtwcomp.elicitation import clustering, services
from rtwcomp.elicitation.models import CardSort, Item, Project
from rtwcomp.frameworks import selectors as frameworks


def projects(user: Any) -> QuerySet[Project]:
    """The projects `user` may open."""
    return permissions.editable(user, Project.objects.all())


def project_overview(project: Project) -> dict[str, Any]:
    """The project page: sessions (with their statement counts), participants and counts."""
    return {
        "project": project,
        "sessions": project.sessions.annotate(statement_count=Count("statements")),
        "participants": project.participants.select_related("session"),
        "statement_count": project.statements.count(),
        "open_count": project.statements.filter(item__isnull=True).count(),
        "item_count": project.items.count(),
    }


def suggestions_page(project: Project) -> dict[str, Any]:
    """Open suggestions, the items a statement may join, and whether the semantic method is
    installed here (an import check: no model is loaded)."""
    return {
        "project": project,
        "proposals": services.proposals(project),
        "items": project.items.all(),
        "semantic_available": clustering.semantic_available(),
    }


def items_page(project: Project) -> dict[str, Any]:
    """Items with their counts and the statements (with who said them) behind each."""
    listed = services.items_with_counts(project).prefetch_related(
        "statements__session", "statements__participant"
    )
    return {"project": project, "items": listed}


def sorts_page(user: Any, project: Project) -> dict[str, Any]:
    """The sorts' analysis, its similarity matrix rounded for display, and the frameworks
    `user` may start a sort from."""
    analysis = services.analyze_sorts(project)
    rows = [
        (item, [round(float(x), 2) for x in row])
        for item, row in zip(analysis.items, analysis.matrix, strict=True)
    ]
    return {
        "project": project,
        "analysis": analysis,
        "rows": rows,
        "frameworks": frameworks.latest_per_slug(user),
    }


def sort_board(sort: CardSort) -> dict[str, Any]:
    """One sort as columns of items per group, and the items not placed yet."""
    mapping = services.sort_mapping(sort)
    groups = list(sort.groups.all())
    items: list[Item] = list(sort.project.items.order_by("code"))
    return {
        "project": sort.project,
        "sort": sort,
        "groups": groups,
        "columns": [(g, [i for i in items if mapping.get(i.pk) == g.pk]) for g in groups],
        "unsorted": [i for i in items if i.pk not in mapping],
        "items": items,
        "mapping": mapping,
    }


def dendrogram_input(project: Project) -> tuple[list[str], Any]:
    """The dendrogram's labels (code and the start of the statement) and similarity matrix."""
    analysis = services.analyze_sorts(project)
    return [f"{i.code} {i.statement[:50]}" for i in analysis.items], analysis.matrix

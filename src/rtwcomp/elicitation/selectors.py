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
        "open_count": services.open_statements(project).count(),
        "set_aside_count": project.statements.filter(set_aside=True).count(),
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


STATEMENTS_PER_PAGE = 100


def statements_page(project: Project, form: Any, page: str | None) -> dict[str, Any]:
    """The statements table: filtered by the form's search, session and state, one page
    of `STATEMENTS_PER_PAGE`, with the counts the filters leave."""
    from django.core.paginator import Paginator

    listed = project.statements.select_related("session", "participant", "item")
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("q"):
        listed = listed.filter(text__icontains=data["q"])
    if data.get("session"):
        listed = listed.filter(session=data["session"])
    state = data.get("state", "")
    if state == "open":
        listed = listed.filter(item__isnull=True, set_aside=False)
    elif state == "filed":
        listed = listed.filter(item__isnull=False)
    elif state == "aside":
        listed = listed.filter(set_aside=True)
    paged = Paginator(listed.order_by("position"), STATEMENTS_PER_PAGE).get_page(page)
    query = form.data.copy()
    listing = query.urlencode()  # the search, filters and page, for actions to return to
    query.pop("page", None)
    return {
        "project": project,
        "form": form,
        "page": paged,
        "query": query.urlencode(),
        "listing": f"?{listing}" if listing else "",
        "set_aside_count": project.statements.filter(set_aside=True).count(),
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

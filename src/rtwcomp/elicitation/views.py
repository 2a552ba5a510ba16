"""Researcher pages: project, statements, suggestions, items, card sorts, promotion.

For researchers, on their own projects and those shared with them (`rtwcomp.permissions`).
Each page works as plain forms; the card-sort board adds drag and drop with a static script.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rtwcomp import permissions
from rtwcomp.elicitation import clustering, dendrogram, forms, services
from rtwcomp.elicitation.models import CardSort, Item, Project, Statement
from rtwcomp.frameworks import selectors
from rtwcomp.frameworks.models import Framework
from rtwcomp.interop.errors import InputError
from rtwcomp.interop.statements_csv import read_statements_csv

researcher_required = permissions.researcher_required


def _project(request: HttpRequest, slug: str) -> Project:
    """The project if this user may work on it; 404 otherwise."""
    return permissions.get_or_404(
        request.user, "elicitation.change_project", Project.objects.all(), slug=slug
    )


def _back(project: Project, name: str = "project") -> HttpResponse:
    return redirect(reverse(f"elicitation:{name}", args=[project.slug]))


@researcher_required
def index(request: HttpRequest) -> HttpResponse:
    form = forms.ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(
                form.cleaned_data["name"], form.cleaned_data["role"], owner=request.user
            )
        except services.ElicitationError as error:
            form.add_error("name", str(error))
        else:
            return _back(project)
    projects = permissions.editable(request.user, Project.objects.all())
    return render(request, "elicitation/index.html", {"projects": projects, "form": form})


def _project_page(request: HttpRequest, project: Project, **forms_: Any) -> HttpResponse:
    context = {
        "project": project,
        "sessions": project.sessions.annotate(statement_count=Count("statements")),
        "participants": project.participants.select_related("session"),
        "statement_count": project.statements.count(),
        "open_count": project.statements.filter(item__isnull=True).count(),
        "item_count": project.items.count(),
        "session_form": forms_.get("session_form") or forms.SessionForm(prefix="session"),
        "participant_form": forms_.get("participant_form")
        or forms.ParticipantForm(project=project, prefix="participant"),
        "paste_form": forms_.get("paste_form") or forms.PasteForm(project=project),
        "upload_form": forms_.get("upload_form") or forms.UploadForm(),
        "upload_errors": forms_.get("upload_errors", []),
    }
    return render(request, "elicitation/project.html", context)


@researcher_required
def project(request: HttpRequest, slug: str) -> HttpResponse:
    return _project_page(request, _project(request, slug))


@require_POST
@researcher_required
def add_session(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    form = forms.SessionForm(request.POST, prefix="session")
    form.instance.project = project
    if form.is_valid():
        if project.sessions.filter(code=form.cleaned_data["code"]).exists():
            form.add_error("code", _("A session with this code already exists."))
        else:
            form.save()
            messages.success(request, _("Session added."))
            return _back(project)
    return _project_page(request, project, session_form=form)


@require_POST
@researcher_required
def add_participant(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    form = forms.ParticipantForm(request.POST, project=project, prefix="participant")
    form.instance.project = project
    if form.is_valid():
        if project.participants.filter(code=form.cleaned_data["code"]).exists():
            form.add_error("code", _("A participant with this code already exists."))
        else:
            form.save()
            messages.success(request, _("Participant added."))
            return _back(project)
    return _project_page(request, project, participant_form=form)


@require_POST
@researcher_required
def paste(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    form = forms.PasteForm(request.POST, project=project)
    if form.is_valid():
        try:
            created = services.paste_statements(
                project,
                form.cleaned_data["session"],
                form.cleaned_data["text"],
                form.cleaned_data["participant"],
            )
        except services.ElicitationError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, _("%(n)d statements added.") % {"n": len(created)})
            return _back(project)
    return _project_page(request, project, paste_form=form)


@require_POST
@researcher_required
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    form = forms.UploadForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name
        try:
            # Read and checked in full before the one short transaction that stores it.
            rows = read_statements_csv(upload, name, upload.size)
            count = services.import_statements(project, rows, name)
        except InputError as error:
            errors = error.problems
        else:
            messages.success(request, _("%(n)d statements imported.") % {"n": count})
            return _back(project)
    page = _project_page(request, project, upload_form=form, upload_errors=errors)
    page.status_code = 400
    return page


@researcher_required
def export(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    response = HttpResponse(services.export_csv(project), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{project.slug}-statements.csv"'
    return response


@researcher_required
def suggestions(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    form = forms.SuggestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        method = form.cleaned_data["method"]
        try:
            services.suggest(
                project,
                method,
                form.cleaned_data["threshold"],
                form.cleaned_data["framework"],
            )
        except clustering.SemanticUnavailable:
            form.add_error("method", _("The semantic method is not installed here."))
        else:
            messages.success(request, _("Suggestions updated."))
            return _back(project, "suggestions")
    return render(
        request,
        "elicitation/suggestions.html",
        {
            "project": project,
            "form": form,
            "proposals": services.proposals(project),
            "items": project.items.all(),
        },
    )


def _id(value: str) -> int | None:
    """A database id from a form value; anything else (or too large to be one) is None."""
    return int(value) if value.isdigit() and len(value) < 19 else None


def _statements(project: Project, ids: list[str]) -> list[Statement]:
    wanted = [i for i in map(_id, ids) if i is not None]
    return list(project.statements.filter(pk__in=wanted).order_by("position"))


@require_POST
@researcher_required
def accept(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    statements = _statements(project, request.POST.getlist("statement"))
    target = request.POST.get("target", "")
    item = project.items.filter(pk=_id(target)).first() if _id(target) else None
    try:
        accepted = services.accept(project, statements, request.POST.get("text", ""), item)
    except services.ElicitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(n)d statements now in item %(code)s.")
            % {"n": len(statements), "code": accepted.code},
        )
    return _back(project, "items" if request.POST.get("next") == "items" else "suggestions")


@researcher_required
def items(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    listed = services.items_with_counts(project).prefetch_related(
        "statements__session", "statements__participant"
    )
    return render(
        request,
        "elicitation/items.html",
        {"project": project, "items": listed, "ksab_choices": forms.KSAB_CHOICES},
    )


@require_POST
@researcher_required
def update_item(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    project = _project(request, slug)
    item = get_object_or_404(Item, project=project, code=code)
    try:
        services.update_item(
            item, request.POST.get("statement", ""), request.POST.get("ksab_type", "")
        )
    except services.ElicitationError as error:
        messages.error(request, f"{item.code}: {error}")
    else:
        messages.success(request, _("Item %(code)s saved.") % {"code": item.code})
    return redirect(reverse("elicitation:items", args=[project.slug]) + f"#item-{item.code}")


@require_POST
@researcher_required
def merge_items(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    project = _project(request, slug)
    item = get_object_or_404(Item, project=project, code=code)
    target = project.items.filter(code=request.POST.get("into", "").strip()).first()
    if target is None or target == item:
        messages.error(request, _("Name another item of this project to merge into."))
        return redirect(reverse("elicitation:items", args=[project.slug]) + f"#item-{code}")
    services.merge(target, [item])
    messages.success(request, _("Item %(a)s merged into %(b)s.") % {"a": code, "b": target.code})
    return redirect(reverse("elicitation:items", args=[project.slug]) + f"#item-{target.code}")


@require_POST
@researcher_required
def release(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    statements = _statements(project, request.POST.getlist("statement"))
    services.release(statements)
    messages.success(
        request, _("%(n)d statements taken out of their item.") % {"n": len(statements)}
    )
    return _back(project, "items")


@researcher_required
def sorts(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    analysis = services.analyse_sorts(project)
    rows = [
        (item, [round(float(x), 2) for x in row])
        for item, row in zip(analysis.items, analysis.matrix, strict=True)
    ]
    return render(
        request,
        "elicitation/sorts.html",
        {
            "project": project,
            "analysis": analysis,
            "rows": rows,
            "frameworks": selectors.latest_per_slug(request.user),
            "promote_form": forms.PromoteForm(initial={"slug": project.slug}),
        },
    )


@require_POST
@researcher_required
def start_sort(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    start = request.POST.get("start", "")
    framework = None
    if _id(start) is not None:
        framework = permissions.get_or_404(
            request.user, "frameworks.view_framework", Framework.objects.all(), pk=_id(start)
        )
    if start == "consensus":
        sort = services.adopt_consensus(project, request.user)
    else:
        sort = services.start_sort(project, request.user, request.POST.get("label", ""), framework)
    return redirect(reverse("elicitation:sort", args=[project.slug, sort.pk]))


def _sort(project: Project, pk: int) -> CardSort:
    return get_object_or_404(CardSort, project=project, pk=pk)


@researcher_required
def sort_board(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _project(request, slug)
    sort = _sort(project, pk)
    if request.method == "POST":
        placements: dict[int, int | None] = {}
        for key, value in request.POST.items():
            item_id = _id(key[5:]) if key.startswith("item-") else None
            if item_id is not None:
                placements[item_id] = _id(value)
        try:
            services.place(sort, placements)
        except services.ElicitationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Sort saved."))
        return redirect(reverse("elicitation:sort", args=[project.slug, sort.pk]))
    mapping = services.sort_mapping(sort)
    groups = list(sort.groups.all())
    all_items = list(project.items.order_by("code"))
    columns = [(g, [i for i in all_items if mapping.get(i.pk) == g.pk]) for g in groups]
    unsorted = [i for i in all_items if i.pk not in mapping]
    return render(
        request,
        "elicitation/sort.html",
        {
            "project": project,
            "sort": sort,
            "groups": groups,
            "columns": columns,
            "unsorted": unsorted,
            "items": all_items,
            "mapping": mapping,
            "promote_form": forms.PromoteForm(initial={"slug": project.slug}),
        },
    )


@require_POST
@researcher_required
def add_group(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _project(request, slug)
    sort = _sort(project, pk)
    try:
        services.add_group(sort, request.POST.get("name", ""))
    except services.ElicitationError as error:
        messages.error(request, str(error))
    return redirect(reverse("elicitation:sort", args=[project.slug, sort.pk]))


@require_POST
@researcher_required
def promote(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _project(request, slug)
    sort = _sort(project, pk)
    form = forms.PromoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the framework a slug and a name."))
        return redirect(reverse("elicitation:sort", args=[project.slug, sort.pk]))
    try:
        framework = services.promote(
            project, sort, form.cleaned_data["slug"], form.cleaned_data["name"], request.user
        )
    except services.ElicitationError as error:
        messages.error(request, str(error))
        return redirect(reverse("elicitation:sort", args=[project.slug, sort.pk]))
    messages.success(request, _("Framework draft created."))
    url = reverse("frameworks:detail", args=[framework.slug])
    return redirect(f"{url}?version={framework.version}")


@researcher_required
def dendrogram_svg(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    analysis = services.analyse_sorts(project)
    labels = [f"{i.code} {i.statement[:50]}" for i in analysis.items]
    svg = dendrogram.render(labels, analysis.matrix, title=_("Item dendrogram"))
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")

"""Researcher pages: project, statements, suggestions, items, card sorts, promotion.

For researchers, on their own projects and those shared with them (`rtwcomp.permissions`).
Each page works as plain forms; the card-sort board adds drag and drop with a static script.
Views only parse the request, call one selector (`selectors`) or service (`services`) and
render; a refused service call (`ElicitationError`) shows its message on the form's field.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rtwcomp import permissions
from rtwcomp.elicitation import dendrogram, forms, jobs, selectors, services
from rtwcomp.elicitation.models import CardSort, Item, Project, Statement
from rtwcomp.frameworks.models import Framework
from rtwcomp.interop.errors import InputError
from rtwcomp.interop.statements_csv import read_statements_csv

researcher_required = permissions.researcher_required
ElicitationError = services.ElicitationError


def _project(request: HttpRequest, slug: str) -> Project:
    """The project if this user may work on it; 404 otherwise."""
    return permissions.get_or_404(
        request.user, "elicitation.change_project", Project.objects.all(), slug=slug
    )


def _sort(project: Project, pk: int) -> CardSort:
    return get_object_or_404(CardSort, project=project, pk=pk)


def _back(project: Project, name: str = "project", *args: Any, anchor: str = "") -> HttpResponse:
    return redirect(reverse(f"elicitation:{name}", args=[project.slug, *args]) + anchor)


def _id(value: str) -> int | None:
    """A database id from a form value; anything else (or too large to be one) is None."""
    return int(value) if value.isdigit() and len(value) < 19 else None


def _statements(project: Project, ids: list[str]) -> list[Statement]:
    wanted = [i for i in map(_id, ids) if i is not None]
    return list(project.statements.filter(pk__in=wanted).order_by("position"))


def _project_page(
    request: HttpRequest, project: Project, status: int = 200, **bound: Any
) -> HttpResponse:
    context = selectors.project_overview(project) | forms.project_forms(project, **bound)
    return render(request, "elicitation/project.html", context, status=status)


@researcher_required
def index(request: HttpRequest) -> HttpResponse:
    form = forms.ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.create_project(data["name"], data["role"], owner=request.user)
        except ElicitationError as error:
            form.add_error("name", str(error))
        else:
            return _back(project)
    context = {"projects": selectors.projects(request.user), "form": form}
    return render(request, "elicitation/index.html", context)


@researcher_required
def project(request: HttpRequest, slug: str) -> HttpResponse:
    return _project_page(request, _project(request, slug))


@require_POST
@researcher_required
def add_session(request: HttpRequest, slug: str) -> HttpResponse:
    form = forms.SessionForm(request.POST, prefix="session")
    return _add(request, slug, form, services.add_session, _("Session added."), "session_form")


@require_POST
@researcher_required
def add_participant(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    form = forms.ParticipantForm(request.POST, project=project, prefix="participant")
    done = _("Participant added.")
    return _add(request, slug, form, services.add_participant, done, "participant_form")


def _add(
    request: HttpRequest, slug: str, form: Any, add: Any, done: str, name: str
) -> HttpResponse:
    """Add a session or participant from `form`; a refusal shows on its code field."""
    project = _project(request, slug)
    if form.is_valid():
        try:
            add(project, **form.cleaned_data)
        except ElicitationError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, done)
            return _back(project)
    return _project_page(request, project, **{name: form})


@require_POST
@researcher_required
def paste(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    form = forms.PasteForm(request.POST, project=project)
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = services.paste_statements(
                project, data["session"], data["text"], data["participant"]
            )
        except ElicitationError as error:
            form.add_error("text", str(error))
        else:
            n = len(created)
            messages.success(
                request, ngettext("%(n)d statement added.", "%(n)d statements added.", n) % {"n": n}
            )
            return _back(project)
    return _project_page(request, project, paste_form=form)


@require_POST
@researcher_required
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    form = forms.UploadForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        file = form.cleaned_data["file"]
        if jobs.import_in_background(file):  # a large file: a job reads and stores it
            return redirect("jobs:detail", job=jobs.start_import(project, file, request.user).pk)
        try:
            # Read and checked in full before the one short transaction that stores it.
            rows = read_statements_csv(file, file.name, file.size)
            count = services.import_statements(project, rows, file.name)
        except InputError as error:
            errors = error.problems
        else:
            done = ngettext("%(n)d statement imported.", "%(n)d statements imported.", count)
            messages.success(request, done % {"n": count})
            return _back(project)
    return _project_page(request, project, 400, upload_form=form, upload_errors=errors)


@researcher_required
def export(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    response = HttpResponse(services.export_csv(project), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{project.slug}-statements.csv"'
    return response


@researcher_required
def suggestions(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the open suggestions and the form. POST: start suggesting as a background job
    (`elicitation.jobs`) and go to the job's page, which links back here."""
    project = _project(request, slug)
    form = forms.SuggestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = jobs.start_suggest(project, request.user, **form.cleaned_data)  # a minute or so
        return redirect("jobs:detail", job=job.pk)
    context = selectors.suggestions_page(project) | {"form": form}
    return render(request, "elicitation/suggestions.html", context)


@require_POST
@researcher_required
def accept(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    statements = _statements(project, request.POST.getlist("statement"))
    target = _id(request.POST.get("target", ""))
    item = project.items.filter(pk=target).first() if target else None
    try:
        accepted = services.accept(project, statements, request.POST.get("text", ""), item)
    except ElicitationError as error:
        messages.error(request, str(error))
    else:
        n = len(statements)
        done = ngettext(
            "%(n)d statement now in item %(code)s.", "%(n)d statements now in item %(code)s.", n
        )
        messages.success(request, done % {"n": n, "code": accepted.code})
    return _back(project, "items" if request.POST.get("next") == "items" else "suggestions")


DONE = {
    "accept": lambda n: ngettext("%(n)d statement accepted.", "%(n)d statements accepted.", n),
    "reject": lambda n: ngettext(
        "%(n)d suggestion rejected; it will not be proposed again.",
        "%(n)d suggestions rejected; they will not be proposed again.",
        n,
    ),
    "aside": lambda n: ngettext("%(n)d statement set aside.", "%(n)d statements set aside.", n),
    "restore": lambda n: ngettext("%(n)d statement restored.", "%(n)d statements restored.", n),
}


def _done(request: HttpRequest, action: str, n: int) -> None:
    messages.success(request, DONE[action](n) % {"n": n})


@require_POST
@researcher_required
def decide(request: HttpRequest, slug: str) -> HttpResponse:
    """Accept, reject or set aside the ticked suggestions of the suggestions page at once."""
    project = _project(request, slug)
    action, decisions = forms.decisions(project, request.POST)
    try:
        n = services.decide(project, action, decisions)
    except ElicitationError as error:
        messages.error(request, str(error))
    else:
        _done(request, action, n)
    return _back(project, "suggestions")


@researcher_required
def statements(request: HttpRequest, slug: str) -> HttpResponse:
    """The statements table: search, filter by session or state, page through."""
    project = _project(request, slug)
    form = forms.StatementFilter(request.GET, project=project)
    context = selectors.statements_page(project, form, request.GET.get("page"))
    return render(request, "elicitation/statements.html", context)


@require_POST
@researcher_required
def aside(request: HttpRequest, slug: str) -> HttpResponse:
    """Set the ticked statements aside as off-topic, or restore them."""
    project = _project(request, slug)
    chosen = forms.statements_of(project, request.POST.getlist("statement"))
    action = "restore" if request.POST.get("action") == "restore" else "aside"
    services.set_aside(project, chosen, aside=action == "aside")
    _done(request, action, len(chosen))
    return _back(project, "statements", anchor=_listing(request))


def _listing(request: HttpRequest) -> str:
    """The table's search, filters and page, from the form's address, to return to them."""
    kept = QueryDict(mutable=True)
    for key in TABLE_KEYS:
        if request.GET.get(key):
            kept[key] = request.GET[key][:200]
    return "?" + kept.urlencode() if kept else ""


TABLE_KEYS = ("q", "session", "state", "page")


@researcher_required
def edit_statement(request: HttpRequest, slug: str, statement: int) -> HttpResponse:
    """Correct a statement's words; the change is kept in the project's history."""
    project = _project(request, slug)
    statement = get_object_or_404(Statement, project=project, pk=statement)
    form = forms.StatementEditForm(request.POST or None, initial={"text": statement.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_statement(statement, form.cleaned_data["text"])
        except ElicitationError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, _("Statement %(id)s saved.") % {"id": statement.external_id})
            return _back(project, "statements")
    context = {"project": project, "statement": statement, "form": form}
    return render(request, "elicitation/statement_edit.html", context)


@require_POST
@researcher_required
def delete_statement(request: HttpRequest, slug: str, statement: int) -> HttpResponse:
    project = _project(request, slug)
    statement = get_object_or_404(Statement, project=project, pk=statement)
    services.delete_statement(statement)
    messages.success(request, _("Statement %(id)s deleted.") % {"id": statement.external_id})
    return _back(project, "statements", anchor=_listing(request))


@require_POST
@researcher_required
def set_types(request: HttpRequest, slug: str) -> HttpResponse:
    """Give the ticked items (or every item still without one) one KSAB type."""
    project = _project(request, slug)
    if request.POST.get("scope") == "untyped":
        chosen = list(project.items.filter(ksab_type=""))
    else:
        chosen = forms.items_of(project, request.POST.getlist("item"))
    try:
        n = services.set_types(project, chosen, request.POST.get("ksab_type", ""))
    except ElicitationError as error:
        messages.error(request, str(error))
    else:
        done = ngettext("%(n)d item typed.", "%(n)d items typed.", n)
        messages.success(request, done % {"n": n})
    return _back(project, "items")


@researcher_required
def items(request: HttpRequest, slug: str) -> HttpResponse:
    context = selectors.items_page(_project(request, slug)) | {"ksab_choices": forms.KSAB_CHOICES}
    return render(request, "elicitation/items.html", context)


def _item(request: HttpRequest, slug: str, code: str) -> tuple[Project, Item]:
    project = _project(request, slug)
    return project, get_object_or_404(Item, project=project, code=code)


@require_POST
@researcher_required
def update_item(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    project, item = _item(request, slug, code)
    try:
        services.update_item(
            item, request.POST.get("statement", ""), request.POST.get("ksab_type", "")
        )
    except ElicitationError as error:
        messages.error(request, f"{item.code}: {error}")
    else:
        messages.success(request, _("Item %(code)s saved.") % {"code": item.code})
    return _back(project, "items", anchor=f"#item-{item.code}")


@require_POST
@researcher_required
def merge_items(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    project, item = _item(request, slug, code)
    try:
        target = services.merge_into(item, request.POST.get("into", ""))
    except ElicitationError as error:
        messages.error(request, str(error))
        return _back(project, "items", anchor=f"#item-{code}")
    messages.success(request, _("Item %(a)s merged into %(b)s.") % {"a": code, "b": target.code})
    return _back(project, "items", anchor=f"#item-{target.code}")


@require_POST
@researcher_required
def release(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    statements = _statements(project, request.POST.getlist("statement"))
    services.release(statements)
    n = len(statements)
    done = ngettext(
        "%(n)d statement taken out of its item.", "%(n)d statements taken out of their item.", n
    )
    messages.success(request, done % {"n": n})
    return _back(project, "items")


@researcher_required
def sorts(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    context = selectors.sorts_page(request.user, project) | {
        "promote_form": forms.PromoteForm(initial={"slug": project.slug})
    }
    return render(request, "elicitation/sorts.html", context)


@require_POST
@researcher_required
def start_sort(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    start = request.POST.get("start", "")
    if start == "consensus":
        sort = services.adopt_consensus(project, request.user)
    else:
        framework: Framework | None = None
        if _id(start) is not None:
            framework = permissions.get_or_404(
                request.user, "frameworks.view_framework", Framework.objects.all(), pk=_id(start)
            )
        sort = services.start_sort(project, request.user, request.POST.get("label", ""), framework)
    return _back(project, "sort", sort.pk)


def _placements(data: Any) -> dict[int, int | None]:
    """Item id -> group id (None: unsorted) from the board's `item-<id>` fields."""
    placements: dict[int, int | None] = {}
    for key, value in data.items():
        item_id = _id(key[5:]) if key.startswith("item-") else None
        if item_id is not None:
            placements[item_id] = _id(value)
    return placements


@researcher_required
def sort_board(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _project(request, slug)
    sort = _sort(project, pk)
    if request.method == "POST":
        try:
            services.place(sort, _placements(request.POST))
        except ElicitationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Sort saved."))
        return _back(project, "sort", sort.pk)
    context = selectors.sort_board(sort) | {
        "promote_form": forms.PromoteForm(initial={"slug": project.slug})
    }
    return render(request, "elicitation/sort.html", context)


@require_POST
@researcher_required
def add_group(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _project(request, slug)
    sort = _sort(project, pk)
    try:
        services.add_group(sort, request.POST.get("name", ""))
    except ElicitationError as error:
        messages.error(request, str(error))
    return _back(project, "sort", sort.pk)


@require_POST
@researcher_required
def promote(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _project(request, slug)
    sort = _sort(project, pk)
    form = forms.PromoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the framework a slug and a name."))
        return _back(project, "sort", sort.pk)
    data = form.cleaned_data
    try:
        framework = services.promote(project, sort, data["slug"], data["name"], request.user)
    except ElicitationError as error:
        messages.error(request, str(error))
        return _back(project, "sort", sort.pk)
    messages.success(request, _("Framework draft created."))
    url = reverse("frameworks:detail", args=[framework.slug])
    return redirect(f"{url}?version={framework.version}")


@researcher_required
def dendrogram_svg(request: HttpRequest, slug: str) -> HttpResponse:
    labels, matrix = selectors.dendrogram_input(_project(request, slug))
    svg = dendrogram.render(labels, matrix, title=_("Item dendrogram"))
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")

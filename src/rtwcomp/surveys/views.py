"""Researcher pages: studies, set-up, panel, live results and exports. Thin: each view parses
its input, calls one selector or service (selectors, studies, actions, invitations, exports,
report_data) and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rtwcomp import permissions
from rtwcomp.interop.errors import InputError
from rtwcomp.surveys import (
    actions,
    exports,
    invitations,
    jobs,
    report_data,
    selectors,
    studies,
)
from rtwcomp.surveys.forms import PanelForm, StudyForm

researcher_required = permissions.researcher_required


@researcher_required
def study_list(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/list.html", {"studies": selectors.study_list(request.user)})


@researcher_required
def study_new(request: HttpRequest) -> HttpResponse:
    form = StudyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            study = studies.create_study(owner=request.user, **form.cleaned_data)
        except studies.SetupError as error:
            form.add_error("items", str(error))
        else:
            messages.success(request, _("Study created as a draft."))
            return redirect("surveys:detail", slug=study.slug)
    return render(request, "surveys/new.html", {"form": form}, status=400 if form.errors else 200)


@researcher_required
def study_detail(request: HttpRequest, slug: str) -> HttpResponse:
    context = selectors.study_page(selectors.study(request.user, slug))
    context["panel_form"] = PanelForm()
    context["respondent_url"] = request.build_absolute_uri(reverse("surveys:landing", args=[slug]))
    return render(request, "surveys/detail.html", context)


@researcher_required
@require_POST
def study_action(request: HttpRequest, slug: str) -> HttpResponse:
    """One button of the study page: open, close, invite, remind or next-round."""
    study = selectors.study(request.user, slug)
    action = actions.ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        raise Http404
    try:
        messages.success(request, action(study, request.user))
    except studies.SetupError as error:
        messages.error(request, str(error))
    return redirect("surveys:detail", slug=study.slug)


@researcher_required
@require_POST
def panel_upload(request: HttpRequest, slug: str) -> HttpResponse:
    study = selectors.study(request.user, slug)
    form = PanelForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file to upload."))
        return redirect("surveys:detail", slug=study.slug)
    upload = form.cleaned_data["panel"]
    try:
        added = invitations.import_panel(study, upload, upload.name, upload.size)
    except InputError as error:
        messages.error(request, _("Nothing imported:") + " " + " · ".join(error.problems[:20]))
    else:
        messages.success(
            request,
            _("%(added)d invitee(s) added, %(already)d already on the panel.")
            % {"added": added.added, "already": added.already},
        )
    return redirect("surveys:detail", slug=study.slug)


@researcher_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    context = selectors.dashboard(
        selectors.study(request.user, slug),
        sort=request.GET.get("sort", "rank"),
        descending=request.GET.get("dir") == "desc",
        group=request.GET.get("group", ""),
        key_only=request.GET.get("key") == "1",
    )
    context["columns"] = _header_links(request.GET, context.get("columns", []))
    return render(request, "surveys/dashboard.html", context)


def _header_links(query: QueryDict, columns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each sortable header links to its sort (descending when already sorted ascending),
    keeping the filters."""
    for column in columns:
        column["href"] = ""
        if column["key"]:
            link = query.copy()
            link["sort"] = column["key"]
            link.pop("dir", None)
            if column["aria_sort"] == "ascending":
                link["dir"] = "desc"
            column["href"] = "?" + link.urlencode()
    return columns


@researcher_required
def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The study's export file; a large study's (`jobs.LARGE_EXPORT_ANSWERS`) is made by a
    background job, whose page this redirects to."""
    study = selectors.study(request.user, slug)
    if fmt not in exports.FORMATS:
        raise Http404
    if jobs.export_is_large(study):
        return redirect("jobs:detail", job=jobs.start_export(study, fmt, request.user).pk)
    response = HttpResponse(exports.export_bytes(study, fmt), content_type=exports.FORMATS[fmt][0])
    response["Content-Disposition"] = f'attachment; filename="{study.slug}.{fmt}"'
    return response


@researcher_required
def report_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """POST: start the study report (a file: its HTML carries inline CSS, so it is never a
    page shown under the site's Content-Security-Policy) as a background job and go to the
    job's page. GET (an older link): the dashboard, whose buttons start it."""
    study = selectors.study(request.user, slug)
    if fmt not in report_data.FORMATS:
        raise Http404
    if request.method != "POST":
        return redirect("surveys:dashboard", slug=study.slug)
    try:
        job = jobs.start_report(study, fmt, request.user)
    except report_data.NothingToReport:
        messages.error(request, _("There is no completed response to report on yet."))
        return redirect("surveys:dashboard", slug=study.slug)
    return redirect("jobs:detail", job=job.pk)

"""Researcher pages: studies, set-up, panel, live results and exports. Thin: each view parses
its input, calls one selector or service (selectors, studies, actions, invitations, exports,
report_data) and renders."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rtwcomp import permissions
from rtwcomp.interop.errors import InputError
from rtwcomp.site import mail
from rtwcomp.surveys import (
    actions,
    exports,
    invitations,
    jobs,
    report_data,
    selectors,
    studies,
)
from rtwcomp.surveys.forms import (
    PanelForm,
    StudyForm,
    ordered_questions,
    question_formset,
    study_initial,
)
from rtwcomp.surveys.models import Study

researcher_required = permissions.researcher_required


@researcher_required
def study_list(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/list.html", {"studies": selectors.study_list(request.user)})


@researcher_required
def study_new(request: HttpRequest) -> HttpResponse:
    """The study form; "show" and "search" draw it again with the selection, unsaved."""
    form = _study_form(request, None)
    if form.is_bound and form.is_valid():
        try:
            study = studies.create_study(owner=request.user, **form.setup())
        except studies.SetupError as error:
            form.add_error("selection", str(error))
        else:
            messages.success(request, _("Study created as a draft."))
            return redirect("surveys:detail", slug=study.slug)
    return _setup_page(request, form, None)


@researcher_required
def study_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """A draft study's items, texts, settings and dates."""
    study = selectors.study(request.user, slug)
    form = _study_form(request, study)
    if form.is_bound and form.is_valid():
        try:
            studies.update_study(study, **form.setup())
        except studies.SetupError as error:
            form.add_error("selection", str(error))
        else:
            messages.success(request, _("The study is saved."))
            return redirect("surveys:detail", slug=study.slug)
    return _setup_page(request, form, study)


def _study_form(request: HttpRequest, study: Study | None) -> StudyForm:
    """Bound to a POST that saves; drawn again, unchecked, for any other step."""
    if request.method == "POST" and request.POST.get("step", "save") == "save":
        return StudyForm(request.POST, user=request.user)
    if request.method == "POST":
        return StudyForm.redrawn(request.POST, request.user)
    initial = study_initial(study) if study is not None else {}
    return StudyForm(initial=initial, user=request.user)


def _setup_page(request: HttpRequest, form: StudyForm, study: Study | None) -> HttpResponse:
    context = selectors.setup_page(form, study)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "surveys/setup.html", context, status=status)


@researcher_required
def study_questions(request: HttpRequest, slug: str) -> HttpResponse:
    """A draft study's questions about respondents: change, add, remove, reorder."""
    study = selectors.study(request.user, slug)
    if request.method == "POST" and request.POST.get("step") == "defaults":
        return _restore_questions(request, study)
    formset = question_formset(request.POST or None, list(study.questions.all()))
    if formset.is_bound and formset.is_valid():
        try:
            studies.replace_questions(study, ordered_questions(formset))
        except studies.SetupError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The questions are saved."))
            return redirect("surveys:questions", slug=study.slug)
    context = {"study": study, "formset": formset}
    status = 400 if formset.is_bound else 200
    return render(request, "surveys/questions.html", context, status=status)


def _restore_questions(request: HttpRequest, study: Study) -> HttpResponse:
    try:
        studies.restore_default_questions(study)
    except studies.SetupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The default questions are back."))
    return redirect("surveys:questions", slug=study.slug)


@researcher_required
@require_http_methods(["GET", "POST"])
def study_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The instrument as respondents see it, in English or French; nothing is stored: the
    respondent pages' buttons only move through the preview."""
    study = selectors.study(request.user, slug)
    language = _preview_language(request.GET.get("lang", ""))
    number = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 0
    if request.method == "POST":
        number, language = _preview_step(request.POST, number, language)
        query = urlencode({"lang": language, "page": number})
        return redirect(reverse("surveys:preview", args=[study.slug]) + "?" + query)
    with translation.override(language):
        context = selectors.preview_page(study, number)
        context["preview_language"] = language
        return render(request, "surveys/preview.html", context)


def _preview_language(language: str) -> str:
    return language if language in dict(settings.LANGUAGES) else "en"


def _preview_step(post: QueryDict, number: int, language: str) -> tuple[int, str]:
    """Where a respondent page's button leads in the preview (no answer is kept)."""
    action = post.get("action", "next")
    if action == "language":
        return number, _preview_language(post.get("language", language))
    if action == "back":
        return max(0, number - 1), language
    if action == "save":
        return number, language
    return number + 1, language


@researcher_required
def study_detail(request: HttpRequest, slug: str) -> HttpResponse:
    study = selectors.study(request.user, slug)
    context = selectors.study_page(study)
    context["large_export"] = jobs.export_is_large(study)  # its exports start jobs (POST)
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
        messages.success(request, action(study, request.user, mail.site_url(request)))
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
    if jobs.panel_in_background(upload):  # a large file: a job reads and stores it
        return redirect("jobs:detail", job=jobs.start_panel_import(study, upload, request.user).pk)
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
    background job started by a POST, whose page this redirects to (a GET goes back to the
    study page, whose buttons start it)."""
    study = selectors.study(request.user, slug)
    if fmt not in exports.FORMATS:
        raise Http404
    if jobs.export_is_large(study):
        if request.method != "POST":  # only the study page's buttons start a job, never a link
            messages.info(request, _("This study is large: its files are made in the background."))
            return redirect("surveys:detail", slug=study.slug)
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

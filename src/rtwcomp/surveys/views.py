"""Researcher pages: studies, set-up, panel, live results and exports. Thin: the rules are
in setup, invitations, results and exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rtwcomp import permissions
from rtwcomp.interop.errors import InputError
from rtwcomp.interop.panel_csv import read_panel_csv
from rtwcomp.stats import SurveyDataError
from rtwcomp.surveys import exports, invitations, report, results, selectors, setup
from rtwcomp.surveys.forms import PanelForm, StudyForm
from rtwcomp.surveys.models import Response, Study

researcher_required = permissions.researcher_required


@researcher_required
def study_list(request: HttpRequest) -> HttpResponse:
    studies = selectors.studies(request.user).select_related("framework")
    return render(request, "surveys/list.html", {"studies": studies})


@researcher_required
def study_new(request: HttpRequest) -> HttpResponse:
    form = StudyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        extras = [c for c in data.pop("extras").split(",") if c.strip()]
        try:
            study = setup.create_study(owner=request.user, extras=extras, **data)
        except setup.SetupError as error:
            form.add_error("items", str(error))
        else:
            messages.success(request, _("Study created as a draft."))
            return redirect("surveys:detail", slug=study.slug)
    return render(request, "surveys/new.html", {"form": form}, status=400 if form.errors else 200)


@researcher_required
def study_detail(request: HttpRequest, slug: str) -> HttpResponse:
    study = selectors.study(request.user, slug)
    completed = Response.objects.filter(study=study, submitted_on__isnull=False).count()
    started = Response.objects.filter(study=study).count()
    return render(
        request,
        "surveys/detail.html",
        {
            "study": study,
            "respondent_url": request.build_absolute_uri(
                reverse("surveys:landing", args=[study.slug])
            ),
            "completed": completed,
            "in_progress": started - completed,
            "rate": invitations.response_rate(study),
            "round": study.current_round(),
            "panel_form": PanelForm(),
            "formats": [(f, f.upper()) for f in exports.FORMATS],
        },
    )


@researcher_required
@require_POST
def study_action(request: HttpRequest, slug: str) -> HttpResponse:
    study = selectors.study(request.user, slug)
    action = request.POST.get("action", "")
    try:
        if action == "open":
            setup.open_study(study)
            messages.success(request, _("The study is open."))
        elif action == "close":
            setup.close_study(study)
            messages.success(request, _("The study is closed."))
        elif action in ("invite", "remind"):
            sent = invitations.send(study, reminders=action == "remind")
            messages.success(request, _("%(n)d e-mail(s) sent.") % {"n": sent})
        elif action == "next-round":
            following = setup.start_next_round(study)
            messages.success(
                request,
                _("Round %(n)d is open with %(items)d item(s).")
                % {"n": following.number, "items": following.items.count()},
            )
        else:
            raise Http404
    except setup.SetupError as error:
        messages.error(request, str(error))
    return redirect("surveys:detail", slug=study.slug)


@researcher_required
@require_POST
def panel_upload(request: HttpRequest, slug: str) -> HttpResponse:
    study = selectors.study(request.user, slug)
    form = PanelForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["panel"]
        try:
            # Read and checked in full before the one short transaction that stores it.
            invitees = read_panel_csv(upload, upload.name, upload.size)
            added = invitations.add_panel(study, invitees)
        except InputError as error:
            messages.error(request, _("Nothing imported:") + " " + " · ".join(error.problems[:20]))
        else:
            messages.success(
                request,
                _("%(added)d invitee(s) added, %(already)d already on the panel.")
                % {"added": added.added, "already": added.already},
            )
    else:
        messages.error(request, _("Choose a CSV file to upload."))
    return redirect("surveys:detail", slug=study.slug)


def _analysis(study: Study) -> tuple[results.StudyData, Any] | None:
    """The analysis of the first round, cached until a new response is completed."""
    done = Response.objects.filter(study=study, submitted_on__isnull=False)
    stamp = done.aggregate(last=Max("id"))["last"]
    if stamp is None:
        return None
    key = f"rtwcomp:analysis:{study.pk}:{done.count()}:{stamp}"
    found = cache.get(key)
    if found is None:
        found = results.analyse(study)
        cache.set(key, found, 600)
    return found  # type: ignore[no-any-return]


COLUMNS = [
    ("rank", gettext_lazy("Rank")),
    ("item", gettext_lazy("Item")),
    ("", gettext_lazy("Statement")),
    ("group", gettext_lazy("Group")),
    ("n", "n"),
    ("mean", gettext_lazy("Mean")),
    ("share_top", gettext_lazy("Share top")),
    # xgettext:no-python-format
    ("", gettext_lazy("95% interval")),
    ("", gettext_lazy("Key")),
]
SORTS = {key for key, _label in COLUMNS if key}


def _columns(request: HttpRequest, sort: str, descending: bool) -> list[dict[str, str]]:
    """Header cells: each sortable one links to its sort, keeping the filters."""
    cells = []
    for key, label in COLUMNS:
        cell = {"label": str(label), "href": "", "aria_sort": ""}
        if key:
            query = request.GET.copy()
            query["sort"] = key
            query.pop("dir", None)
            if key == sort and not descending:
                query["dir"] = "desc"
            cell["href"] = "?" + query.urlencode()
        if key == sort:
            cell["aria_sort"] = "descending" if descending else "ascending"
        cells.append(cell)
    return cells


@researcher_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    study = selectors.study(request.user, slug)
    context: dict[str, Any] = {"study": study, "analysis": None}
    try:
        found = _analysis(study)
    except SurveyDataError as error:
        context["error"] = str(error)
        found = None
    if found is not None:
        data, analysis = found
        context.update(_dashboard_tables(request, study, data, analysis))
    context["over_time"] = results.counts_over_time(study)
    if study.delphi:
        context["rounds"] = results.delphi_summary(study)
    return render(request, "surveys/dashboard.html", context)


def _dashboard_tables(
    request: HttpRequest, study: Study, data: results.StudyData, analysis: Any
) -> dict[str, Any]:
    items = analysis.items.copy()
    sort = request.GET.get("sort", "rank")
    sort = sort if sort in SORTS else "rank"
    descending = request.GET.get("dir") == "desc"
    group = request.GET.get("group", "")
    if group:
        items = items[items["group"] == group]
    if request.GET.get("key") == "1":
        items = items[items["key"].fillna(False).astype(bool)]
    items = items.sort_values(sort, ascending=not descending, kind="stable")
    acquisition = results.acquisition(study, data)
    by_group = (
        acquisition.drop(columns=["item", "n"]).groupby("group", sort=False).mean()
        if not acquisition.empty
        else None
    )
    return {
        "analysis": analysis,
        "items": items.to_dict("records"),
        "groups": analysis.groups.to_dict("records"),
        "subgroups": analysis.subgroup_tests.to_dict("records"),
        "group_names": list(analysis.groups["group"]),
        "sort": sort,
        "descending": descending,
        "columns": _columns(request, sort, descending),
        "group_filter": group,
        "key_only": request.GET.get("key") == "1",
        "respondents": len(data.responses),
        "key_count": int(analysis.items["key"].fillna(False).astype(bool).sum()),
        "acquisition": acquisition.to_dict("records"),
        "acquisition_groups": by_group.reset_index().to_dict("records")
        if by_group is not None
        else [],
        "routes": [c for c in acquisition.columns if c not in ("item", "group", "n")],
    }


@researcher_required
def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    study = selectors.study(request.user, slug)
    if fmt not in exports.FORMATS:
        raise Http404
    response = HttpResponse(exports.export_bytes(study, fmt), content_type=exports.FORMATS[fmt][0])
    response["Content-Disposition"] = f'attachment; filename="{study.slug}.{fmt}"'
    return response


@researcher_required
def report_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The study report as an attachment: the HTML carries inline CSS, so it is a file to
    save, never a page shown under the site's Content-Security-Policy."""
    study = selectors.study(request.user, slug)
    if fmt not in report.FORMATS:
        raise Http404
    try:
        content = report.render(study, fmt, _analysis(study))
    except report.NothingToReport:
        messages.error(request, _("There is no completed response to report on yet."))
        return redirect("surveys:dashboard", slug=study.slug)
    except SurveyDataError as error:
        messages.error(request, str(error))
        return redirect("surveys:dashboard", slug=study.slug)
    response = HttpResponse(content, content_type=report.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{study.slug}-report.{fmt}"'
    return response

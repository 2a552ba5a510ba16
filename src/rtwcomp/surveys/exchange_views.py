"""A study's instrument for REDCap and LimeSurvey, and responses imported from them (or
from rtwcomp's own CSV), on the study's page. Thin: parse, one call to
`surveys.exchange`, answer."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rtwcomp import permissions
from rtwcomp.interop.errors import InputError
from rtwcomp.surveys import exchange, selectors

FILES = {
    "redcap-dictionary": ("text/csv; charset=utf-8", "redcap-dictionary.csv"),
    "limesurvey-structure": ("text/tab-separated-values; charset=utf-8", "limesurvey.txt"),
    "case": ("application/json", "case.json"),
}


class ResponsesForm(forms.Form):
    responses = forms.FileField(label=gettext_lazy("Responses file"))
    format = forms.ChoiceField(
        label=gettext_lazy("Exported by"),
        choices=[
            ("redcap", gettext_lazy("REDCap (records, CSV, raw codes)")),
            ("limesurvey", gettext_lazy("LimeSurvey (responses, CSV, question codes)")),
            ("csv", gettext_lazy("rtwcomp (responses CSV, codes)")),
        ],
    )


def _instrument(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    study = selectors.study(request.user, slug)
    content_type, ending = FILES[fmt]
    response = HttpResponse(exchange.export_bytes(study, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{study.slug}-{ending}"'
    return response


@permissions.researcher_required
def redcap_dictionary(request: HttpRequest, slug: str) -> HttpResponse:
    return _instrument(request, slug, "redcap-dictionary")


@permissions.researcher_required
def limesurvey_structure(request: HttpRequest, slug: str) -> HttpResponse:
    return _instrument(request, slug, "limesurvey-structure")


@permissions.researcher_required
def case_package(request: HttpRequest, slug: str) -> HttpResponse:
    """The study's framework version as CASE, with the study's validation statistics."""
    return _instrument(request, slug, "case")


@permissions.researcher_required
@require_POST
def import_responses(request: HttpRequest, slug: str) -> HttpResponse:
    """Import completed responses; the report (or every problem) as messages."""
    study = selectors.study(request.user, slug)
    form = ResponsesForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a responses file and the tool that exported it."))
        return redirect("surveys:detail", slug=study.slug)
    upload = form.cleaned_data["responses"]
    try:
        report = exchange.import_responses(
            study, upload, upload.name, form.cleaned_data["format"], size=upload.size
        )
    except InputError as error:
        messages.error(request, _("Nothing imported:") + " " + " · ".join(error.problems[:20]))
    else:
        messages.success(request, " ".join(report.lines()))
    return redirect("surveys:detail", slug=study.slug)

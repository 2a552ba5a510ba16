"""Framework files on the web: download a version as CSV, JSON, CASE or Moodle CSV; upload
a CASE package, a Moodle CSV or rtwcomp's CSV as a new draft. Thin: parsing, one call to
`frameworks.exchange`, rendering."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rtwcomp import permissions
from rtwcomp.frameworks import exchange, jobs, selectors, services
from rtwcomp.interop.errors import InputError

CONTENT_TYPES = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
    "case": ("application/json", "case.json"),
    "moodle": ("text/csv; charset=utf-8", "moodle.csv"),
}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Framework file"),
        help_text=gettext_lazy(
            "A CASE package (JSON), a Moodle competency framework CSV or rtwcomp's CSV, at "
            "most 20 MB. A file of a framework already here becomes its next draft version."
        ),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        required=False,
        choices=[
            ("", gettext_lazy("detect")),
            ("case", "CASE"),
            ("moodle", "Moodle"),
            ("csv", "CSV"),
        ],
    )


def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """A version (?version=N, default: the current one) the user may see, as a file."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    asked = request.GET.get("version", "")
    number = int(asked) if asked.isdigit() and len(asked) < 10 else None
    framework = selectors.version(request.user, slug, number)
    base = request.build_absolute_uri("/ims/case/v1p1/")
    text = exchange.export_text(framework, fmt, base)
    content_type, ending = CONTENT_TYPES[fmt]
    response = HttpResponse(text.encode("utf-8"), content_type=content_type)
    name = f"{framework.slug}-v{framework.version}.{ending}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@permissions.researcher_required
def import_framework(request: HttpRequest) -> HttpResponse:
    """GET: the upload form; POST: import, then the new draft's page."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        if jobs.import_in_background(upload):  # a large file: a job reads and stores it
            job = jobs.start_import(upload, form.cleaned_data["format"], request.user)
            return redirect("jobs:detail", job=job.pk)
        try:
            imported = exchange.import_upload(
                upload, upload.name, form.cleaned_data["format"], request.user
            )
        except (InputError, services.SlugTaken) as error:
            problems = error.problems if isinstance(error, InputError) else [str(error)]
            form.add_error("file", _("Nothing imported:") + " " + " · ".join(problems[:20]))
        else:
            messages.success(
                request, _("Imported as version %(n)d (draft).") % {"n": imported.framework.version}
            )
            framework = imported.framework
            url = reverse("frameworks:detail", args=[framework.slug])
            return redirect(f"{url}?version={framework.version}")
    return render(request, "frameworks/import.html", {"form": form})

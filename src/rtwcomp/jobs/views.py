"""The job pages: status (reloading itself while the job runs), retry and the result file."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rtwcomp.jobs import selectors, services


def detail(request: HttpRequest, job: UUID) -> HttpResponse:
    found = selectors.job(request.user, job)
    context = selectors.job_page(found, refresh=request.GET.get("refresh") != "off")
    response = render(request, "jobs/job.html", context)
    if context["refresh"]:  # an HTTP refresh: works without script, under the CSP
        response["Refresh"] = str(context["refresh_seconds"])
    return response


@require_POST
def retry(request: HttpRequest, job: UUID) -> HttpResponse:
    found = services.retry(selectors.job(request.user, job, "jobs.change_job"))
    messages.success(request, _("The job is queued again."))
    return redirect("jobs:detail", job=found.pk)


def download(request: HttpRequest, job: UUID) -> FileResponse:
    found = selectors.job(request.user, job)
    path = found.result_path()
    if found.status != found.Status.DONE or path is None or not path.is_file():
        raise Http404("Not found")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=found.result_name,
        content_type=found.result_type,
    )  # fmt: skip

"""The job pages: status, retry and the result file.

While the job waits or runs, the page's status fragment asks for itself again every second
(htmx) and replaces itself; without JavaScript the page reloads itself (a `<noscript>`
refresh, as an HTTP Refresh header would reload the page even where htmx updates it)."""

from __future__ import annotations

import io
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
    return render(request, "jobs/job.html", context)


def progress(request: HttpRequest, job: UUID) -> HttpResponse:
    """The page's status fragment, which htmx swaps in while the job runs."""
    found = selectors.job(request.user, job)
    return render(request, "jobs/_state.html", selectors.job_page(found, refresh=True))


@require_POST
def retry(request: HttpRequest, job: UUID) -> HttpResponse:
    found = services.retry(selectors.job(request.user, job, "jobs.change_job"))
    messages.success(request, _("The job is queued again."))
    return redirect("jobs:detail", job=found.pk)


def download(request: HttpRequest, job: UUID) -> FileResponse:
    found = selectors.job(request.user, job)
    content = found.result_content() if found.status == found.Status.DONE else None
    if content is None:
        raise Http404("Not found")
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=found.result_name,
        content_type=found.result_type,
    )  # fmt: skip

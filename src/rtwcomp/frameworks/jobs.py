"""The import of a large framework file as a background job (`rtwcomp.jobs`): the request
keeps the file and queues the job; `rtwcomp worker` reads, checks and stores it through
`exchange.import_upload`, as the request does for a small file."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from rtwcomp.frameworks import exchange, services
from rtwcomp.interop import case
from rtwcomp.interop.errors import InputError
from rtwcomp.jobs import services as jobs
from rtwcomp.jobs.models import Job
from rtwcomp.jobs.services import JobError, job_task, report


@job_task
def import_framework(job: Job, *, fmt: str) -> None:
    """The framework file as a new draft owned by whoever started the job; its page becomes
    the job's link."""
    name, content = jobs.input_file(job)
    report(job, 10, _("Reading %(name)s…") % {"name": name})
    try:
        imported = exchange.import_upload(SimpleUploadedFile(name, content), name, fmt, job.owner)
    except InputError as error:
        raise jobs.nothing_imported(error) from error
    except services.SlugTaken as error:
        raise JobError("\n".join([_("Nothing imported:"), str(error)])) from error
    framework = imported.framework
    url = reverse("frameworks:detail", args=[framework.slug])
    job.back_url = f"{url}?version={framework.version}"  # kept by the job's last save
    report(job, 100, _("Imported as version %(n)d (draft).") % {"n": framework.version})


def import_in_background(upload: UploadedFile) -> bool:
    """Whether a framework upload is imported by a job (`jobs.in_background`)."""
    return jobs.in_background(upload, case.MAX_BYTES)


def start_import(upload: UploadedFile, fmt: str, owner: Any) -> Job:
    """Queue the import of a large framework file for `owner`."""
    return jobs.start_import(
        import_framework,
        upload,
        owner=owner,
        title=_("Import of %(name)s") % {"name": upload.name},
        back_url=reverse("frameworks:list"),
        fmt=fmt,
    )

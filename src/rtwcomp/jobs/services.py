"""Starting, running and retrying jobs.

A job's work is a function decorated with `job_task`: it becomes a task of Django's tasks
framework whose first argument is the job's id. The task marks the job running, hands the
function the job (to report progress), stores the file it returns and marks the job done; a
`JobError` fails the job with its message, any other exception with a general one.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from rtwcomp.interop.errors import InputError
from rtwcomp.jobs import files
from rtwcomp.jobs.models import Job, JobFile

logger = logging.getLogger(__name__)


class JobError(Exception):
    """A failure the job's owner should read (translated)."""


@dataclass(frozen=True)
class Output:
    """A result file: its name, media type and content."""

    name: str
    content_type: str
    content: bytes


Work = Callable[..., Output | None]


def job_task(work: Work) -> Task[Any, None]:
    """Make `work(job, **arguments)` a task run as `task(job_id, **arguments)`."""

    @functools.wraps(work)
    def run_job(job_id: str, **arguments: Any) -> None:
        run(job_id, work, arguments)

    return task(run_job)


def start(
    work: Task[Any, None],
    *,
    owner: Any,
    title: str,
    target: models.Model | None = None,
    back_url: str = "",
    upload: tuple[str, bytes] | None = None,
    **arguments: Any,
) -> Job:
    """Create a job and queue its task; returns at once. `upload` (a name and its bytes) is
    kept as the job's input file, for the work to read with `input_file`."""
    job = Job.objects.create(
        owner=owner,
        kind=work.module_path,
        arguments=arguments,
        title=title,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        back_url=back_url,
        language=translation.get_language() or "en",
    )
    if upload is not None:
        files.write(str(job.pk), upload[0], upload[1], JobFile.Role.INPUT)
    _enqueue(job, work)
    return job


def in_background(upload: UploadedFile, job_max_bytes: int) -> bool:
    """Whether a web upload is imported by a job: it is larger than
    RTWCOMP_IMPORT_JOB_BYTES, and no larger than the job accepts (a larger one is refused
    at once by the request, by its size)."""
    return settings.RTWCOMP_IMPORT_JOB_BYTES < (upload.size or 0) <= job_max_bytes


def start_import(work: Task[Any, None], upload: UploadedFile, **options: Any) -> Job:
    """A job importing `upload` (kept in the database until the job is done): what
    `start` takes besides."""
    upload.seek(0)
    return start(work, upload=(upload.name or "upload.csv", upload.read()), **options)


def nothing_imported(error: InputError) -> JobError:
    """The job failure for a refused file: every problem, one a line (file, line, column)."""
    return JobError("\n".join([_("Nothing imported:"), *error.problems]))


def input_file(job: Job) -> tuple[str, bytes]:
    """The name and bytes of the file the job was started with."""
    stored = JobFile.objects.get(job=job, role=JobFile.Role.INPUT)
    return stored.name, bytes(stored.content)


def prune(days: int | None = None) -> int:
    """Delete the jobs finished more than `days` (RTWCOMP_JOB_RETENTION_DAYS) ago, with
    their files and their tasks' records; returns how many jobs."""
    days = settings.RTWCOMP_JOB_RETENTION_DAYS if days is None else days
    old = Job.objects.filter(
        status__in=(Job.Status.DONE, Job.Status.FAILED),
        finished_at__lt=timezone.now() - timedelta(days=days),
    )
    found = list(old.values_list("pk", "task_id"))
    with transaction.atomic():
        DBTaskResult.objects.filter(id__in=[task for _pk, task in found if task]).delete()
        Job.objects.filter(pk__in=[pk for pk, _task in found]).delete()
    return len(found)


def _enqueue(job: Job, work: Task[Any, None]) -> None:
    result = work.enqueue(str(job.pk), **job.arguments)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)


def retry(job: Job) -> Job:
    """Queue a failed job's work again; a job that did not fail is left alone (so two
    clicks at once queue it once)."""
    changed = Job.objects.filter(pk=job.pk, status=Job.Status.FAILED).update(
        status=Job.Status.QUEUED, progress=0, message="", error="", started_at=None,
        finished_at=None,
    )  # fmt: skip
    job.refresh_from_db()
    if changed:
        _enqueue(job, import_string(job.kind))
    return job


def report(job: Job, progress: int, message: str = "") -> None:
    """Record how far the job is (0-100) and what it is doing."""
    job.progress, job.message = max(0, min(100, progress)), message[:300]
    Job.objects.filter(pk=job.pk).update(progress=job.progress, message=job.message)


def run(job_id: str, work: Work, arguments: dict[str, Any]) -> None:
    """The body of every job's task, in the worker."""
    job = Job.objects.get(pk=job_id)
    if job.status == Job.Status.DONE:
        return  # queued again after its worker died while finishing: nothing left to do
    job.status, job.started_at, job.error = Job.Status.RUNNING, timezone.now(), ""
    job.attempts += 1
    job.save(update_fields=["status", "started_at", "error", "attempts"])
    with translation.override(job.language):
        try:
            output = work(job, **arguments)
        except JobError as error:
            _fail(job, str(error))
            return
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            _fail(job, _("Something went wrong while running this job. Try again later."))
            raise
        if output is not None:
            try:
                job.result_file = files.write(str(job.pk), output.name, output.content)
            except files.FileTooLarge as error:
                _fail(job, str(error))
                return
            job.result_name, job.result_type = output.name, output.content_type
        if job.progress < 100:  # a work's own last word (reported at 100) is kept
            job.message = _("Done.")
        job.status, job.progress, job.finished_at = Job.Status.DONE, 100, timezone.now()
        job.save()
        # A finished job's upload is not needed again (a failed one's is, for its retry).
        JobFile.objects.filter(job=job, role=JobFile.Role.INPUT).delete()


def _fail(job: Job, error: str) -> None:
    job.status, job.error, job.finished_at = Job.Status.FAILED, error, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])

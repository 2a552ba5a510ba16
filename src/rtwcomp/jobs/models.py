"""A background job as its owner sees it, and the heartbeat of each worker."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    # The task's dotted path (rtwcomp.surveys.jobs.render_report) and its keyword arguments,
    # so a retry queues the same work again.
    kind = models.CharField(max_length=200)
    arguments = models.JSONField(default=dict)
    title = models.CharField(max_length=300)
    # What the job is for (e.g. a study) and the page to go back to.
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=100, blank=True)
    back_url = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=10, default="en")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    # The result's name when one is stored (a `JobFile` of role "result", in the database).
    result_file = models.CharField(max_length=300, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def result_content(self) -> bytes | None:
        """The stored result file's bytes, or None."""
        if not self.result_file:
            return None
        from rtwcomp.jobs import files

        return files.read(str(self.pk), JobFile.Role.RESULT)


class JobFile(models.Model):
    """A job's input (an upload to import) or its result, kept in the database so that
    every app server and worker reads it without a shared disk. Its own table, so that a
    job's status is read without its bytes. Size: at most RTWCOMP_JOB_FILE_MAX_BYTES."""

    class Role(models.TextChoices):
        INPUT = "input", _("Input")
        RESULT = "result", _("Result")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=10, choices=Role.choices)
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    content = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "role"], name="jobs_jobfile_one_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class WorkerBeat(models.Model):
    """One row per `rtwcomp worker`, its `beat_at` renewed every few seconds. A task left
    running by a worker whose heartbeat stopped (or whose process is gone from this host) is
    queued again."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.worker_id

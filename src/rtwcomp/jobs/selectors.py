"""What the job pages show."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from rtwcomp import permissions
from rtwcomp.jobs.models import Job

REFRESH_SECONDS = 2  # the page's own reload, without JavaScript
POLL_SECONDS = 1  # the status fragment's, with htmx


def job(user: Any, pk: UUID, perm: str = "jobs.view_job") -> Job:
    """The job if `user` may see it (its owner, a superuser); 404 otherwise."""
    return permissions.get_by_rule_or_404(user, perm, Job.objects.all(), pk=pk)


def job_page(found: Job, *, refresh: bool) -> dict[str, Any]:
    """The job page: while the job is waiting or running it updates itself (every
    POLL_SECONDS with htmx, else reloading every REFRESH_SECONDS), unless its reader turned
    that off."""
    return {
        "job": found,
        "refresh": refresh and not found.finished,
        "refresh_seconds": REFRESH_SECONDS,
        "poll_seconds": POLL_SECONDS,
    }

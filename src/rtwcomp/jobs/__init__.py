"""Background jobs: slow work (study reports, invitation e-mails) runs in `rtwcomp worker`,
not in a web request.

A `Job` is what a researcher sees: its status, progress, message, error and result file, on
its own page. The work itself is a task of Django's tasks framework (the django-tasks
backport) queued in the database (django-tasks-db), so nothing but the database is needed.
"""

from __future__ import annotations


def worker_heartbeat_age() -> float | None:
    """Seconds since the freshest worker heartbeat, or None when no worker ever beat (for
    health checks: a large age means no worker is running)."""
    from rtwcomp.jobs.worker import heartbeat_age

    return heartbeat_age()

"""Readiness for a load balancer (`/readyz`): the database answers and every migration is
applied. The shared background worker's heartbeat is reported but never makes an app server
unready: taking every app server out because the one worker is down would stop the whole
site, while pages work without it (jobs wait in the queue)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

log = logging.getLogger(__name__)

# A worker whose last heartbeat is older than this is reported "stale".
WORKER_STALE_AFTER = timedelta(minutes=1)


def readiness() -> tuple[bool, dict[str, str]]:
    """(ready, {"database", "migrations", "worker"}): ready when the database answers and
    no migration is pending; the worker's state is information only."""
    body = {"database": "ok", "migrations": "ok", "worker": worker_state()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if pending_migrations():
            body["migrations"] = "pending"
    except DatabaseError:
        log.warning("readiness: the database is unreachable", exc_info=True)
        body["database"] = body["migrations"] = "error"
    return body["database"] == body["migrations"] == "ok", body


def pending_migrations() -> bool:
    """Whether a migration is not applied yet (reads the database, creates nothing)."""
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def worker_state() -> str:
    """ "ok", "stale" (no heartbeat for `WORKER_STALE_AFTER`) or "none" (no worker has ever
    beaten, or no background jobs in this installation)."""
    try:
        from rtwcomp.jobs import worker_heartbeat_age
    except ImportError:
        return "none"
    try:
        age: Any = worker_heartbeat_age()
    except Exception:  # information only: never a 500 from the probe
        log.warning("readiness: the worker's heartbeat could not be read", exc_info=True)
        return "none"
    if age is None:
        return "none"
    if not isinstance(age, timedelta):
        age = timedelta(seconds=float(age))
    return "stale" if age > WORKER_STALE_AFTER else "ok"

"""`rtwcomp worker`: runs queued tasks, beats a heartbeat, and recovers the tasks of workers
that died.

django-tasks-db's worker claims a task by marking it RUNNING with its worker id, and nothing
ever looks at that task again if the worker is killed (SIGKILL, a crash, the machine
restarting). So every worker here keeps a `WorkerBeat` row fresh every `BEAT_SECONDS`; when a
worker starts (and at every beat), each RUNNING task whose last worker has no heartbeat newer
than `STALE_SECONDS` goes back to READY, and its job back to "queued", to be run again.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from rtwcomp.jobs import services
from rtwcomp.jobs.models import Job, WorkerBeat

logger = logging.getLogger(__name__)

BEAT_SECONDS = 3.0
STALE_SECONDS = 20.0
PRUNE_SECONDS = 3600.0  # how often a running worker deletes jobs past their retention
# Periodic work of the apps above (each registers a function in its AppConfig.ready, as
# `rtwcomp.development` does to queue due reminders): run when the worker starts and with
# each pruning. Each must be quick; it queues a job for anything slow.
PERIODIC: list[Callable[[], object]] = []


def beat(worker_id: str) -> None:
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"beat_at": timezone.now(), "host": socket.gethostname(), "pid": os.getpid()},
    )


def _gone(host: str, pid: int | None) -> bool:
    """Whether a worker's process has certainly ended: it ran on this host and its process
    id is free. (A reused id only delays recovery until the heartbeat is stale.)"""
    if pid is None or host != socket.gethostname():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def heartbeat_age() -> float | None:
    """Seconds since the freshest worker heartbeat (growing once every worker stopped), or
    None if no worker has beaten in the last day."""
    latest = WorkerBeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    if latest is None:
        return None
    return max(0.0, (timezone.now() - latest).total_seconds())


def recover_stale(stale_seconds: float = STALE_SECONDS) -> list[str]:
    """Queue again the tasks left RUNNING by workers whose heartbeat stopped, or whose
    process is gone from this host; returns their ids. Their jobs go back to "queued" (a
    job counts its attempts)."""
    recent = WorkerBeat.objects.filter(
        beat_at__gte=timezone.now() - timedelta(seconds=stale_seconds)
    )
    fresh = {w.worker_id for w in recent if not _gone(w.host, w.pid)}
    recovered = []
    with transaction.atomic():
        for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
            if result.worker_ids and result.worker_ids[-1] in fresh:
                continue
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            recovered.append(str(result.id))
        Job.objects.filter(task_id__in=recovered, status=Job.Status.RUNNING).update(
            status=Job.Status.QUEUED, message=""
        )
        WorkerBeat.objects.filter(beat_at__lt=timezone.now() - timedelta(days=1)).delete()
    for task_id in recovered:
        logger.warning("task %s was left running by a dead worker: queued again", task_id)
    return recovered


class Heartbeat(threading.Thread):
    """Renews the worker's heartbeat, and recovers dead workers' tasks, until stopped."""

    def __init__(self, worker_id: str, stale_seconds: float = STALE_SECONDS) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id, self.stale_seconds = worker_id, stale_seconds
        self.every = min(BEAT_SECONDS, stale_seconds / 4)
        self.stopped = threading.Event()
        self.pruned_at = time.monotonic()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.every):
                try:
                    close_old_connections()
                    beat(self.worker_id)
                    recover_stale(self.stale_seconds)
                    self.prune_now_and_then()
                except Exception:  # a locked or restarting database: beat next time
                    logger.exception("worker heartbeat failed")
        finally:
            connection.close()

    def prune_now_and_then(self) -> None:
        if time.monotonic() - self.pruned_at >= PRUNE_SECONDS:
            self.pruned_at = time.monotonic()
            prune()
            periodic()

    def stop(self) -> None:
        self.stopped.set()


def prune(days: int | None = None) -> int:
    """Delete finished jobs past their retention (`services.prune`), logging how many."""
    count = services.prune(days)
    if count:
        logger.info("%d finished job(s) past their retention deleted", count)
    return count


def periodic() -> None:
    """Run the registered periodic work; one failing does not stop the others."""
    for work in PERIODIC:
        try:
            work()
        except Exception:
            logger.exception("periodic work %s failed", getattr(work, "__name__", work))


def run(
    *,
    interval: float = 1.0,
    batch: bool = False,
    worker_id: str | None = None,
    stale_seconds: float = STALE_SECONDS,
) -> None:
    """Run tasks until stopped (SIGTERM or SIGINT finish the current task first), or with
    `batch` until the queue is empty (then in the calling thread, without signal handlers or
    a heartbeat thread: what the tests use)."""
    worker_id = worker_id or get_random_string(32)
    beat(worker_id)
    recover_stale(stale_seconds)
    prune()
    periodic()
    heartbeat = Heartbeat(worker_id, stale_seconds)
    if not batch:
        heartbeat.start()
    worker = Worker(
        queue_names=["default"],
        interval=interval,
        batch=batch,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    if not batch:
        worker.configure_signals()
    try:
        worker.run()
    finally:
        heartbeat.stop()

"""Jobs for the tests: one that waits for a file (to be caught running), one that fails until
a file exists (to be retried), one that breaks."""

from __future__ import annotations

import time
from pathlib import Path

from rtwcomp.jobs.models import Job
from rtwcomp.jobs.services import JobError, Output, input_file, job_task, report


@job_task
def wait_for_file(job: Job, *, path: str, timeout: float = 60.0) -> Output:
    report(job, 30, "waiting for the file")
    deadline = time.monotonic() + timeout
    while not Path(path).exists():
        if time.monotonic() > deadline:
            raise JobError("the file never came")
        time.sleep(0.05)
    return Output("waited.txt", "text/plain", Path(path).read_bytes())


@job_task
def fail_unless_file(job: Job, *, path: str) -> Output:
    if not Path(path).exists():
        raise JobError("The input is not there yet.")
    return Output("found.txt", "text/plain", b"found")


@job_task
def broken(job: Job) -> None:
    raise RuntimeError("internal detail that must not be shown")


@job_task
def echo_input(job: Job) -> Output:
    """Its upload, returned as its result."""
    name, content = input_file(job)
    return Output(name, "text/plain", content)

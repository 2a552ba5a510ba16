"""The real worker process: `rtwcomp worker` on a SQLite file database in a temporary data
directory. Killed with SIGKILL in the middle of a job, it leaves the job running; the next
worker queues it again and finishes it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def environment(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        RTWCOMP_DATA_DIR=str(data),
        RTWCOMP_DEBUG="0",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        PYTHONUNBUFFERED="1",
    )
    return env


def job_row(data: Path, job_id: str) -> tuple[str, int, int, str]:
    with sqlite3.connect(f"file:{data / 'rtwcomp.sqlite3'}?mode=ro", uri=True) as db:
        db.execute("PRAGMA busy_timeout=5000")
        return db.execute(
            "SELECT status, progress, attempts, result_file FROM jobs_job WHERE id = ?",
            (job_id.replace("-", ""),),
        ).fetchone()


def wait_for(data: Path, job_id: str, status: str, seconds: float = 60) -> tuple:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row = job_row(data, job_id)
        if row[0] == status:
            return row
        time.sleep(0.1)
    raise AssertionError(f"job still {row} after {seconds} s, not {status}")


def start_worker(data: Path, log: Path) -> subprocess.Popen:
    argv = [sys.executable, "-m", "rtwcomp", "worker", "--interval", "0.2"]
    with open(log, "ab") as out:
        return subprocess.Popen(argv, env=environment(data), stdout=out, stderr=out, cwd=ROOT)


def test_a_job_whose_worker_is_killed_is_finished_by_the_next_worker(tmp_path):
    data, release, log = tmp_path / "data", tmp_path / "release", tmp_path / "worker.log"
    made = subprocess.run(
        [sys.executable, "-m", "tests.jobs.enqueue", str(release)],
        env=environment(data), cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    job_id = made.stdout.strip().splitlines()[-1]

    first = start_worker(data, log)
    try:
        assert wait_for(data, job_id, "running")[1] == 30  # waiting for the file
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    release.write_text("released")
    time.sleep(0.5)
    assert job_row(data, job_id)[0] == "running"  # nobody is running it any more

    second = start_worker(data, log)
    try:
        status, progress, attempts, result = wait_for(data, job_id, "done")
    finally:
        second.terminate()  # SIGTERM: stops cleanly between tasks
        code = second.wait(timeout=30)
    assert (progress, attempts) == (100, 2), log.read_text()
    assert result == "waited.txt" and stored_result(data, job_id) == b"released"
    assert code == 0, log.read_text()
    assert "queued again" in log.read_text()


def stored_result(data: Path, job_id: str) -> bytes:
    """The job's result file, as the worker stored it in the database."""
    with sqlite3.connect(f"file:{data / 'rtwcomp.sqlite3'}?mode=ro", uri=True) as db:
        row = db.execute(
            "SELECT content FROM jobs_jobfile WHERE job_id = ? AND role = 'result'",
            (job_id.replace("-", ""),),
        ).fetchone()
    return bytes(row[0])

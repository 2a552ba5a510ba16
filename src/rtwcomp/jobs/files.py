"""Result files: under the data directory's `jobs` folder, one folder per job, mode 0600."""

from __future__ import annotations

import os
from pathlib import Path

from rtwcomp.paths import PRIVATE_DIR, PRIVATE_FILE, data_dir


def jobs_dir() -> Path:
    path = data_dir() / "jobs"
    path.mkdir(mode=PRIVATE_DIR, exist_ok=True)
    return path


def write(job_id: str, name: str, content: bytes) -> str:
    """Write `content` as the job's result; returns its path relative to `jobs_dir()`."""
    folder = jobs_dir() / job_id
    folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
    path = folder / Path(name).name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    return str(path.relative_to(jobs_dir()))

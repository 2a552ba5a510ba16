"""Where rtwcomp keeps its data: one directory shared by the server and the CLI."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def data_dir() -> Path:
    """The data directory (`RTWCOMP_DATA_DIR`, default `./var`), created when missing."""
    path = Path(os.environ.get("RTWCOMP_DATA_DIR", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key() -> str:
    """`SECRET_KEY` from the environment, else one generated once and kept in the data dir."""
    given = os.environ.get("SECRET_KEY")
    if given:
        return given
    key_file = data_dir() / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()

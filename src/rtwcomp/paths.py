"""Where rtwcomp keeps its data: one directory shared by the server and the CLI.

The directory and everything in it belong to the user running rtwcomp alone: the
directory is mode 0700, its files (database, secret key, outgoing mail) mode 0600.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def data_dir() -> Path:
    """The data directory (`RTWCOMP_DATA_DIR`, default `./var`), created 0700 when missing."""
    path = Path(os.environ.get("RTWCOMP_DATA_DIR", "var")).resolve()
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty with mode 0600 unless it exists.

    Used for the SQLite database before its first connection: SQLite would create it with
    mode 0644, and gives its -wal and -shm files the database file's mode.
    """
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    return path


def make_private(root: Path | None = None) -> list[Path]:
    """Take group and other permissions off the data directory and all it holds (0700 for
    directories, 0600 for plain files), e.g. the 0755/0644 of an older data directory.

    Symbolic links, and files of other users (which could not be changed), are left alone.
    Returns the paths whose mode changed.
    """
    root = root or data_dir()
    changed = []
    me = os.geteuid()
    for folder, _dirs, files in os.walk(root):  # does not descend into linked directories
        for path in [Path(folder), *(Path(folder, name) for name in files)]:
            try:  # another process may remove a file meanwhile (e.g. SQLite's -wal)
                info = path.lstat()
                if stat.S_ISLNK(info.st_mode) or info.st_uid != me or not info.st_mode & 0o077:
                    continue
                path.chmod(stat.S_IMODE(info.st_mode) & 0o700)
            except FileNotFoundError:
                continue
            changed.append(path)
    return changed


def secret_key() -> str:
    """`SECRET_KEY` from the environment, else one generated once and kept in the data dir."""
    given = os.environ.get("SECRET_KEY")
    if given:
        return given
    key_file = data_dir() / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()

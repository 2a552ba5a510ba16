"""Backup and restore of a whole site: its database and the data directory's other files.

An archive is a gzipped tar file, mode 0600 (it holds personal data and the secret key):

    manifest.json               format, engine, rtwcomp version, applied migrations, time
    database/rtwcomp.sqlite3    SQLite: a copy made with SQLite's online backup API
    database/rtwcomp.pgdump     PostgreSQL: `pg_dump --format=custom`
    files/...                   the data directory's other files (secret key, outbox, jobs)

Both copies are consistent snapshots taken while the server runs and writes: SQLite's
backup copies one read transaction; `pg_dump` reads in one repeatable-read transaction.
A restore checks the manifest, refuses a database that is not empty unless forced, and
puts everything in place only once all of it is unpacked and checked.
"""

from __future__ import annotations

import glob
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from rtwcomp import __version__
from rtwcomp.paths import PRIVATE_DIR, PRIVATE_FILE, data_dir

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = {"sqlite": "database/rtwcomp.sqlite3", "postgresql": "database/rtwcomp.pgdump"}
TEMP_PREFIX = ".rtwcomp-"  # our temporary files and directories, never backed up
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")
KEEP_WHEN_EMPTY = {"secret_key"}  # written by any first start; replaced by the archive's


class BackupError(Exception):
    """A backup or restore that cannot go on: one message for the command line."""


def engine() -> str:
    """`sqlite` or `postgresql`: the database this site uses."""
    name = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if name == "sqlite3":
        return "sqlite"
    if name in ("postgresql", "postgis"):
        return "postgresql"
    raise BackupError(f"cannot back up a '{name}' database (SQLite or PostgreSQL only)")


def sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


# --- backup ------------------------------------------------------------------------------


def create(output: Path) -> dict[str, Any]:
    """Write a backup archive to `output` (replaced atomically); returns its manifest."""
    kind = engine()
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=output.parent, prefix=TEMP_PREFIX, suffix=".tmp")
    os.fchmod(fd, PRIVATE_FILE)
    temp = Path(temp_name)
    try:
        with tempfile.TemporaryDirectory(dir=output.parent, prefix=TEMP_PREFIX) as work:
            dump = Path(work) / "database"
            created_at = datetime.now(UTC).isoformat(timespec="seconds")
            if kind == "sqlite":
                _dump_sqlite(dump)
                migrations = _applied_in_file(dump)
            else:
                migrations = _applied()
                _dump_postgresql(dump)
            manifest = {
                "format": FORMAT,
                "engine": kind,
                "rtwcomp_version": __version__,
                "migrations": migrations,
                "created_at": created_at,
                "secret_key": "environment" if os.environ.get("SECRET_KEY") else "files",
            }
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
                tar.add(dump, arcname=DATABASE[kind], filter=_private)
                for path in _data_files({output, temp}):
                    name = f"files/{path.relative_to(data_dir()).as_posix()}"
                    tar.add(path, arcname=name, filter=_private)
                tar.close()
                raw.flush()
                os.fsync(raw.fileno())
        os.replace(temp, output)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return manifest


def _dump_sqlite(target: Path) -> None:
    source = sqlite3.connect(f"{sqlite_path().as_uri()}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # all pages in one step: one consistent read transaction
    finally:
        copy.close()
        source.close()


def _applied_in_file(database: Path) -> list[str]:
    with closing(sqlite3.connect(database)) as db:
        rows = db.execute("SELECT app, name FROM django_migrations").fetchall()
    return sorted(f"{app}.{name}" for app, name in rows)


def _applied() -> list[str]:
    return sorted(f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations())


def _dump_postgresql(target: Path) -> None:
    _run_pg(
        "pg_dump",
        ["--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
    )


def _data_files(skip: set[Path]) -> list[Path]:
    """The data directory's plain files, except the SQLite database and our temporary ones."""
    root = data_dir()
    database = {Path(f"{sqlite_path()}{s}") for s in SQLITE_SUFFIXES}
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(TEMP_PREFIX))
        for name in sorted(files):
            path = Path(folder, name)
            if name.startswith(TEMP_PREFIX) or path in database or path in skip:
                continue
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return found


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode, info.uid, info.gid, info.uname, info.gname = PRIVATE_FILE, 0, 0, "", ""
    return info


def _add_bytes(tar: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mode = PRIVATE_FILE
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(content))


# --- PostgreSQL client programs ------------------------------------------------------------


def pg_program(name: str) -> str:
    """The newest of the machine's PostgreSQL client programs (Debian keeps them under
    /usr/lib/postgresql/VERSION/bin), else the one on PATH."""
    found = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    found.sort(key=lambda p: [int(n) for n in re.findall(r"\d+", Path(p).parent.parent.name)])
    program = found[-1] if found else shutil.which(name)
    if not program:
        raise BackupError(f"'{name}' not found: install the PostgreSQL client programs")
    return program


def _pg_env() -> dict[str, str]:
    """The connection as libpq's variables, so that no password shows in a process list."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return env


def _run_pg(name: str, arguments: list[str]) -> None:
    done = subprocess.run(  # noqa: S603 - a fixed program and our own arguments
        [pg_program(name), *arguments], env=_pg_env(), capture_output=True, text=True
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        raise BackupError(f"{name} failed: " + " | ".join(lines[-5:]))


# --- restore -----------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict[str, Any]:
    """The archive's manifest, checked against this rtwcomp and this site's database."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            manifest = json.loads(member.read()) if member else None
    except FileNotFoundError as error:
        raise BackupError(f"no such file: {archive}") from error
    except (EOFError, zlib.error) as error:
        raise BackupError(f"{archive} is damaged ({error})") from error
    except (tarfile.TarError, KeyError, OSError, ValueError) as error:
        raise BackupError(f"{archive} is not an rtwcomp backup ({error})") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not an rtwcomp backup of format {FORMAT}")
    kind = engine()
    if manifest.get("engine") != kind:
        raise BackupError(
            f"{archive} holds a {manifest.get('engine')} database, but this site uses {kind} "
            "(DATABASE_URL)"
        )
    known = {
        f"{a}.{n}" for a, n in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    unknown = sorted(set(manifest.get("migrations", [])) - known)
    if unknown:
        raise BackupError(
            f"{archive} was made by a newer rtwcomp ({manifest.get('rtwcomp_version')}): "
            f"unknown migrations {', '.join(unknown[:3])}"
        )
    return manifest


def is_empty() -> bool:
    """Whether this site holds nothing a restore would overwrite."""
    if engine() == "postgresql":
        return not connection.introspection.table_names()
    others = [p for p in _data_files(set()) if p.name not in KEEP_WHEN_EMPTY]
    return not others and not _sqlite_tables()


def _sqlite_tables() -> bool:
    path = sqlite_path()
    if not path.exists() or path.stat().st_size == 0:
        return False
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        return bool(
            db.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        )


def restore(archive: Path, *, force: bool = False) -> dict[str, Any]:
    """Restore `archive` into this site's (empty, unless `force`) database and data directory."""
    manifest = read_manifest(archive)
    if not force and not is_empty():
        where = "database" if manifest["engine"] == "postgresql" else "data directory"
        raise BackupError(
            f"the {where} is not empty ({_target()}): restore only into an empty one, "
            "or give --force to replace what it holds"
        )
    root = data_dir()
    with tempfile.TemporaryDirectory(dir=root, prefix=TEMP_PREFIX) as work:
        unpacked = Path(work)
        _unpack(archive, unpacked)
        database = unpacked / DATABASE[manifest["engine"]]
        if not database.is_file():
            raise BackupError(f"{archive} holds no database")
        connections.close_all()
        if manifest["engine"] == "sqlite":
            _check_sqlite(database, archive)
            _move_files(unpacked / "files", root)
            _replace_sqlite(database)
        else:
            _restore_postgresql(database, force)
            _move_files(unpacked / "files", root)
    return manifest


def _target() -> str:
    if engine() == "postgresql":
        return str(settings.DATABASES["default"]["NAME"])
    return str(data_dir())


def _unpack(archive: Path, into: Path) -> None:
    folders = ("database/", "files/")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            for member in members:
                name = PurePosixPath(member.name)
                if (
                    name.is_absolute()
                    or ".." in name.parts
                    or not (member.isfile() or member.isdir())
                    or not (member.name == MANIFEST or member.name.startswith(folders))
                ):
                    raise BackupError(f"{archive} holds an unexpected entry: {member.name}")
            tar.extractall(into, members=members, filter="data")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise BackupError(f"{archive} is damaged ({error})") from error


def _check_sqlite(database: Path, archive: Path) -> None:
    try:
        with closing(sqlite3.connect(database)) as db:
            result = db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{archive}: the database is damaged ({error})") from error
    if result != "ok":
        raise BackupError(f"{archive}: the database is damaged ({result})")


def _move_files(source: Path, root: Path) -> None:
    if not source.is_dir():
        return
    for folder, _dirs, files in os.walk(source):
        for name in files:
            path = Path(folder, name)
            target = root / path.relative_to(source)
            target.parent.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
            path.chmod(PRIVATE_FILE)
            os.replace(path, target)


def _replace_sqlite(database: Path) -> None:
    target = sqlite_path()
    database.chmod(PRIVATE_FILE)
    for suffix in SQLITE_SUFFIXES[1:]:
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(database, target)


def _restore_postgresql(dump: Path, force: bool) -> None:
    """One transaction: either the whole dump is in the database, or nothing changed."""
    arguments = ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges"]
    if force:
        arguments += ["--clean", "--if-exists"]
    db = settings.DATABASES["default"]
    _run_pg("pg_restore", [*arguments, f"--dbname={db['NAME']}", str(dump)])

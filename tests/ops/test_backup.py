"""`rtwcomp backup` under load and `rtwcomp restore`: every answer the server acknowledged
before the backup began is in the restored site, which starts and serves.

The database is the leg's: SQLite, or PostgreSQL when `DATABASE_URL` is set, where the
source and the restored site each get a database of their own on that cluster.
The server, the study and the simulated respondents are the load bench's
(`bench/survey_load.py`).
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import secrets
import sqlite3
import subprocess
import tarfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("survey_load", ROOT / "bench" / "survey_load.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

RESPONDENTS = 16
ITEMS = 96  # eight pages of twelve items, then the questions page
# Seconds each respondent waits between pages: the load outlasts the backup, whose command
# starts Django in a new process, even when the other test leg shares the machine.
THINK = 1.5


def _admin_url() -> str | None:
    return os.environ.get("DATABASE_URL") or None


@pytest.fixture
def new_site(tmp_path):
    """new_site(name) -> the environment of a new, empty site (its own data directory, and
    on PostgreSQL its own database on the leg's cluster, dropped afterwards)."""
    created: list[str] = []
    admin = _admin_url()

    def make(name: str) -> dict[str, str]:
        url = None
        if admin:
            import psycopg

            database = f"rtwcomp_{name}_{secrets.token_hex(4)}"
            with psycopg.connect(admin, autocommit=True) as db:
                db.execute(f'CREATE DATABASE "{database}"')
            created.append(database)
            url = urllib.parse.urlsplit(admin)._replace(path=f"/{database}").geturl()
        return bench.site_env(tmp_path / name, url)

    yield make
    if created:
        import psycopg

        with psycopg.connect(admin, autocommit=True) as db:
            for database in created:
                db.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def rtwcomp(env, *args):
    return subprocess.run(
        [*bench.RTWCOMP, *args], env=env, capture_output=True, text=True, timeout=300
    )


def stored_answers(env) -> dict[int, dict[str, int]]:
    """Every stored answer, by response: {response id: {"item-<id>": value}}."""
    query = "SELECT response_id, item_id, value FROM surveys_answer WHERE value IS NOT NULL"
    if env.get("DATABASE_URL"):
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as db:
            rows = db.execute(query).fetchall()
    else:
        with sqlite3.connect(Path(env["RTWCOMP_DATA_DIR"]) / "rtwcomp.sqlite3") as db:
            rows = db.execute(query).fetchall()
    found: dict[int, dict[str, int]] = {}
    for response, item, value in rows:
        found.setdefault(response, {})[f"item-{item}"] = value
    return found


def run_load(base, slug, acknowledged):
    """The bench's respondents against `base`; returns their threads and what they sent."""
    sent: dict[int, dict[str, int]] = {}
    timings: list[float] = []
    threads = [
        threading.Thread(
            target=bench.respond, args=(base, slug, n, timings, sent, THINK, acknowledged)
        )
        for n in range(RESPONDENTS)
    ]
    for thread in threads:
        thread.start()
    return threads, sent


def test_a_backup_taken_under_load_restores_every_acknowledged_answer(new_site, tmp_path):
    source = new_site("source")
    slug = bench.create_study(source, "Backup under load", items=ITEMS)
    port = bench.free_port()
    server = bench.start_server(source, port, workers=2)
    acks: list[tuple[int, dict[str, int], float]] = []
    enough = threading.Event()

    def acknowledged(number, answers, when):
        acks.append((number, answers, when))
        if len(acks) >= RESPONDENTS // 4:
            enough.set()

    archive = tmp_path / "backup.tar.gz"
    try:
        threads, sent = run_load(f"http://127.0.0.1:{port}", slug, acknowledged)
        assert enough.wait(60), "the respondents did not get going"
        began = time.time()
        backup = rtwcomp(source, "backup", "-o", str(archive))
        for thread in threads:
            thread.join(120)
    finally:
        bench.stop(server)
    assert backup.returncode == 0, backup.stderr
    assert len(sent) == RESPONDENTS, "a respondent failed (see the output above)"
    before = [a for a in acks if a[2] < began]
    assert before and any(a[2] > began for a in acks), "no load while the backup ran"
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["engine"] == ("postgresql" if source.get("DATABASE_URL") else "sqlite")
    assert "surveys.0001_initial" in manifest["migrations"]
    assert "files/secret_key" in names

    target = new_site("restored")
    restored = rtwcomp(target, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    stored = stored_answers(target)
    missing = [
        (number, answers)
        for number, answers, _ in before
        if not any(answers.items() <= kept.items() for kept in stored.values())
    ]
    assert not missing, f"{len(missing)} of {len(before)} acknowledged pages lost"
    # a snapshot of that moment: the answers given after it are in the source only
    answered = sum(len(kept) for kept in stored.values())
    assert answered < sum(len(kept) for kept in stored_answers(source).values())
    key = (Path(target["RTWCOMP_DATA_DIR"]) / "secret_key").read_text()
    assert key == (Path(source["RTWCOMP_DATA_DIR"]) / "secret_key").read_text()

    # a second restore into what is now a full site is refused, and changes nothing
    again = rtwcomp(target, "restore", str(archive))
    assert again.returncode == 2
    assert "is not empty" in again.stderr and "--force" in again.stderr
    assert stored_answers(target) == stored

    # the restored site starts (migrating it up to date) and serves the study
    port = bench.free_port()
    server = bench.start_server(target, port, workers=1)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/s/{slug}/", timeout=30) as page:  # noqa: S310
            assert page.status == 200
    finally:
        bench.stop(server)


# --- archives that are not ours --------------------------------------------------------------


def _tar_gz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def _manifest(**changes) -> bytes:
    engine = "postgresql" if _admin_url() else "sqlite"
    manifest = {
        "format": 1,
        "engine": engine,
        "rtwcomp_version": "0.1.0",
        "migrations": ["surveys.0001_initial"],
        "created_at": "2026-11-26T12:00:00+00:00",
    }
    return json.dumps(manifest | changes).encode()


OTHER_ENGINE = "sqlite" if _admin_url() else "postgresql"
ARCHIVES = {
    "garbage": (b"not an archive at all\n" * 20, "is not an rtwcomp backup"),
    "zip": (b"PK\x03\x04" + bytes(100), "is not an rtwcomp backup"),
    "foreign tar": (_tar_gz({"README": b"hello"}), "is not an rtwcomp backup"),
    "truncated": (
        _tar_gz({"manifest.json": _manifest(), "database/x": os.urandom(200_000)})[:60_000],
        "is damaged",
    ),
    "other format": (_tar_gz({"manifest.json": _manifest(format=9)}), "of format 1"),
    "other engine": (
        _tar_gz({"manifest.json": _manifest(engine=OTHER_ENGINE)}),
        f"holds a {OTHER_ENGINE} database",
    ),
    "newer version": (
        _tar_gz({"manifest.json": _manifest(migrations=["surveys.9999_future"])}),
        "made by a newer rtwcomp",
    ),
    "escaping path": (
        _tar_gz({"manifest.json": _manifest(), "files/../../evil": b"x"}),
        "unexpected entry",
    ),
}


@pytest.mark.parametrize("kind", list(ARCHIVES))
def test_restore_refuses_an_archive_that_is_not_a_backup_of_this_site(kind, new_site, tmp_path):
    content, message = ARCHIVES[kind]
    archive = tmp_path / "archive.tar.gz"
    archive.write_bytes(content)
    env = new_site("site")
    done = rtwcomp(env, "restore", str(archive))
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "evil").exists() and not (tmp_path / "site" / "evil").exists()
    assert not [p for p in (tmp_path / "site").rglob("*") if p.name.startswith(".rtwcomp-")]

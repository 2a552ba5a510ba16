"""`django_command`: only commands that write migrate; read-only ones refuse an unmigrated
database instead of changing it. Run as the console script would, on a fresh data directory."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

READ_ONLY = [
    ["framework", "list"],
    ["framework", "export", "rtw-coordinator"],
    ["study", "list"],
    ["elicit", "export", "--project", "Pilot"],
]


def rtwcomp(data: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(RTWCOMP_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="rtwcomp.site.settings")
    return subprocess.run(
        [sys.executable, "-m", "rtwcomp", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def tables(data: Path) -> list[str]:
    path = data / "rtwcomp.sqlite3"
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]


@pytest.mark.parametrize("argv", READ_ONLY, ids=" ".join)
def test_read_only_command_refuses_an_unmigrated_database(tmp_path, argv):
    result = rtwcomp(tmp_path, *argv)
    assert result.returncode == 2, result.stderr
    assert "run 'rtwcomp migrate' first" in result.stderr
    assert tables(tmp_path) == []


def test_writing_command_migrates_then_read_only_ones_run(tmp_path):
    assert rtwcomp(tmp_path, "framework", "load-default").returncode == 0
    assert "django_migrations" in tables(tmp_path)
    listed = rtwcomp(tmp_path, "framework", "list")
    assert listed.returncode == 0, listed.stderr
    assert "rtw-coordinator" in listed.stdout

"""The data directory is its owner's alone: mode 0700, its files 0600, whatever the umask."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

# A write and an e-mail, then the mode of everything in the data directory, printed while
# the database connection is still open (SQLite removes -wal and -shm when it closes).
WRITE_AND_MAIL = """
import json, os, stat, sys
from pathlib import Path

from rtwcomp.commands import django_setup

django_setup.setup()
from django.contrib.auth.models import User
from django.core import mail

User.objects.create_user("writer")
mail.send_mail("Invitation", "Your link", "rtwcomp@localhost", ["panel@example.org"])
data = Path(os.environ["RTWCOMP_DATA_DIR"])
print(json.dumps({
    str(p.relative_to(data)): stat.S_IMODE(p.lstat().st_mode)
    for p in [data, *data.rglob("*")]
}))
"""


def run(data: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.pop("EMAIL_BACKEND", None)
    env["RTWCOMP_DATA_DIR"] = str(data)
    done = subprocess.run(
        [sys.executable, *args], env=env, umask=0, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_new_data_directory_is_private(tmp_path):
    data = tmp_path / "data"
    run(data, "-m", "rtwcomp", "migrate")
    modes = json.loads(run(data, "-c", WRITE_AND_MAIL))
    outbox = [name for name in modes if name.startswith("outbox/")]
    assert len(outbox) == 1, modes
    expected = {
        ".": 0o700,
        "rtwcomp.sqlite3": 0o600,
        "rtwcomp.sqlite3-wal": 0o600,
        "rtwcomp.sqlite3-shm": 0o600,
        "secret_key": 0o600,
        "outbox": 0o700,
        outbox[0]: 0o600,
    }
    assert modes == expected


def test_migrate_tightens_an_older_data_directory(tmp_path):
    data = tmp_path / "data"
    run(data, "-m", "rtwcomp", "migrate")
    (data / "outbox").mkdir()
    (data / "outbox" / "message.log").write_text("an invitation link")
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("not rtwcomp's")
    elsewhere.chmod(0o644)
    (data / "link").symlink_to(elsewhere)
    for path in [data, data / "outbox"]:
        path.chmod(0o755)
    for path in [data / "rtwcomp.sqlite3", data / "secret_key", data / "outbox" / "message.log"]:
        path.chmod(0o644)

    run(data, "-m", "rtwcomp", "migrate")

    for path in [data, data / "outbox"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    for path in [data / "rtwcomp.sqlite3", data / "secret_key", data / "outbox" / "message.log"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o644  # links are not followed

"""`rtwcomp worker` and `rtwcomp serve`'s worker beside gunicorn."""

from __future__ import annotations

import sys

import pytest

from rtwcomp.cli import main
from rtwcomp.commands.serve import supervise, worker_argv


def test_worker_has_help(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["worker", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "usage: rtwcomp worker" in out and "--stale-after" in out
    assert worker_argv()[-2:] == ["-m", "rtwcomp"] or worker_argv()[-1] == "worker"


def test_serve_stops_its_worker_when_the_server_stops(tmp_path):
    stopped = tmp_path / "stopped"
    worker = (
        "import signal, sys, time\n"
        "def stop(*_):\n"
        f"    open({str(stopped)!r}, 'w').write('cleanly'); sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, stop)\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    server = "import time; time.sleep(1.5); raise SystemExit(3)"
    status = supervise([sys.executable, "-c", server], [sys.executable, "-c", worker], grace=10)
    assert status == 3  # the server's own exit status
    assert stopped.read_text() == "cleanly"

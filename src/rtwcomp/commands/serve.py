"""`rtwcomp serve`: prepare the data directory, then run gunicorn and one background worker
(`rtwcomp worker`) beside it, stopping the worker when gunicorn stops."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from typing import Any

from rtwcomp.commands import django_setup


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve the web app (migrates, loads the default framework, ensures an admin)",
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "3")))
    parser.add_argument(
        "--no-worker",
        dest="worker",
        action="store_false",
        help="do not start a background worker (run `rtwcomp worker` elsewhere)",
    )
    parser.set_defaults(handler=run)


def prepare() -> None:
    """Everything the server needs on an empty data directory; quick when all is there."""
    django_setup.start(writes=True)
    from rtwcomp.frameworks.services import load_default
    from rtwcomp.site.accounts import ensure_admin

    framework, created = load_default()
    if created:
        print(f"Loaded the default framework '{framework.slug}'.")
    ensure_admin()


def run(args: argparse.Namespace) -> int:
    os.environ["RTWCOMP_DEBUG"] = "0"
    prepare()
    from rtwcomp.paths import data_dir

    os.environ["RTWCOMP_DATA_DIR"] = str(data_dir())
    # The analyses behind the results pages do many small matrix operations, for which
    # BLAS threads cost more than they save when requests already share the cores.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    notice = semantic_notice()
    if notice:
        print(notice)
    print(f"Serving rtwcomp at http://{args.host}:{args.port}/", flush=True)
    argv = gunicorn_argv(args.host, args.port, args.workers)
    if not getattr(args, "worker", True):
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn
    return supervise(argv, worker_argv())


def semantic_notice(available: bool | None = None) -> str | None:
    """One line on start when the semantic extra is missing, so the researcher learns how to
    add it before choosing the method on a form; None when it is installed."""
    if available is None:
        from rtwcomp.elicitation.clustering import semantic_available

        available = semantic_available()
    if available:
        return None
    return (
        "Semantic suggestions are off (the semantic extra is not installed); to add them, run "
        "`.venv/bin/pip install -e '.[semantic]'` in the checkout used by `make run` "
        "(elsewhere `pip install 'rtwcomp[semantic]'`) and restart."
    )


def worker_argv() -> list[str]:
    return [sys.executable, "-m", "rtwcomp", "worker"]


def supervise(server_argv: list[str], worker_argv: list[str], grace: float = 30.0) -> int:
    """Run the worker, then the server; when the server exits (or this process is asked to
    stop), stop the worker: SIGTERM lets its current task finish, within `grace` seconds.
    The worker has a session of its own, so a terminal's Ctrl+C reaches only the server and
    this process, and the worker is told to stop once, by this process."""
    worker = subprocess.Popen(worker_argv, start_new_session=True)
    server = subprocess.Popen(server_argv)

    def forward(signum: int, frame: Any) -> None:
        server.send_signal(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, forward)
    try:
        status = server.wait()
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait()
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
    return status


def gunicorn_argv(host: str, port: int, workers: int) -> list[str]:
    """The gunicorn command line; its access log masks invitation tokens and codes."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "rtwcomp.site.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        "4",
        "--timeout",
        "120",
        "--access-logfile",
        "-",
        "--logger-class",
        "rtwcomp.site.access_log.GunicornLogger",
    ]

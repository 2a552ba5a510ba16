"""`rtwcomp serve`: prepare the data directory, then run gunicorn."""

from __future__ import annotations

import argparse
import os
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
    print(f"Serving rtwcomp at http://{args.host}:{args.port}/", flush=True)
    argv = gunicorn_argv(args.host, args.port, args.workers)
    os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn
    return 0


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

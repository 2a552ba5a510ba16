"""`rtwcomp worker`: run background jobs (reports, invitation e-mails) as they are queued."""

from __future__ import annotations

import argparse
from typing import Any

from rtwcomp.commands import django_setup


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "worker",
        help="run background jobs: study reports, invitation e-mails (`serve` starts one)",
        description="Run the tasks queued in the database until stopped (SIGTERM or Ctrl+C "
        "let the current task finish). Tasks left running by a worker that died are queued "
        "again when its heartbeat is older than --stale-after seconds, or at once when its process "
        "is gone from this host.",
    )
    parser.add_argument(
        "--interval", type=float, default=1.0, help="seconds between looks at an empty queue"
    )
    parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
    parser.add_argument(
        "--stale-after",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="queue again the tasks of a worker whose heartbeat is older than this (default 20)",
    )
    parser.add_argument(
        "--prune",
        action="store_true",
        help="delete the jobs finished more than RTWCOMP_JOB_RETENTION_DAYS (default 30) ago, "
        "with their files, then exit (a running worker also does it every hour)",
    )
    parser.set_defaults(handler=run)


@django_setup.django_command(writes=True)
def run(args: argparse.Namespace) -> int:
    from rtwcomp.jobs import worker

    if args.prune:
        print(f"{worker.prune()} finished job(s) deleted.")
        return 0
    worker.run(
        interval=max(0.1, args.interval),
        batch=args.batch,
        stale_seconds=max(1.0, args.stale_after),
    )
    return 0

"""The `rtwcomp` command line.

Each sub-command lives in `rtwcomp.commands.<name>` and exposes `register(subparsers)`.
Those modules import nothing heavy at module level, so `rtwcomp --help` and
`rtwcomp analyze --help` answer quickly and without Django.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from rtwcomp import __version__
from rtwcomp.commands import UsageError

__all__ = ["UsageError", "main"]

COMMAND_MODULES = (
    "serve",
    "admin",
    "framework",
    "analyze",
    "study",
    "elicit",
    "assess",
    "develop",
    "backup",
    "worker",
    "simulate",
    "power",
    "demo",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rtwcomp",
        description="Develop, validate and use competency frameworks.",
    )
    parser.add_argument("--version", action="version", version=f"rtwcomp {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"rtwcomp.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except UsageError as error:
        print(f"rtwcomp: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `rtwcomp study create ... | head -1`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run the command line as the console script would, keeping what it prints."""

from __future__ import annotations

import contextlib
import io

from rtwcomp.cli import main


def run(*args: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr).

    The streams are StringIO objects that stay open: a command starting Django binds the
    log handlers to the stderr of the moment, which later tests may still write to.
    """
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()

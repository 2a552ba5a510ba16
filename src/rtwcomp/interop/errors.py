"""Errors raised by readers: each message names the file, line and column."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """One or more problems in an input file; nothing was imported."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def read_text(path: Path) -> str:
    """A UTF-8 text file (a byte-order mark is dropped), or InputError naming the file."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError([f"{path}: not UTF-8 text ({error.reason})"]) from None
    except OSError as error:
        raise InputError([f"{path}: cannot read ({error.strerror})"]) from None

"""Errors raised by readers: each message names the file, line and column."""

from __future__ import annotations


class InputError(Exception):
    """One or more problems in an input file; nothing was imported."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))

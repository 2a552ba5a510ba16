"""The one exception the statistics package raises for bad input."""

from __future__ import annotations


class SurveyDataError(ValueError):
    """Input that cannot be analysed, with where the problem is.

    `row` is the 0-based position of the offending data row (not the index label) and
    `column` the offending column name; either may be None when the problem is not tied
    to one cell (a missing column has no row). `table` says which input it concerns:
    "responses" or "items". Callers that read files turn `row` into a line number.
    """

    def __init__(
        self,
        message: str,
        *,
        table: str,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.table = table
        self.row = row
        self.column = column

"""The one exception the statistics package raises for bad input."""

from __future__ import annotations


class SurveyDataError(ValueError):
    """Input that cannot be analyzed, with where the problem is.

    Callers that read files turn `row` into a line number.

    Parameters
    ----------
    message : str
        What is wrong, in words for the user.
    table : {"responses", "items"}
        Which input the problem concerns.
    row : int, optional
        The 0-based position of the offending data row (not the index label); None when
        the problem is not tied to one row (a missing column).
    column : str, optional
        The offending column name; None when the problem is not tied to one column.

    Examples
    --------
    >>> import pandas as pd
    >>> from rtwcomp.stats import analyze_survey
    >>> responses = pd.DataFrame({"q1": [5, 4, 9]})
    >>> items = pd.DataFrame({"item": ["q1"], "group": "care"})
    >>> try:
    ...     analyze_survey(responses, items)
    ... except SurveyDataError as error:
    ...     print(error.table, error.row, error.column, "-", error)
    responses 2 q1 - answer '9' is not a whole number on the scale 1-5
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

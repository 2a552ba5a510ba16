"""The error answers of the API, as the OpenAPI document declares them.

Every error is a JSON object with `detail`: a message for 401 (`"Unauthorized"`) and 404
(`"Not Found"`), the list of invalid fields for 422. Spread the constants below into a
route's `response=` to declare the errors it can give, e.g.
`response={200: StudyOut, **UNAUTHORIZED, **NOT_FOUND}`.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field


class Error(Schema):
    """An error with a message."""

    detail: str = Field(examples=["Not Found"])


class InvalidField(Schema):
    """One parameter that failed validation: where (`loc`), what (`type`) and why (`msg`)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=["int_parsing"])
    loc: list[str | int] = Field(examples=[["query", "version"]])
    msg: str


class ValidationFailed(Schema):
    """Parameters that failed validation."""

    detail: list[InvalidField]


UNAUTHORIZED: dict[int, Any] = {401: Error}
NOT_FOUND: dict[int, Any] = {404: Error}
INVALID: dict[int, Any] = {422: ValidationFailed}
# A write refused: a body that is not JSON, or one the rules refuse; 400 with why.
REFUSED: dict[int, Any] = {400: Error}

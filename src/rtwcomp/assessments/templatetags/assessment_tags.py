"""Template filters of the assessment pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def translated(content: Any, field: str) -> str:
    """A framework text (a group's name, a competency's statement) in the active language."""
    return str(content.translated(field))


@register.filter
def level_label(level: Any, scale: list[str] | None) -> str:
    """A whole level with its label on the organisation's scale ("3 proficient"); any other
    value as it is."""
    whole = isinstance(level, int) or (isinstance(level, float) and level.is_integer())
    if whole and scale and 0 <= int(level) < len(scale):
        return f"{int(level)} {scale[int(level)]}"
    return str(level)

"""`{{ obj|tr:"field" }}`: a text field in the active language."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def tr(obj: Any, field: str) -> str:
    return str(obj.translated(field))

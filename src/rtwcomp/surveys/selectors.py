"""Studies as one researcher may see them: their own, those shared with them, or all for a
superuser (rules in `rtwcomp.permissions`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from rtwcomp import permissions
from rtwcomp.surveys.models import Study


def studies(user: Any) -> QuerySet[Study]:
    return permissions.editable(user, Study.objects.select_related("framework"))


def study(user: Any, slug: str) -> Study:
    """The study if `user` may work on it; 404 otherwise, so its existence is not revealed."""
    return permissions.get_or_404(user, "surveys.change_study", Study.objects.all(), slug=slug)

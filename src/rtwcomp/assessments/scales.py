"""An organisation's settings for its instruments: the proficiency scale (a label per level,
from 0 up) and the list of RTW activities an observer chooses from."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from rtwcomp.assessments.models import Organisation, Rating, Requirement, default_scale

MIN_LEVELS, MAX_LEVELS = 2, 5
MAX_LABEL = 60
MAX_ACTIVITIES, MAX_ACTIVITY = 30, 120


class SettingsError(ValueError):
    """Settings that cannot be kept, said in words for the user; `field` names the input."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def labels(organisation: Organisation) -> list[str]:
    """The scale's labels in the active language: the default labels are translated, labels
    an organisation typed are shown as typed."""
    return [_(label) for label in organisation.scale or default_scale()]


def lines(text: str) -> list[str]:
    """One entry per non-blank line, trimmed."""
    return [line.strip() for line in text.splitlines() if line.strip()]


@transaction.atomic
def update(organisation: Organisation, scale: list[str], activities: list[str]) -> None:
    """Keep a new scale and activity list. A scale may not lose a level that a rating or a
    role profile already uses: those would name a level the scale no longer has."""
    _check_scale(scale)
    _check_activities(activities)
    top = len(scale) - 1
    rated = Rating.objects.filter(subject__organisation=organisation, level__gt=top).count()
    required = Requirement.objects.filter(profile__organisation=organisation, level__gt=top)
    if rated or required.exists():
        raise SettingsError(
            _(
                "Levels above %(top)d are in use (%(rated)d ratings, %(required)d "
                "requirements of role profiles): the scale needs at least %(n)d levels."
            )
            % {
                "top": top,
                "rated": rated,
                "required": required.count(),
                "n": _highest_used(organisation) + 1,
            },
            "scale",
        )
    organisation.scale, organisation.activities = scale, activities
    organisation.save(update_fields=["scale", "activities"])


def _highest_used(organisation: Organisation) -> int:
    rated = Rating.objects.filter(subject__organisation=organisation)
    required = Requirement.objects.filter(profile__organisation=organisation)
    levels = [*rated.values_list("level", flat=True), *required.values_list("level", flat=True)]
    return max(levels, default=0)


def _check_scale(scale: list[str]) -> None:
    if not MIN_LEVELS <= len(scale) <= MAX_LEVELS:
        raise SettingsError(
            _("A scale has %(low)d to %(high)d levels, one label per line; this has %(n)d.")
            % {"low": MIN_LEVELS, "high": MAX_LEVELS, "n": len(scale)},
            "scale",
        )
    _check_entries(scale, MAX_LABEL, "scale")


def _check_activities(activities: list[str]) -> None:
    if not 1 <= len(activities) <= MAX_ACTIVITIES:
        raise SettingsError(
            _("Name 1 to %(high)d activities, one per line; this has %(n)d.")
            % {"high": MAX_ACTIVITIES, "n": len(activities)},
            "activities",
        )
    _check_entries(activities, MAX_ACTIVITY, "activities")


def _check_entries(entries: list[str], limit: int, field: str) -> None:
    for number, entry in enumerate(entries, start=1):
        if len(entry) > limit:
            raise SettingsError(
                _("Entry %(line)d has %(n)d characters; the limit is %(limit)d.")
                % {"line": number, "n": len(entry), "limit": limit},
                field,
            )
    seen = {e.casefold() for e in entries}
    if len(seen) < len(entries):
        raise SettingsError(_("Each line must differ from the others."), field)

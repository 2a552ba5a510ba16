"""Assessment rounds: named periods of an organisation, which never overlap, so that every
date belongs to at most one round and a rating's round follows from its date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from rtwcomp.assessments.models import Organisation, Rating, Round

MAX_NAME = 120


class RoundError(ValueError):
    """A round that cannot be made, said in words for the user; `field` names the input."""

    def __init__(self, message: str, field: str = "name") -> None:
        super().__init__(message)
        self.field = field


@transaction.atomic
def create_round(
    organisation: Organisation, name: str, starts_on: dt.date, ends_on: dt.date, user: Any
) -> Round:
    """A new round; refused when its name is taken or its dates overlap another round's.
    The organisation's row is locked so two rounds made at once cannot both slip in."""
    name = name.strip()
    _check(organisation, name, starts_on, ends_on)
    return Round.objects.create(
        organisation=organisation,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


def _check(organisation: Organisation, name: str, starts_on: dt.date, ends_on: dt.date) -> None:
    if not name:
        raise RoundError(_("A round needs a name."))
    if len(name) > MAX_NAME:
        raise RoundError(_("A round's name has at most %(n)d characters.") % {"n": MAX_NAME})
    if ends_on < starts_on:
        raise RoundError(_("The round ends before it starts."), "ends_on")
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if organisation.rounds.filter(name=name).exists():
        raise RoundError(_("There is a round “%(name)s” already.") % {"name": name})
    clash = overlapping(organisation, starts_on, ends_on).first()
    if clash is not None:
        raise RoundError(
            _("These dates overlap the round “%(name)s” (%(starts)s to %(ends)s).")
            % {"name": clash.name, "starts": clash.starts_on, "ends": clash.ends_on},
            "starts_on",
        )


def overlapping(organisation: Organisation, starts_on: dt.date, ends_on: dt.date) -> QuerySet:
    return organisation.rounds.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)


def round_on(organisation_id: int, day: dt.date) -> Round | None:
    """The organisation's round that holds `day`, if any."""
    return Round.objects.filter(
        organisation=organisation_id, starts_on__lte=day, ends_on__gte=day
    ).first()


def ratings_in(round_: Round) -> QuerySet[Rating]:
    """The ratings of a round: those recorded in it, and those dated inside it that were
    recorded before the round was made (a rating, an event, is never changed to name it)."""
    dated = Q(round__isnull=True, rated_on__range=(round_.starts_on, round_.ends_on))
    return Rating.objects.filter(
        Q(round=round_) | dated, subject__organisation=round_.organisation_id
    )

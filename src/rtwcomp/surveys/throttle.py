"""Throttling of the forms that take a guess: a study's access code and the resume codes.

Per study and form, at most `PER_CLIENT` wrong tries from one client address and
`PER_STUDY` from all addresses together in the last `WINDOW`; beyond either the form answers
429 until enough of those tries have aged out of the window.

The counts live in the database (`AttemptCount`, one row per minute), so every server
process shares them, and they change only through atomic `F()` updates. Django's database
cache would share them too, but its `incr` is a read followed by a write, which two
processes can interleave. A try is counted before the code is checked and the count read
back in the same transaction (the counted rows stay locked until it ends); a right code or
a refused try gives its count back, so only wrong tries that were checked are counted,
however many arrive at once. Addresses are stored only as a keyed hash.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac

from rtwcomp.surveys.models import AttemptCount, Study

WINDOW = timedelta(minutes=15)
PER_CLIENT = 5
PER_STUDY = 30
ALL_CLIENTS = "*"

ACCESS_CODE = "access"
RESUME_CODE = "resume"


@dataclass(frozen=True)
class Attempt:
    """One try at a form: `allowed` to be checked, or refused for `retry_after` seconds."""

    scope: str
    study: Study
    client: str
    minute: datetime
    allowed: bool
    retry_after: int = 0

    @property
    def retry_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


def _client_key(address: str) -> str:
    return salted_hmac("rtwcomp.surveys.throttle", address).hexdigest()[:40]


def _minute(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def _bump(scope: str, study: Study, client: str, minute: datetime, by: int) -> None:
    rows = AttemptCount.objects.filter(scope=scope, study=study, client=client, minute=minute)
    if rows.update(count=F("count") + by) or by < 0:
        return
    try:
        with transaction.atomic():
            AttemptCount.objects.create(
                scope=scope, study=study, client=client, minute=minute, count=by
            )
    except IntegrityError:  # created by another process in between
        rows.update(count=F("count") + by)


def _counts(scope: str, study: Study, client: str, now: datetime) -> list[tuple[datetime, int]]:
    return list(
        AttemptCount.objects.filter(
            scope=scope, study=study, client=client, minute__gt=now - WINDOW, count__gt=0
        )
        .order_by("minute")
        .values_list("minute", "count")
    )


def _sum(scope: str, study: Study, client: str, now: datetime) -> int:
    return sum(n for _m, n in _counts(scope, study, client, now))


def _wait(counts: list[tuple[datetime, int]], limit: int, now: datetime) -> int:
    """Seconds until fewer than `limit` counted tries remain in the window."""
    total = sum(n for _m, n in counts)
    leaves = now
    for minute, n in counts:
        if total < limit:
            break
        total -= n
        leaves = minute + WINDOW
    return max(1, math.ceil((leaves - now).total_seconds()))


def attempt(scope: str, study: Study, address: str) -> Attempt:
    """Count one try from `address`; say whether it may be checked."""
    now = timezone.now()
    minute = _minute(now)
    client = _client_key(address)
    AttemptCount.objects.filter(minute__lte=now - WINDOW).delete()
    found = Attempt(scope, study, client, minute, allowed=True)
    limits = ((client, PER_CLIENT), (ALL_CLIENTS, PER_STUDY))
    with transaction.atomic():
        for who, _limit in limits:
            _bump(scope, study, who, minute, 1)
        over = [(who, limit) for who, limit in limits if _sum(scope, study, who, now) > limit]
        if not over:
            return found
        give_back(found)
        wait = max(_wait(_counts(scope, study, who, now), limit, now) for who, limit in over)
    return Attempt(scope, study, client, minute, allowed=False, retry_after=wait)


def give_back(found: Attempt) -> None:
    """Uncount a try: the code was right, or the try was refused unchecked."""
    for who in (found.client, ALL_CLIENTS):
        _bump(found.scope, found.study, who, found.minute, -1)


def total(scope: str, study: Study) -> int:
    """Wrong tries counted over all addresses in the current window."""
    rows = AttemptCount.objects.filter(
        scope=scope, study=study, client=ALL_CLIENTS, minute__gt=timezone.now() - WINDOW
    )
    return int(rows.aggregate(n=Sum("count"))["n"] or 0)

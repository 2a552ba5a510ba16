"""The study page's buttons: one service call each, and the message that reports what it did.

Each action takes the study and returns that message; the rules, and the `SetupError`s
that refuse an action, stay in `studies` and `invitations`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from rtwcomp.surveys import invitations, studies
from rtwcomp.surveys.models import Study


def open_study(study: Study) -> str:
    studies.open_study(study)
    return _("The study is open.")


def close_study(study: Study) -> str:
    studies.close_study(study)
    return _("The study is closed.")


def invite(study: Study) -> str:
    return _("%(n)d e-mail(s) sent.") % {"n": invitations.send(study)}


def remind(study: Study) -> str:
    return _("%(n)d e-mail(s) sent.") % {"n": invitations.send(study, reminders=True)}


def next_round(study: Study) -> str:
    following = studies.start_next_round(study)
    return _("Round %(n)d is open with %(items)d item(s).") % {
        "n": following.number,
        "items": following.items.count(),
    }


ACTIONS: dict[str, Callable[[Study], str]] = {
    "open": open_study,
    "close": close_study,
    "invite": invite,
    "remind": remind,
    "next-round": next_round,
}

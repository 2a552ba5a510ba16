"""The study page's buttons: one service call each, and the message that reports what it did.

Each action takes the study, the user who pressed it and the address the site was reached
at (for links in e-mails, `site.mail.site_url`), and returns that message; the
rules, and the `SetupError`s that refuse an action, stay in `studies` and `invitations`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rtwcomp.surveys import jobs, responding, studies
from rtwcomp.surveys.models import Study


def open_study(study: Study, user: Any, site_url: str = "") -> str:
    studies.open_study(study)
    return _("The study is open.")


def close_study(study: Study, user: Any, site_url: str = "") -> str:
    studies.close_study(study)
    return _("The study is closed.")


def invite(study: Study, user: Any, site_url: str = "") -> str:
    return _sending(study, user, site_url, reminders=False)


def remind(study: Study, user: Any, site_url: str = "") -> str:
    return _sending(study, user, site_url, reminders=True)


def _sending(study: Study, user: Any, site_url: str, *, reminders: bool) -> str:
    """The e-mails go out in a background job of the user who asked; the message links to
    its page (a safe string, which the message storage keeps safe)."""
    job, due = jobs.start_sending(study, user, reminders=reminders, site_url=site_url)
    return format_html(
        _('Sending {n} e-mail(s): <a href="{url}">follow the job</a>.'),
        n=due,
        url=reverse("jobs:detail", args=[job.pk]),
    )


def next_round(study: Study, user: Any, site_url: str = "") -> str:
    following = studies.start_next_round(study)
    return _("Round %(n)d is open with %(items)d item(s).") % {
        "n": following.number,
        "items": following.items.count(),
    }


def delete_tests(study: Study, user: Any, site_url: str = "") -> str:
    deleted = responding.delete_test_responses(study)
    return ngettext("%(n)d test response deleted.", "%(n)d test responses deleted.", deleted) % {
        "n": deleted
    }


ACTIONS: dict[str, Callable[[Study, Any, str], str]] = {
    "open": open_study,
    "close": close_study,
    "invite": invite,
    "remind": remind,
    "next-round": next_round,
    "delete-tests": delete_tests,
}

"""`rtwcomp develop send-reminders`: e-mail the development reminders that are due, once
(what the worker does on its own now and then)."""

from __future__ import annotations

import argparse
from typing import Any

from rtwcomp.commands import django_setup


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "develop", help="development plans: reminders of reassessments and activities"
    )
    commands = parser.add_subparsers(dest="develop_command", metavar="ACTION", required=True)
    send = commands.add_parser(
        "send-reminders",
        help="e-mail the reminders that are due, once",
        description="E-mail every reminder due today or earlier that was neither sent nor "
        "stopped (reassessment due, plan activity due, feedback requested). Links start with "
        "RTWCOMP_SITE_URL, else the local address 'rtwcomp serve' listens on.",
    )
    send.add_argument(
        "--date", metavar="YYYY-MM-DD", help="send what is due by this day (default: today)"
    )
    send.set_defaults(handler=run_send_reminders)


@django_setup.django_command(writes=True)
def run_send_reminders(args: argparse.Namespace) -> int:
    import datetime as dt

    from rtwcomp.commands import UsageError
    from rtwcomp.development import reminders
    from rtwcomp.site import mail

    day = None
    if args.date:
        try:
            day = dt.date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(f"--date: '{args.date}' is not a date (YYYY-MM-DD)") from None
    sent = reminders.send_due(mail.site_url(), day)
    print(f"{sent} reminder(s) sent")
    return 0

"""Reminder e-mails as background work (`rtwcomp.jobs`): the worker looks for due reminders
now and then (`queue_due_reminders`, registered with `jobs.worker.PERIODIC`) and queues one
job to send them; `rtwcomp develop send-reminders` runs the same sending once."""

from __future__ import annotations

from django.utils.translation import gettext as _

from rtwcomp.development import reminders
from rtwcomp.jobs.models import Job
from rtwcomp.jobs.services import job_task, report, start
from rtwcomp.site import mail


@job_task
def send_reminders(job: Job, *, site_url: str = "") -> None:
    """E-mail the reminders that are due, with links under `site_url`."""
    sent = reminders.send_due(site_url or mail.site_url())
    report(job, 100, _("%(n)d reminder(s) sent.") % {"n": sent})


def queue_due_reminders() -> Job | None:
    """Queue a job sending the due reminders, if any are due (links: `mail.site_url()`),
    after making those of feedback links asked since the last run."""
    reminders.remind_feedback_requests()
    if not reminders.due().exists():
        return None
    return start(send_reminders, owner=None, title=_("Reminders"), site_url=mail.site_url())

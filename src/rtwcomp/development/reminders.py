"""Reminders: a plan's reassessment date and its activities' due dates, kept in step with
the plan, and feedback asked of people of the organisation; e-mailed once they are due by
background work (never in a web request), and stopped by the person they are for."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rtwcomp.assessments.models import FeedbackRequest, Person, Rating
from rtwcomp.development.models import Plan, Reminder

logger = logging.getLogger(__name__)
Kind = Reminder.Kind


def schedule(plan: Plan) -> None:
    """Make the plan's reminders match it: one for the reassessment date, one per open
    activity with a due date. A changed date is reminded again; a stopped reminder stays
    stopped; reminders of what is done or gone are removed unless already sent."""
    wanted: dict[tuple[str, int | None], tuple[dt.date, str]] = {}
    if plan.reassess_on and plan.status != Plan.Status.DONE:
        wanted[(Kind.REASSESSMENT, None)] = (plan.reassess_on, str(plan.profile or ""))
    for goal in plan.goals.prefetch_related("activities"):
        for activity in goal.activities.all():
            if activity.due_on and activity.done_on is None:
                wanted[(Kind.ACTIVITY, activity.pk)] = (activity.due_on, activity.description)
    existing = {(r.kind, r.activity_id): r for r in plan.reminders.all()}
    for key, reminder in existing.items():
        if key not in wanted and reminder.sent_at is None:
            reminder.delete()
    for (kind, activity), (due_on, subject) in wanted.items():
        _keep(plan, existing.get((kind, activity)), kind, activity, due_on, subject[:200])


def _keep(
    plan: Plan, found: Reminder | None, kind: str, activity: int | None, due: dt.date, about: str
) -> None:
    if found is None:
        Reminder.objects.create(
            person=plan.person, plan=plan, kind=kind, activity_id=activity, due_on=due,
            subject=about,
        )  # fmt: skip
    elif found.due_on != due or found.subject != about:
        found.sent_at = None if found.due_on != due else found.sent_at
        found.due_on, found.subject = due, about
        found.save(update_fields=["due_on", "subject", "sent_at"])


def request_feedback_reminder(person: Any, due_on: dt.date, about: str) -> Reminder:
    """A reminder that feedback was asked of `person` (a mentor or supervisor, say)."""
    return Reminder.objects.create(
        person=person, kind=Kind.FEEDBACK, due_on=due_on, subject=about[:200]
    )


def remind_feedback_requests(today: dt.date | None = None) -> int:
    """A "feedback requested" reminder for each open feedback link whose rater is a person
    of the organisation with an e-mail address (the subject's mentor or supervisor, or a
    peer), found by the rater's name; none for outside raters or a name that is not exactly
    one such person. Reminders of links answered or expired before they were sent go.
    Returns how many were made. Runs in the reminder job: the assessments app, which makes
    the links, does not know this app (layers)."""
    today = today or timezone.localdate()
    waiting = Reminder.objects.filter(kind=Kind.FEEDBACK, sent_at__isnull=True, plan=None)
    open_links = FeedbackRequest.objects.filter(used_at=None, expires_at__gt=timezone.now())
    for reminder in waiting:
        if (pk := _request_pk(reminder.subject)) and not open_links.filter(pk=pk).exists():
            reminder.delete()
    made = 0
    for asked in open_links.exclude(source=Rating.Source.OUTSIDE).select_related("subject"):
        rater = _rater(asked)
        marker = f"#{asked.pk} "
        if rater is None or rater.reminders.filter(subject__startswith=marker).exists():
            continue
        about = marker + _("on %(name)s, link open until %(date)s") % {
            "name": asked.subject.name,
            "date": timezone.localdate(asked.expires_at).isoformat(),
        }
        request_feedback_reminder(rater, today, about)
        made += 1
    return made


def _request_pk(about: str) -> int | None:
    head = about.split(" ", 1)[0]
    return int(head[1:]) if head.startswith("#") and head[1:].isdigit() else None


def _rater(asked: FeedbackRequest) -> Person | None:
    """The person a link was made for, when its name and relation name exactly one."""
    subject = asked.subject
    candidates = {
        Rating.Source.MENTOR: subject.mentors.all(),
        Rating.Source.SUPERVISOR: Person.objects.filter(
            supervised_teams=subject.team_id or -1  # no team, no supervisor
        ),
        Rating.Source.PEER: subject.organisation.people.all(),
    }[Rating.Source(asked.source)]
    found = list(
        candidates.filter(name__iexact=asked.rater_name.strip())
        .exclude(email="")
        .exclude(pk=subject.pk)[:2]
    )
    return found[0] if len(found) == 1 else None


def due(today: dt.date | None = None) -> Any:
    """Reminders due by `today`, neither sent nor stopped, to people with an address."""
    today = today or timezone.localdate()
    return (
        Reminder.objects.filter(due_on__lte=today, sent_at__isnull=True, stopped_at__isnull=True)
        .exclude(Q(person__email="") | Q(plan__status=Plan.Status.DONE))
        .select_related("person", "plan", "activity")
    )


def send_due(site_url: str, today: dt.date | None = None) -> int:
    """E-mail every due reminder once, with a link under `site_url`; returns how many were
    sent. Each is marked sent as soon as its message is out, so running again (a worker
    restarted) writes only to those not yet reminded."""
    remind_feedback_requests(today)
    sent = 0
    for reminder in due(today):
        subject, body = message(reminder, site_url)
        send_mail(subject, body, None, [reminder.person.email])
        Reminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now())
        sent += 1
    if sent:
        logger.info("%d reminder(s) sent", sent)
    return sent


def message(reminder: Reminder, site_url: str) -> tuple[str, str]:
    """The subject and text of a reminder's e-mail."""
    subject = {
        Kind.REASSESSMENT: _("Your reassessment is due on %(date)s"),
        Kind.ACTIVITY: _("A development activity is due on %(date)s"),
        Kind.FEEDBACK: _("Feedback is requested by %(date)s"),
    }[Kind(reminder.kind)] % {"date": reminder.due_on.isoformat()}
    lines = [
        _("Hello %(name)s,") % {"name": reminder.person.name},
        "",
        subject + (f": {reminder.subject}" if reminder.subject else "."),
        "",
    ]
    if reminder.plan_id:  # a feedback reminder has no plan
        target = site_url.rstrip("/") + reverse("development:plan", args=[reminder.plan_id])
        lines.append(_("Open your development plan: %(link)s") % {"link": target})
    lines.append(
        _("See or stop your reminders: %(link)s")
        % {"link": site_url.rstrip("/") + reverse("development:reminders")}
    )
    return f"[rtwcomp] {subject}", "\n".join(lines)


def stop(reminder: Reminder) -> Reminder:
    if reminder.stopped_at is None:
        reminder.stopped_at = timezone.now()
        reminder.save(update_fields=["stopped_at"])
    return reminder

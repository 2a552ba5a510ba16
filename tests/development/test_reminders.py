"""Reminders follow the plan, are sent by background work with a working link, once, and
stop when their recipient says so."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.utils import timezone

from rtwcomp.cli import main
from rtwcomp.development import reminders, services
from rtwcomp.development.models import Reminder
from rtwcomp.jobs.models import Job
from tests.development.helpers import login

TODAY = timezone.localdate()


def test_reminders_follow_the_plan(world, plan):
    services.update_plan(plan, reassess_on=dt.date(2027, 6, 1))
    goal = plan.goals.first()
    activity = services.add_activity(
        goal, route="mentorship", description="Shadow Max", due_on=dt.date(2027, 2, 1)
    )
    kinds = sorted((r.kind, r.due_on) for r in Reminder.objects.all())
    assert kinds == [("activity", dt.date(2027, 2, 1)), ("reassessment", dt.date(2027, 6, 1))]
    assert {r.person for r in Reminder.objects.all()} == {world.people["ana"]}
    services.complete_activity(activity)
    assert not Reminder.objects.filter(kind="activity").exists()  # done: nothing to remind
    services.update_plan(plan, reassess_on=None)
    assert not Reminder.objects.exists()


def test_due_reminders_are_sent_by_the_worker_once_with_a_link_that_opens_the_plan(
    world, plan, run_jobs, settings
):
    settings.SITE_URL = "http://testserver"
    services.update_plan(plan, reassess_on=TODAY)
    later = services.add_activity(
        plan.goals.first(),
        route="training",
        description="Course",
        due_on=TODAY.replace(year=TODAY.year + 1),
    )
    assert len(mail.outbox) == 0  # never inside the request or the service
    run_jobs()
    assert Job.objects.filter(kind="rtwcomp.development.jobs.send_reminders").count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.org"] and "reassessment is due" in message.subject
    link = re.search(r"http://testserver(/develop/plans/\d+/)", message.body)[1]
    assert login(world, "ana").get(link).status_code == 200
    assert login(world, "ben").get(link).status_code == 404
    assert Reminder.objects.get(kind="reassessment").sent_at is not None
    assert Reminder.objects.get(activity=later).sent_at is None  # not due yet
    run_jobs()
    assert len(mail.outbox) == 1  # sent once


def test_a_stopped_reminder_is_not_sent(world, plan):
    services.update_plan(plan, reassess_on=TODAY)
    reminder = Reminder.objects.get()
    page = login(world, "ana").get("/develop/reminders/")
    assert (
        "reassessment due" in page.text and f"/develop/reminders/{reminder.pk}/stop/" in page.text
    )
    assert login(world, "max").post(f"/develop/reminders/{reminder.pk}/stop/").status_code == 404
    assert login(world, "ana").post(f"/develop/reminders/{reminder.pk}/stop/").status_code == 302
    reminder.refresh_from_db()
    assert reminder.stopped_at is not None
    assert reminders.send_due("http://x") == 0 and not mail.outbox
    services.update_plan(plan, reassess_on=TODAY - dt.timedelta(days=1))
    reminder.refresh_from_db()
    assert reminder.stopped_at is not None  # a changed date does not restart it


def test_the_command_sends_what_is_due_by_a_date(world, plan, capsys, monkeypatch):
    monkeypatch.setattr("rtwcomp.commands.django_setup.migrate", lambda verbosity=0: None)
    services.update_plan(plan, reassess_on=dt.date(2030, 1, 10))
    assert main(["develop", "send-reminders", "--date", "2030-01-09"]) == 0
    assert "0 reminder(s) sent" in capsys.readouterr().out
    assert main(["develop", "send-reminders", "--date", "2030-01-10"]) == 0
    assert "1 reminder(s) sent" in capsys.readouterr().out and len(mail.outbox) == 1
    assert main(["develop", "send-reminders", "--date", "tomorrow"]) == 2
    err = capsys.readouterr().err
    assert "'tomorrow' is not a date" in err and "Traceback" not in err

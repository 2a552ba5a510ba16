"""A feedback link made for a person of the organisation (the subject's mentor or
supervisor, or a peer) gives that person a "feedback requested" reminder, made and e-mailed
by the reminder job, once; outside raters and names matching nobody get none, and a link
answered before the reminder went out takes its reminder away."""

from __future__ import annotations

from django.core import mail

from rtwcomp.assessments import services
from rtwcomp.development import reminders
from rtwcomp.development.models import Reminder


def ask(world, source: str, rater_name: str):
    ana = world.people["ana"]
    competencies = list(ana.organisation.framework.competencies.all()[:2])
    return services.request_feedback(
        ana, source=source, rater_name=rater_name, competencies=competencies,
        user=world.users["admin"],
    )  # fmt: skip


def test_the_worker_reminds_raters_who_are_people_of_the_organisation(world, run_jobs, settings):
    settings.SITE_URL = "http://testserver"
    ask(world, "mentor", "Max Mentor")
    ask(world, "supervisor", "  sue supervisor ")  # the name as typed
    ask(world, "peer", "Ben Coordinator")
    ask(world, "outside", "Max Mentor")  # an outside rater is never a person here
    ask(world, "mentor", "Ben Coordinator")  # Ben is not Ana's mentor
    ask(world, "peer", "Nobody Known")
    assert not Reminder.objects.exists()  # nothing is made when the link is
    run_jobs()
    made = sorted((r.person.email, r.kind) for r in Reminder.objects.all())
    assert made == [
        ("ben@example.org", "feedback"),
        ("max@example.org", "feedback"),
        ("sue@example.org", "feedback"),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == [e for e, _kind in made]
    message = next(m for m in mail.outbox if m.to == ["max@example.org"])
    assert "Feedback is requested" in message.subject and "Ana Coordinator" in message.body
    assert "http://testserver/develop/reminders/" in message.body
    assert "development plan" not in message.body  # it has none
    run_jobs()
    assert Reminder.objects.count() == 3 and len(mail.outbox) == 3  # once per link


def test_a_link_answered_before_the_reminder_went_out_takes_it_away(world):
    asked, token = ask(world, "mentor", "Max Mentor")
    assert reminders.remind_feedback_requests() == 1
    assert reminders.remind_feedback_requests() == 0  # not twice
    competency = asked.competencies.first()
    services.answer_feedback(token, {str(competency.pk): {"level": 2}})
    assert reminders.send_due("http://x") == 0
    assert not Reminder.objects.exists() and not mail.outbox

"""`rtwcomp demo --seed 1 --json` through the product's services: the issue's numbers, stage 6
(plans, mentors, the reassessment, a vacancy), the pages a user browses, and removal in one
command."""

from __future__ import annotations

import argparse
import json

import pytest

from rtwcomp.commands import UsageError, demo
from rtwcomp.commands import demo_organisation as organisation_demo

STAGE6_APPS = ("development", "mentoring", "selection")


def stage6_rows() -> dict[str, int]:
    """Rows of every table of the stage-6 apps, their many-to-many tables included."""
    from django.apps import apps

    return {
        model._meta.db_table: model._default_manager.count()
        for label in STAGE6_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


@pytest.mark.django_db
def test_demo_seed_1_reports_the_funnel_is_browsable_and_removable(client, capsys):
    from django.contrib.auth.models import User

    from rtwcomp.assessments.models import Organisation, Rating
    from rtwcomp.elicitation.models import Project, Statement
    from rtwcomp.frameworks.models import Framework
    from rtwcomp.surveys.models import Answer, Study

    args = argparse.Namespace(seed=1, json=True, remove=False)
    assert demo.run.__wrapped__(args) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(result) == {"funnel", "findings", "stage6"}
    funnel, findings = result["funnel"], result["findings"]
    assert set(funnel) == {
        "focus_groups", "participants", "statements", "unique_items", "surveyed_items",
        "respondents", "countries", "key_items",
    }  # fmt: skip
    assert set(findings) == {
        "country_group_min_q", "nurse_medical_effect_detected", "nurse_medical_q"
    }  # fmt: skip
    assert funnel["focus_groups"] == 8 and funnel["participants"] == 75
    assert abs(funnel["statements"] - 904) <= 50
    assert funnel["surveyed_items"] == 100 and funnel["respondents"] == 148
    assert funnel["countries"] == 3
    assert abs(funnel["key_items"] - 83) <= 5
    assert findings["country_group_min_q"] >= 0.05
    assert findings["nurse_medical_effect_detected"] is True
    assert findings["nurse_medical_q"] < 0.05

    project = Project.objects.get(slug="demo-rtw-coordinators-1", owner__username="demo")
    assert not Statement.objects.filter(project=project, item__isnull=True).exists()
    assert project.items.count() == funnel["unique_items"]
    assert project.sorts.get().placements.exists()  # matched items sit in the framework groups
    study = Study.objects.get(slug="demo-rtw-survey-1", owner__username="demo")
    assert Answer.objects.filter(response__study=study).exclude(acquired="").exists()

    organisation = Organisation.objects.get(slug="demo-northside-1", owner__username="demo")
    profile = organisation.profiles.get()
    assert profile.requirements.count() == funnel["key_items"]  # drawn from the demo study
    baseline, again = organisation.rounds.order_by("starts_on")
    ana = organisation.people.get(name="Ana Lopez")
    in_baseline = ana.ratings.filter(round=baseline)
    assert in_baseline.filter(source=Rating.Source.SELF).count() == funnel["key_items"]
    assert (
        in_baseline.filter(source=Rating.Source.OBSERVED).count()
        == organisation_demo.OBSERVED_PER_PERSON
    )
    assert organisation.people.filter(is_mentor=True).count() == 2
    assert ana.ratings.filter(round=again, source=Rating.Source.SELF).count() == funnel["key_items"]
    assert ana.ratings.filter(round=again, source=Rating.Source.OBSERVED).exists()

    stage6 = check_stage6(organisation, profile, baseline, again, result["stage6"])
    admin = User.objects.create_superuser("root", password="x-long-password-0")
    client.force_login(admin)
    for url in (
        "/elicitation/demo-rtw-coordinators-1/",
        "/studies/demo-rtw-survey-1/",
        "/studies/demo-rtw-survey-1/results/",
        "/assess/orgs/demo-northside-1/",
        f"/assess/people/{ana.pk}/",
        *stage6,
    ):
        assert client.get(url).status_code == 200, url

    with pytest.raises(UsageError, match="already loaded"):
        demo.run.__wrapped__(args)
    frameworks = Framework.objects.count()
    assert demo.run.__wrapped__(argparse.Namespace(seed=1, json=False, remove=True)) == 0
    assert not Project.objects.filter(slug__startswith="demo-").exists()
    assert not Study.objects.filter(slug__startswith="demo-").exists()
    assert not Organisation.objects.filter(slug__startswith="demo-").exists()
    assert list(User.objects.values_list("username", flat=True)) == ["root"]  # logins gone
    assert Framework.objects.count() == frameworks  # the shipped framework stays
    left = {table: n for table, n in stage6_rows().items() if n}
    assert left == {}, left


def check_stage6(organisation, profile, baseline, again, reported: dict) -> list[str]:
    """Plans, pairs, meetings, the reassessment and the vacancy as the demo made them, and
    as `--json` counted them; returns the pages to open."""
    from rtwcomp.assessments import selectors as assessments
    from rtwcomp.development import selectors as development
    from rtwcomp.development.models import Goal, Plan, PlanEvent
    from rtwcomp.mentoring.models import Mentorship
    from rtwcomp.selection.models import ScoreSheet

    plans = list(Plan.objects.filter(person__organisation=organisation).order_by("person__name"))
    coordinators = organisation.people.filter(is_coordinator=True, is_mentor=False)
    assert {p.person_id for p in plans} == set(coordinators.values_list("pk", flat=True))
    pairs = list(Mentorship.objects.filter(mentee__organisation=organisation))
    assert pairs and all(p.made_by == Mentorship.MadeBy.MATCHING and p.reason for p in pairs)
    assert {p.mentor.name for p in pairs} <= {"Grace Liu", "Hamish Brown"}
    acquired = development.acquired_counts(profile)
    for plan in plans:
        assert plan.status == Plan.Status.IN_PROGRESS and plan.profile == profile
        assert plan.agreements.count() == 2  # the coordinator and their mentor or supervisor
        moves = plan.events.order_by("at", "pk").values_list("to_status", flat=True)
        assert list(moves) == ["draft", "agreed", "in_progress"]
        assert plan.person.mentors.count() == (plan.person_id in {p.mentee_id for p in pairs})
        for activity in (a for g in plan.goals.all() for a in g.activities.all()):
            code = activity.goal.competency.code
            assert activity.route == development.route_advice(acquired[code])["route"]
    meetings = [m for p in pairs for m in p.meetings.all()]
    assert len(meetings) == len(pairs)
    worked = [m for m in meetings if m.goals.exists()]
    for meeting in worked:
        goal = meeting.goals.order_by("position").first()
        assert goal.plan.person_id == meeting.mentorship.mentee_id and goal.done_on is not None
        (observation,) = meeting.observations.all()  # the reassessment, started from it
        assert observation.status == "submitted" and observation.subject == goal.plan.person
    assert PlanEvent.objects.filter(plan__in=plans).count() == 3 * len(plans)
    reached = Goal.objects.filter(plan__in=plans, done_on__isnull=False)
    for goal in reached:  # observed at the target in the reassessment, its activities done
        observed = goal.plan.person.ratings.filter(
            competency=goal.competency, round=again, source="observed", level__gte=goal.target
        )
        assert observed.exists() and not goal.activities.filter(done_on__isnull=True).exists()

    ana = organisation.people.get(name="Ana Lopez")
    trend = assessments.trends(organisation, [ana])
    assert [r.pk for r in trend["rounds"]] == [baseline.pk, again.pk]
    assert any(row["values"][1] > row["values"][0] for row in trend["rows"])  # progress shows

    vacancy = organisation.vacancies.get()
    assert vacancy.guide.profile == profile
    assert vacancy.guide.items.count() == organisation_demo.GUIDE_QUESTIONS
    panel = set(vacancy.panel.values_list("username", flat=True))
    assert panel == {"demo-sue", "demo-grace"}
    sheets = ScoreSheet.objects.filter(candidate__vacancy=vacancy, submitted_at__isnull=False)
    assert sorted(sheets.values_list("candidate__name", "interviewer__username")) == sorted(
        (name, who) for name, _ in organisation_demo.CANDIDATES for who in panel
    )
    assert reported == {
        "rounds": 2,
        "plans_in_progress": len(plans),
        "goals": sum(p.goals.count() for p in plans),
        "goals_reached": reached.count(),
        "activities": sum(g.activities.count() for p in plans for g in p.goals.all()),
        "mentorships": len(pairs),
        "meetings": len(meetings),
        "candidates": len(organisation_demo.CANDIDATES),
        "score_sheets": len(organisation_demo.CANDIDATES) * len(panel),
    }
    return [
        f"/develop/plans/{plans[0].pk}/",
        f"/develop/people/{ana.pk}/progress/",
        f"/develop/programmes/{organisation.slug}/",
        f"/mentoring/organisations/{organisation.slug}/",
        f"/mentoring/pairs/{pairs[0].pk}/",
        f"/selection/guides/{vacancy.guide_id}/",
        f"/selection/vacancies/{vacancy.pk}/compare/",
    ]


class _Terminal:
    def __init__(self, answer: str, tty: bool = True) -> None:
        self.answer, self.tty = answer, tty

    def isatty(self) -> bool:
        return self.tty

    def readline(self) -> str:
        return self.answer + "\n"


@pytest.mark.django_db
def test_the_offer_asks_only_on_a_terminal_with_an_empty_database(capsys):
    from rtwcomp.elicitation.services import create_project

    assert demo.accepted_offer(_Terminal("y", tty=False)) is False
    assert capsys.readouterr().out == ""
    assert demo.accepted_offer(_Terminal("n")) is False
    assert demo.accepted_offer(_Terminal("y")) is True
    assert "Load the demo" in capsys.readouterr().out
    create_project("someone's own project")
    assert demo.accepted_offer(_Terminal("y")) is False


@pytest.mark.django_db
def test_offer_declined_loads_nothing(monkeypatch):
    from rtwcomp.elicitation.models import Project

    monkeypatch.setattr("sys.stdin", _Terminal("n"))
    args = argparse.Namespace(seed=1, json=False, remove=False, offer=True, if_missing=False)
    assert demo.run.__wrapped__(args) == 0
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_someones_account_named_demo_is_never_taken_over_or_removed():
    from django.contrib.auth.models import User

    someone = User.objects.create_user("demo", password="x-long-password-0")
    with pytest.raises(UsageError, match="exists and can log in"):
        demo.demo_user()
    assert demo.run.__wrapped__(argparse.Namespace(seed=1, json=False, remove=True)) == 0
    someone.refresh_from_db()
    assert someone.check_password("x-long-password-0")


@pytest.mark.django_db
def test_someones_account_named_like_a_demo_person_is_never_taken_over(default_framework):
    from django.contrib.auth.models import User

    from rtwcomp.assessments.models import Organisation
    from rtwcomp.assessments.services import import_people
    from rtwcomp.interop.people_csv import PersonRow

    organisation = Organisation.objects.create(
        slug="demo-someone", name="Demo", framework=default_framework
    )
    row = PersonRow(2, "Ana Lopez", "ana@demo.example.org", ("coordinator",), "", "", "")
    import_people(organisation, [row])
    someone = User.objects.create_user("demo-ana", password="x-long-password-0")
    with pytest.raises(UsageError, match="'demo-ana' exists and can log in"):
        organisation_demo.demo_logins(organisation)
    someone.refresh_from_db()
    assert someone.check_password("x-long-password-0")
    assert organisation.people.get().user is None

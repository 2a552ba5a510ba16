"""/api/v1/assessments/: people, rating events and gaps, as the person's circle sees them."""

from __future__ import annotations

from django.test import Client

from rtwcomp.assessments import services
from rtwcomp.assessments.models import Requirement, RoleProfile


def _client(world, who):
    client = Client()
    client.force_login(world.users[who])
    return client


def test_people_are_those_the_user_may_see(world):
    names = {p["name"] for p in _client(world, "sue").get("/api/v1/assessments/people").json()}
    assert names == {"Sue Supervisor", "Ana Coordinator", "Max Mentor"}
    assert Client().get("/api/v1/assessments/people").status_code == 401


def test_rating_events_keep_corrections_and_are_hidden_from_colleagues(world):
    ana = world.people["ana"]
    competency = world.organisation.framework.competencies.first()
    first = services.record(ana, competency, source="self", instrument="self", level=1, user=None)
    services.correct(first, level=2, user=None)
    url = f"/api/v1/assessments/people/{ana.pk}/ratings"
    events = _client(world, "max").get(url).json()
    assert [(e["level"], e["current"], e["supersedes"]) for e in events] == [
        (1, False, None),
        (2, True, first.pk),
    ]
    assert _client(world, "ben").get(url).status_code == 404


def test_gaps_state_both_rules(world):
    ana = world.people["ana"]
    competency = world.organisation.framework.competencies.first()
    profile = RoleProfile.objects.create(
        organisation=world.organisation, framework=world.organisation.framework, name="Lead",
        rule="set by hand",
    )  # fmt: skip
    Requirement.objects.create(profile=profile, competency=competency, level=3)
    services.record(ana, competency, source="mentor", instrument="feedback", level=1, user=None,
                    rater=world.people["max"])  # fmt: skip
    body = _client(world, "ana").get(f"/api/v1/assessments/people/{ana.pk}/gaps/{profile.pk}")
    assert body.status_code == 200
    data = body.json()
    assert data["rule"] == "set by hand" and "direct observation" in data["combining_rule"]
    assert data["gaps"] == [
        {"competency": competency.code, "required": 3, "assessed": 1.0, "basis": "others",
         "gap": 2.0, "importance": None, "priority": 2.0, "personal_attribute": False}
    ]  # fmt: skip
    missing = _client(world, "ana").get(f"/api/v1/assessments/people/{ana.pk}/gaps/999999")
    assert missing.status_code == 404


def test_a_profile_of_another_organisation_is_not_found(world):
    from rtwcomp.assessments.models import Organisation

    other = Organisation.objects.create(slug="other", name="Other")
    foreign = RoleProfile.objects.create(
        organisation=other, framework=world.organisation.framework, name="Foreign"
    )
    ana = world.people["ana"]
    url = f"/api/v1/assessments/people/{ana.pk}/gaps/{foreign.pk}"
    assert _client(world, "admin").get(url).status_code == 404

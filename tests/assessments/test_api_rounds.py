"""/api/v1/assessments/: role profiles with their requirements, rounds, and assessments (a
person's ratings in one round), documented in the OpenAPI description."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from rtwcomp.assessments import services
from rtwcomp.assessments.models import Organisation, Requirement, RoleProfile
from rtwcomp.assessments.rounds import create_round

API = "/api/v1/assessments"


def _client(world, who):
    client = Client()
    client.force_login(world.users[who])
    return client


def _profile(world, organisation=None, name="Lead"):
    organisation = organisation or world.organisation
    profile = RoleProfile.objects.create(
        organisation=organisation, framework=world.organisation.framework, name=name
    )
    competency = world.organisation.framework.competencies.order_by("position").first()
    Requirement.objects.create(profile=profile, competency=competency, level=3)
    return profile, competency


def test_profiles_are_their_organisations_with_requirements(world):
    profile, competency = _profile(world)
    elsewhere = Organisation.objects.create(slug="other", name="Other", owner=world.admin)
    hidden, _c = _profile(world, elsewhere, "Hidden")
    listed = _client(world, "ben").get(f"{API}/profiles").json()
    assert [(p["name"], p["organisation"], p["study"]) for p in listed] == [("Lead", "acme", None)]
    detail = _client(world, "ben").get(f"{API}/profiles/{profile.pk}").json()
    assert detail["requirements"] == [{"competency": competency.code, "level": 3}]
    assert detail["framework"] == "rtw-coordinator"
    assert _client(world, "ben").get(f"{API}/profiles/{hidden.pk}").status_code == 404
    assert _client(world, "outsider").get(f"{API}/profiles").json() == []
    assert len(_client(world, "admin").get(f"{API}/profiles").json()) == 2  # owns both


def test_assessments_are_a_persons_ratings_in_one_round(world):
    spring = create_round(
        world.organisation, "Spring", dt.date(2026, 3, 1), dt.date(2026, 5, 31), None
    )
    ana = world.people["ana"]
    competency = world.organisation.framework.competencies.first()
    first = services.record(
        ana, competency, source="self", instrument="self", level=1, user=None,
        rated_on=dt.date(2026, 4, 1),
    )  # fmt: skip
    services.correct(first, level=2, user=None)
    services.record(
        ana, competency, source="self", instrument="self", level=4, user=None,
        rated_on=dt.date(2026, 7, 1),
    )  # fmt: skip
    rounds = _client(world, "ana").get(f"{API}/rounds").json()
    assert rounds == [
        {"id": spring.pk, "organisation": "acme", "name": "Spring",
         "starts_on": "2026-03-01", "ends_on": "2026-05-31"}
    ]  # fmt: skip
    summary = _client(world, "sue").get(f"{API}/people/{ana.pk}/assessments").json()
    assert [(a["round"]["name"], a["ratings"]) for a in summary] == [("Spring", 1)]
    one = _client(world, "max").get(f"{API}/people/{ana.pk}/assessments/{spring.pk}").json()
    assert [(r["level"], r["current"]) for r in one["ratings"]] == [(1, False), (2, True)]
    assert one["round"]["name"] == "Spring" and one["person"] == ana.pk
    assert _client(world, "ben").get(f"{API}/people/{ana.pk}/assessments").status_code == 404
    other = Organisation.objects.create(slug="other", name="Other", owner=world.admin)
    theirs = create_round(other, "Theirs", dt.date(2026, 3, 1), dt.date(2026, 5, 31), None)
    url = f"{API}/people/{ana.pk}/assessments/{theirs.pk}"
    assert _client(world, "admin").get(url).status_code == 404


def test_the_new_operations_are_documented(world):
    spec = Client().get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/api/v1/assessments/profiles",
        "/api/v1/assessments/profiles/{profile_id}",
        "/api/v1/assessments/rounds",
        "/api/v1/assessments/people/{person_id}/assessments",
        "/api/v1/assessments/people/{person_id}/assessments/{round_id}",
    ):
        operation = paths[path]["get"]
        assert operation["description"] or operation["summary"], path
        assert {"200", "401"} <= set(operation["responses"]), path
    assert "AssessmentOut" in spec["components"]["schemas"]

"""`rtwcomp assess match-mentors` and /api/v1/mentoring/."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from rtwcomp.assessments.models import RoleProfile, Round
from rtwcomp.cli import main
from rtwcomp.mentoring import services
from rtwcomp.mentoring.models import Mentorship


def test_match_mentors_prints_the_pairs_and_their_reasons_then_applies_them(mentoring, capsys):
    c1 = mentoring.competencies[0].code
    assert main(["assess", "match-mentors", "acme"]) == 0
    out = capsys.readouterr().out
    assert f"Ben Coordinator <- Max Mentor: covers 6.00 of need: {c1} (need 3.00" in out
    assert "2 pairs proposed (make them with --apply)" in out
    assert not Mentorship.objects.exists()
    assert main(["assess", "match-mentors", "acme", "--apply"]) == 0
    assert "2 pairs made" in capsys.readouterr().out
    assert Mentorship.objects.filter(made_by="matching").count() == 2
    assert main(["assess", "match-mentors", "acme"]) == 0
    assert "0 pairs proposed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, message",
    [
        (["nope"], "no organisation 'nope'"),
        (["acme", "--profile", "Lead"], "no role profile 'Lead' with --profile"),
        (["acme", "--round", "Spring"], "no round 'Spring' (the organisation's: Autumn)"),
    ],
)
def test_match_mentors_refuses_bad_input_with_status_2(mentoring, capsys, args, message):
    Round.objects.create(
        organisation=mentoring.world.organisation, name="Autumn", starts_on="2026-10-01",
        ends_on="2026-11-15",
    )  # fmt: skip
    assert main(["assess", "match-mentors", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_several_profiles_need_one_named(mentoring, capsys):
    organisation = mentoring.world.organisation
    RoleProfile.objects.create(
        organisation=organisation, framework=organisation.framework, name="Lead"
    )
    assert main(["assess", "match-mentors", "acme"]) == 2
    assert "name a role profile with --profile (the organisation's: Coordinator, Lead)" in (
        capsys.readouterr().err
    )
    assert main(["assess", "match-mentors", "acme", "--profile", "Coordinator"]) == 0


def _api(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_api_lists_pairs_and_meetings_and_the_pair_logs_one(mentoring):
    people, c = mentoring.people, mentoring.competencies
    pair = services.pair(people["max"], people["ben"], made_by="matching", user=None, reason="r")
    base = f"/api/v1/mentoring/mentorships/{pair.pk}"
    mentor = _api(mentoring.users["max"])
    listed = mentor.get("/api/v1/mentoring/mentorships").json()
    assert [(p["mentor"], p["mentee"], p["made_by"]) for p in listed] == [
        ("Max Mentor", "Ben Coordinator", "matching")
    ]
    body = {"held_on": "2026-11-20", "competencies": [c[0].code], "notes": "Good talk."}
    made = mentor.post(f"{base}/meetings", json.dumps(body), content_type="application/json")
    assert made.status_code == 201 and made.json()["competencies"] == [c[0].code]
    assert [m["notes"] for m in mentor.get(f"{base}/meetings").json()] == ["Good talk."]
    assert mentor.get(base).json()["meetings"] == 1
    body["competencies"] = ["NOPE-1"]
    refused = mentor.post(f"{base}/meetings", json.dumps(body), content_type="application/json")
    assert refused.status_code == 400 and "NOPE-1" in refused.json()["detail"]
    body = {"held_on": "2026-11-20", "notes": "x" * 4001}
    too_long = mentor.post(f"{base}/meetings", json.dumps(body), content_type="application/json")
    assert too_long.status_code == 422
    # The admin reads but does not log; a colleague finds nothing.
    body = {"held_on": "2026-11-21"}
    admin = _api(mentoring.world.admin)
    assert admin.get(f"{base}/meetings").status_code == 200
    assert (
        admin.post(
            f"{base}/meetings", json.dumps(body), content_type="application/json"
        ).status_code
        == 404
    )
    assert _api(mentoring.users["ana"]).get(base).status_code == 404
    assert _api(mentoring.users["ana"]).get("/api/v1/mentoring/mentorships").json() == []

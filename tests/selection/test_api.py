"""/api/v1/selection/: guides, candidates and score sheets, for the hiring panel and
programme admins only; score sheets stay private until submitted."""

from __future__ import annotations

import json

from django.test import Client

from rtwcomp.selection.models import Candidate


def _client(world, who):
    client = Client()
    client.force_login(world.users[who])
    return client


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_guide_lists_its_questions_weights_and_rubrics(world, hiring):
    found = _client(world, "sue").get(f"/api/v1/selection/guides/{hiring.guide.pk}").json()
    assert found["name"] == "Intake 2027"
    assert "personal attribute" in found["rule"]
    assert [q["weight"] for q in found["questions"]] == [3, 3, 2, 2, 2, 2]
    first = found["questions"][0]
    assert first["question"].startswith("Tell us about a time when you")
    assert first["question_fr"].startswith("Parlez-nous d'une occasion")
    assert [a["level"] for a in first["rubric"]] == [0, 1, 2, 3, 4]
    assert (
        _client(world, "max").get(f"/api/v1/selection/guides/{hiring.guide.pk}").status_code == 404
    )


def test_candidates_are_listed_and_created_by_the_panel(world, hiring):
    url = f"/api/v1/selection/vacancies/{hiring.vacancy.pk}/candidates"
    ben = _client(world, "ben")
    made = _post(ben, url, {"name": "Fay Candidate", "email": "fay@example.net"})
    assert made.status_code == 201
    names = [c["name"] for c in ben.get(url).json()]
    assert names == ["Carla Candidate", "Dev Candidate", "Fay Candidate"]
    bad = _post(ben, url, {"name": "", "email": "not an address"})
    assert bad.status_code == 422
    assert {tuple(e["loc"]) for e in bad.json()["detail"]} == {
        ("body", "payload", "name"),
        ("body", "payload", "email"),
    }
    assert _post(_client(world, "ana"), url, {"name": "Sneaky"}).status_code == 404
    assert not Candidate.objects.filter(name="Sneaky").exists()


def test_scores_are_private_until_submitted(world, hiring):
    carla = hiring.candidates[0]
    items = [q["id"] for q in _client(world, "admin").get(
        f"/api/v1/selection/guides/{hiring.guide.pk}").json()["questions"]]  # fmt: skip
    url = f"/api/v1/selection/candidates/{carla.pk}/scores"
    sue, ben = _client(world, "sue"), _client(world, "ben")
    saved = _post(sue, url, {"scores": [{"question": items[0], "score": 4, "note": "Clear"}]})
    assert saved.status_code == 201 and saved.json()["submitted_at"] is None
    assert [s["interviewer"] for s in ben.get(url).json()] == []
    assert _post(sue, url, {"scores": [], "submit": True}).status_code == 201
    _post(ben, url, {"scores": [{"question": items[0], "score": 2}]})
    assert [s["interviewer"] for s in ben.get(url).json()] == ["ben"]  # not submitted yet
    _post(ben, url, {"scores": [], "submit": True})
    sheets = ben.get(url).json()
    assert [s["interviewer"] for s in sheets] == ["ben", "sue"]
    assert sheets[1]["scores"] == [{"question": items[0], "score": 4, "note": "Clear"}]
    again = _post(sue, url, {"scores": [{"question": items[0], "score": 0}]})
    assert again.status_code == 400 and "submitted" in again.json()["detail"]
    out_of_range = _post(ben, url, {"scores": [{"question": items[0], "score": 5}]})
    assert out_of_range.status_code == 422
    # the programme admin reads the sheets but does not score; Max gets nothing
    assert len(_client(world, "admin").get(url).json()) == 2
    assert _post(_client(world, "admin"), url, {"scores": []}).status_code == 404
    assert _client(world, "max").get(url).status_code == 404


def test_a_session_write_needs_the_pages_csrf_token(world, hiring):
    """Through the browser's session, a write without the CSRF token counts as not signed
    in (401, nothing made): another site cannot write through a visitor's session."""
    url = f"/api/v1/selection/vacancies/{hiring.vacancy.pk}/candidates"
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.users["ben"])
    assert browser.get(url).status_code == 200  # reads need no token
    forged = _post(browser, url, {"name": "Forged Candidate"})
    assert forged.status_code == 401
    assert not Candidate.objects.filter(name="Forged Candidate").exists()
    browser.get("/")  # the page sets the CSRF cookie, as a real page does
    token = browser.cookies["csrftoken"].value
    made = browser.post(
        url, json.dumps({"name": "Real Candidate"}), content_type="application/json",
        headers={"X-CSRFToken": token},
    )  # fmt: skip
    assert made.status_code == 201

"""The matching page, the pair page and their forms, through Django's test client."""

from __future__ import annotations

from django.test import Client

from rtwcomp.mentoring import services
from rtwcomp.mentoring.models import Meeting, MentorCapacity, Mentorship


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_matching_page_proposes_pairs_with_reasons_and_applies_them(mentoring):
    admin = _client(mentoring.world.admin)
    page = admin.get("/mentoring/organisations/acme/").content.decode()
    c1 = mentoring.competencies[0]
    assert "Ben Coordinator" in page and "need 3.00, mentor at level 4.0" in page
    assert f"{c1.code} {c1.statement}" in page
    assert "people file (recorded when pairs are next applied)" in page  # Ana and Max
    response = admin.post(
        "/mentoring/organisations/acme/apply/", {"profile": str(mentoring.profile.pk)}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/mentoring/organisations/acme/?profile={mentoring.profile.pk}"
    assert Mentorship.objects.filter(until__isnull=True).count() == 3
    page = admin.get(response["Location"]).content.decode()
    assert "2 pairs made." in page and "No pair to propose" in page


def test_an_admin_overrides_edits_capacities_and_ends_a_pair(mentoring):
    admin, people = _client(mentoring.world.admin), mentoring.people
    data = {"override-mentee": people["ben"].pk, "override-mentor": people["mia"].pk}
    assert admin.post("/mentoring/organisations/acme/override/", data).status_code == 302
    pair = Mentorship.objects.get(mentee=people["ben"], until__isnull=True)
    assert (pair.mentor, pair.made_by) == (people["mia"], "override")
    data["override-mentor"] = people["ana"].pk  # not a mentor: not among the choices
    refused = admin.post("/mentoring/organisations/acme/override/", data)
    assert refused.status_code == 400 and "Select a valid choice" in refused.content.decode()
    data["override-mentor"] = people["mia"].pk
    refused = admin.post("/mentoring/organisations/acme/override/", data)
    assert "Mia Mentor mentors Ben Coordinator already." in refused.content.decode()
    bad = admin.post(
        "/mentoring/organisations/acme/capacity/", {f"cap-capacity_{people['mia'].pk}": "99"}
    )
    assert bad.status_code == 400 and "less than or equal to 20" in bad.content.decode()
    form = {f"cap-capacity_{people['mia'].pk}": "4", f"cap-capacity_{people['max'].pk}": "1"}
    assert admin.post("/mentoring/organisations/acme/capacity/", form).status_code == 302
    assert MentorCapacity.objects.get(person=people["mia"]).capacity == 4
    assert admin.post(f"/mentoring/pairs/{pair.pk}/end/").status_code == 302
    pair.refresh_from_db()
    assert pair.until is not None and not people["ben"].mentors.exists()


def test_a_mentor_logs_a_meeting_and_starts_an_observation_from_it(mentoring):
    people, c = mentoring.people, mentoring.competencies
    pair = services.pair(people["max"], people["ben"], made_by="matching", user=None)
    mentor = _client(mentoring.users["max"])
    page = mentor.get(f"/mentoring/pairs/{pair.pk}/").content.decode()
    assert "Log a meeting" in page and "No meeting logged yet." in page
    too_long = {"meeting-held_on": "2026-11-20", "meeting-notes": "x" * 4001}
    refused = mentor.post(f"/mentoring/pairs/{pair.pk}/meetings/", too_long)
    assert refused.status_code == 400 and "at most 4000 characters" in refused.content.decode()
    data = {
        "meeting-held_on": "2026-11-20",
        "meeting-competencies": [c[2].pk, c[3].pk],
        "meeting-notes": "Talked through a hard case conference.",
        "meeting-next_steps": "Max watches Ben's next workplace visit.",
    }
    assert mentor.post(f"/mentoring/pairs/{pair.pk}/meetings/", data).status_code == 302
    meeting = Meeting.objects.get(mentorship=pair)
    page = mentor.get(f"/mentoring/pairs/{pair.pk}/").content.decode()
    assert "Max watches Ben&#x27;s next workplace visit." in page
    assert "Start an observation from this meeting" in page
    started = mentor.post(
        f"/mentoring/meetings/{meeting.pk}/observe/",
        {"activity": "workplace visit", "observed_on": "2026-11-27"},
    )
    observation = meeting.observations.get()
    assert started["Location"] == (f"/assess/observations/{observation.pk}/?group={c[2].group.key}")
    assert mentor.get(started["Location"]).status_code == 200
    # The mentee sees the log but starts no observation of himself.
    mentee_page = _client(mentoring.users["ben"]).get(f"/mentoring/pairs/{pair.pk}/")
    assert "Talked through" in mentee_page.content.decode()
    assert "Start an observation" not in mentee_page.content.decode()


def test_my_pairs_list_each_side(mentoring):
    people = mentoring.people
    pair = services.pair(people["mia"], people["ben"], made_by="matching", user=None)
    assert (
        f"/mentoring/pairs/{pair.pk}/"
        in _client(mentoring.users["mia"]).get("/mentoring/").content.decode()
    )
    ben = _client(mentoring.users["ben"]).get("/mentoring/").content.decode()
    assert "Your mentors" in ben and "Mia Mentor" in ben
    admin = _client(mentoring.world.admin).get("/mentoring/").content.decode()
    assert "/mentoring/organisations/acme/" in admin
    outsider = _client(mentoring.users["outsider"]).get("/mentoring/").content.decode()
    assert "You are in no mentoring pair." in outsider and "Ben" not in outsider


def test_the_matching_rule_is_stated_in_the_readers_language(mentoring):
    admin = _client(mentoring.world.admin)
    assert "strength: a combined level of 3 (proficient)" in admin.get(
        "/mentoring/organisations/acme/"
    ).content.decode().replace("\n", " ")
    admin.cookies["django_language"] = "fr"
    page = admin.get("/mentoring/organisations/acme/").content.decode()
    assert "force : un niveau combiné de 3 (avancé) ou plus" in page.replace("\n", " ")

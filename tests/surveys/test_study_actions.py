"""The study page's buttons and panel upload, through the web client: each action's effect
and message, an unknown action, a refused action shown as a message."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pyreadstat
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rtwcomp.interop.panel_csv import Invitee
from rtwcomp.surveys import exports, invitations, results, selectors, studies
from rtwcomp.surveys.models import Invitation, Study, SurveyResponse
from tests.conftest import make_researcher
from tests.surveys import simulate
from tests.surveys.conftest import answer_page


def act(client, study, action: str) -> tuple[int, str]:
    """Press a button of the study page: the status and the messages it left."""
    response = client.post(f"/studies/{study.slug}/action/", {"action": action})
    shown = " | ".join(str(m) for m in get_messages(response.wsgi_request))
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code == 200  # shows them, once
    return response.status_code, shown


def upload(client, study, data: bytes) -> tuple[int, str]:
    response = client.post(
        f"/studies/{study.slug}/panel/",
        {"panel": SimpleUploadedFile("panel.csv", data, content_type="text/csv")},
    )
    shown = " | ".join(str(m) for m in get_messages(response.wsgi_request))
    assert client.get(response["Location"]).status_code == 200
    return response.status_code, shown


def test_close_then_open(researcher_client, open_study):
    assert act(researcher_client, open_study, "close") == (302, "The study is closed.")
    open_study.refresh_from_db()
    assert open_study.status == Study.Status.CLOSED
    assert open_study.current_round().closed_at is not None
    assert act(researcher_client, open_study, "open") == (302, "The study is open.")
    open_study.refresh_from_db()
    assert open_study.status == Study.Status.OPEN


def test_invite_then_remind(researcher_client, open_study, run_jobs):
    invitations.add_panel(
        open_study, [Invitee("a@example.org", "A", "en"), Invitee("b@example.org", "", "fr")]
    )
    assert act(researcher_client, open_study, "invite")[1].startswith("Sending 2 e-mail(s)")
    assert not mail.outbox  # the request only queues the job
    run_jobs()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert act(researcher_client, open_study, "invite")[1].startswith("Sending 0 e-mail(s)")
    run_jobs()
    assert act(researcher_client, open_study, "remind")[1].startswith("Sending 2 e-mail(s)")
    run_jobs()
    assert len(mail.outbox) == 4
    assert Invitation.objects.filter(study=open_study, reminded_at__isnull=False).count() == 2


def test_next_round_of_a_delphi_study(researcher_client, default_framework, researcher):
    study = studies.create_study(
        name="Delphi", framework=default_framework, items="12", owner=researcher, delphi=True,
        anonymous=False,
    )  # fmt: skip
    studies.open_study(study)
    simulate.simulate(study, 30, seed=4)
    status, shown = act(researcher_client, study, "next-round")
    following = study.current_round()
    assert status == 302 and following.number == 2
    assert shown == f"Round 2 is open with {following.items.count()} item(s)."


def test_a_refused_action_is_a_message_in_the_researchers_language(researcher_client, open_study):
    assert act(researcher_client, open_study, "next-round") == (
        302,
        "only a Delphi study has rounds",
    )
    researcher_client.cookies["django_language"] = "fr"
    status, shown = act(researcher_client, open_study, "next-round")
    assert status == 302 and shown == "seule une étude Delphi a des tours"
    assert open_study.current_round().number == 1


def test_an_unknown_action_is_404_and_changes_nothing(researcher_client, open_study):
    assert act(researcher_client, open_study, "delete")[0] == 404
    assert act(researcher_client, open_study, "")[0] == 404
    assert researcher_client.get(f"/studies/{open_study.slug}/action/").status_code == 405
    assert Study.objects.get(pk=open_study.pk).status == Study.Status.OPEN


def test_a_good_panel_is_added_and_a_second_upload_counts_those_already_there(
    researcher_client, open_study
):
    good = b"email,name,language\na@example.org,A,en\nb@example.org,B,fr\n"
    assert upload(researcher_client, open_study, good) == (
        302,
        "2 invitee(s) added, 0 already on the panel.",
    )
    more = good + b"c@example.org,,en\n"
    assert upload(researcher_client, open_study, more) == (
        302,
        "1 invitee(s) added, 2 already on the panel.",
    )
    assert sorted(open_study.invitations.values_list("language", flat=True)) == ["en", "en", "fr"]


def test_a_bad_panel_names_its_problems_and_stores_nothing(researcher_client, open_study):
    bad = b"email,name,language\na@example.org,A,en\nnot-an-address,B,xx\n"
    status, shown = upload(researcher_client, open_study, bad)
    assert status == 302
    assert shown.startswith("Nothing imported: panel.csv: line 3")
    assert not Invitation.objects.filter(study=open_study).exists()
    missing = researcher_client.post(f"/studies/{open_study.slug}/panel/", {})
    assert [str(m) for m in get_messages(missing.wsgi_request)] == ["Choose a CSV file to upload."]


# --- test mode ----------------------------------------------------------------------------------


def try_study(client, study, country="AU", rating=3):
    """Start a test response from the study page and submit it: the thank-you page."""
    started = client.post(f"/studies/{study.slug}/test/")
    assert started.status_code == 302 and started.url == f"/s/{study.slug}/"
    landing = client.get(started.url).content.decode()
    assert "Test response" in landing and f'href="/s/{study.slug}/page/1/"' in landing
    items = list(study.items.order_by("position"))
    for number, chunk in enumerate((items[:10], items[10:]), start=1):
        assert answer_page(client, study, number, {i: rating for i in chunk}).status_code == 302
    done = client.post(f"/s/{study.slug}/page/3/", {"action": "submit", "q-country": country})
    assert done.url == f"/s/{study.slug}/thanks/"
    return client.get(done.url).content.decode()


def real_response(study, country="CA", rating=5):
    client = Client()
    client.post(f"/s/{study.slug}/")
    items = list(study.items.order_by("position"))
    answer_page(client, study, 1, {i: rating for i in items[:10]})
    answer_page(client, study, 2, {i: rating for i in items[10:]})
    client.post(f"/s/{study.slug}/page/3/", {"action": "submit", "q-country": country})


def test_a_draft_study_is_tried_with_a_test_response(researcher_client, default_framework):
    draft = studies.create_study(
        name="Draft", framework=default_framework, items="20", owner=User.objects.get(),
        items_per_page=10, access=Study.Access.INVITATION,
    )  # fmt: skip
    assert draft.status == Study.Status.DRAFT
    assert Client().get(f"/s/{draft.slug}/page/1/").status_code == 403  # not for respondents
    for page in (f"/studies/{draft.slug}/", f"/studies/{draft.slug}/preview/"):
        assert (
            f'action="/studies/{draft.slug}/test/"' in researcher_client.get(page).content.decode()
        )
    thanks = try_study(researcher_client, draft)
    assert "This was a test response" in thanks
    response = SurveyResponse.objects.get(study=draft)
    assert response.is_test and response.completed and response.invitation is None
    page = researcher_client.get(f"/studies/{draft.slug}/").content.decode()
    assert "1 test response" in page and 'value="delete-tests"' in page
    draft.refresh_from_db()
    assert draft.status == Study.Status.DRAFT  # testing does not open the study


def exported_countries(study, folder):
    """The country column of each data export format, as codes."""
    found = {}
    for fmt in ("csv", "labels.csv", "xlsx", "sav", "json"):
        path = folder / f"out.{fmt}"
        exports.export(study, fmt, path)
        if fmt == "xlsx":
            rows = pd.read_excel(path, sheet_name="data").to_dict("records")
        elif fmt == "sav":
            rows = pyreadstat.read_sav(str(path))[0].to_dict("records")
        elif fmt == "json":
            rows = json.loads(path.read_text("utf-8"))["responses"]
        else:
            rows = list(csv.DictReader(path.read_text("utf-8").splitlines()))
        found[fmt] = [{"Canada": "CA"}.get(r["country"], r["country"]) for r in rows]
    return found


def test_test_responses_reach_no_count_result_export_or_api(
    researcher_client, open_study, tmp_path
):
    real_response(open_study, "CA", 5)
    try_study(researcher_client, open_study, "AU", 1)
    try_study(researcher_client, open_study, "US", 2)
    assert SurveyResponse.objects.filter(study=open_study).count() == 3
    # counts: the study page, the list, the API
    counts = selectors.response_counts(open_study)[open_study.pk]
    assert (counts.completed, counts.started, counts.tests) == (1, 1, 2)
    page = researcher_client.get(f"/studies/{open_study.slug}/").content.decode()
    assert "2 test responses" in page
    listing = researcher_client.get("/api/v1/studies").json()
    assert [s["completed_responses"] for s in listing] == [1]
    # results: the dashboard, the cached analysis, responses per day
    data, analysis = results.cached_analysis(open_study)
    assert list(data.responses["country"]) == ["CA"]
    assert set(analysis.items["mean"]) == {5.0}
    dashboard = researcher_client.get(f"/studies/{open_study.slug}/results/").content.decode()
    assert "1 completed responses" in dashboard
    assert results.counts_over_time(open_study)[0][1] == 1
    # exports, on the page and through the API
    assert exported_countries(open_study, tmp_path) == {
        fmt: ["CA"] for fmt in ("csv", "labels.csv", "xlsx", "sav", "json")
    }
    api = researcher_client.get(f"/api/v1/studies/{open_study.slug}/export?format=csv")
    assert [r["country"] for r in csv.DictReader(api.content.decode().splitlines())] == ["CA"]
    api_items = researcher_client.get(f"/api/v1/studies/{open_study.slug}/results").json()
    assert {(i["n"], i["mean"]) for i in api_items["items"]} == {(1, 5.0)}


def test_delete_test_responses_keeps_the_real_ones(researcher_client, open_study):
    real_response(open_study)
    try_study(researcher_client, open_study)
    assert act(researcher_client, open_study, "delete-tests") == (302, "1 test response deleted.")
    assert list(SurveyResponse.objects.values_list("is_test", flat=True)) == [False]
    assert act(researcher_client, open_study, "delete-tests") == (302, "0 test responses deleted.")


def test_only_those_who_edit_the_study_start_or_delete_tests(researcher_client, open_study):
    make_researcher("stranger")
    stranger = Client()
    stranger.force_login(User.objects.get(username="stranger"))
    assert stranger.post(f"/studies/{open_study.slug}/test/").status_code == 404
    try_study(researcher_client, open_study)
    refused = stranger.post(f"/studies/{open_study.slug}/action/", {"action": "delete-tests"})
    assert refused.status_code == 404
    assert SurveyResponse.objects.filter(is_test=True).count() == 1
    assert Client().post(f"/studies/{open_study.slug}/test/").status_code == 302  # to log in
    assert researcher_client.get(f"/studies/{open_study.slug}/test/").status_code == 405


def test_a_closed_study_cannot_be_tested(researcher_client, open_study):
    studies.close_study(open_study)
    refused = researcher_client.post(f"/studies/{open_study.slug}/test/")
    assert refused.status_code == 409
    assert "Only a draft or open study can be tested." in refused.content.decode()
    assert not SurveyResponse.objects.exists()

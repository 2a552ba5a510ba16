"""The study page's buttons and panel upload, through the web client: each action's effect
and message, an unknown action, a refused action shown as a message."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from rtwcomp.interop.panel_csv import Invitee
from rtwcomp.surveys import invitations, studies
from rtwcomp.surveys.models import Invitation, Study
from tests.surveys import simulate


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

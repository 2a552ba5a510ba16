"""Panels, personal links, e-mails, response rates and anonymity."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from rtwcomp.interop.errors import InputError
from rtwcomp.interop.panel_csv import parse_panel_csv
from rtwcomp.surveys import invitations
from rtwcomp.surveys.models import Invitation, SurveyResponse
from tests.surveys.conftest import answer_page
from tests.surveys.test_anonymity import captured_logs, export_texts


def personal_link(message):
    return urlsplit(next(line for line in message.body.splitlines() if "/i/" in line)).path


def complete_by_link(study, link):
    client = Client()
    start = client.get(link)
    assert start.status_code == 302
    items = {item: 5 for item in study.items.all()}
    answer_page(client, study, 1, items)
    done = client.post(f"/s/{study.slug}/page/2/", {"action": "submit", "q-country": "AU"})
    assert done.url.endswith("/thanks/")
    return client


def test_panel_csv_errors_name_line_and_column():
    with pytest.raises(InputError) as caught:
        parse_panel_csv("email,language\nok@example.org,en\nnot-an-email,en\nx@y.org,de\n", "p.csv")
    assert caught.value.problems == [
        "p.csv: line 3, column 'email': 'not-an-email' is not an e-mail address",
        "p.csv: line 4, column 'language': 'de' is not one of en, fr",
    ]


def test_invitations_in_each_language_and_reminders_only_to_unfinished(panel_study):
    study = panel_study(anonymous=False)
    assert invitations.send(study) == 2
    assert invitations.send(study) == 0
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "Bonjour Ana" in by_address["ana@example.org"].body
    assert "Hello Ben" in by_address["ben@example.org"].body
    complete_by_link(study, personal_link(by_address["ben@example.org"]))
    rate = invitations.response_rate(study)
    assert (rate.invited, rate.sent, rate.completed) == (2, 2, 1)
    mail.outbox.clear()
    assert invitations.send(study, reminders=True) == 1
    assert mail.outbox[0].to == ["ana@example.org"]


def test_confidential_study_links_response_to_invitation(panel_study):
    study = panel_study(anonymous=False)
    invitations.send(study)
    ben = next(m for m in mail.outbox if m.to == ["ben@example.org"])
    complete_by_link(study, personal_link(ben))
    assert "anonymous" not in ben.body and "\n\n\n" not in ben.body
    response = SurveyResponse.objects.get(study=study)
    assert response.invitation.email == "ben@example.org"
    again = Client().get(personal_link(ben))
    assert again.status_code == 403  # the link is used up


def test_anonymous_response_cannot_be_linked_back_from_the_database(
    panel_study, researcher_client, tmp_path
):
    study = panel_study(anonymous=True)
    invitations.send(study)
    ana = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    assert "Vos réponses sont anonymes." in ana.body
    with captured_logs(tmp_path) as logs:
        client = complete_by_link(study, personal_link(ana))
        assert Client().get(personal_link(ana)).status_code == 403  # used, even anonymously
        api = researcher_client.get(f"/api/v1/studies/{study.slug}/export?format=csv")
    assert api.status_code == 200
    invitation = Invitation.objects.get(study=study, email="ana@example.org")
    response = SurveyResponse.objects.get(study=study)
    assert response.invitation_id is None
    assert invitation.completed_rounds == [1]
    # Nothing stored anywhere pairs the two: no row of any table holds both an
    # identifier of the invitation and one of the response, and nothing was copied
    # from the invitation (the only French invitee must not be the only French response).
    invitation_marks = {invitation.token, invitation.email, f"invitation {invitation.pk}"}
    response_marks = {response.key, str(response.public_id), response.public_id.hex}
    assert response.language == "" and client.cookies["django_language"].value == "fr"
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                assert not (
                    any(m in text for m in invitation_marks)
                    and any(m in text for m in response_marks)
                ), table
    # Nor any log line (Django's and gunicorn's access log), export file or API output:
    # they hold no invitation token or address at all, nor the response's own secret; the
    # files name the response by its random public id, never by its database id.
    files = {**export_texts(study, tmp_path), "api": api.content.decode()}
    for name, text in [("logs", logs.text), *files.items()]:
        assert not any(m in text for m in invitation_marks), name
        assert response.key not in text, name
    assert f"/s/{study.slug}/i/***/" in logs.text
    assert files["csv"].splitlines()[1].startswith(f"{response.public_id},")
    assert files["api"] == files["csv"]
    # and the response keeps no time finer than the day
    assert not hasattr(response, "submitted_at")


# --- links that work -----------------------------------------------------------------------------


def link_in(message):
    return next(line for line in message.body.splitlines() if "/i/" in line)


def test_links_follow_the_address_the_invitations_were_sent_from(
    panel_study, researcher_client, run_jobs, settings
):
    """The e-mails of a job started from a page carry that page's address (its port too)."""
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["survey.test"]
    study = panel_study(anonymous=True)
    sent = researcher_client.post(
        f"/studies/{study.slug}/action/", {"action": "invite"}, HTTP_HOST="survey.test:8123"
    )
    assert sent.status_code == 302
    run_jobs()
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert link_in(message).startswith(f"http://survey.test:8123/s/{study.slug}/i/")


def test_rtwcomp_site_url_wins_and_the_command_line_follows_port(
    panel_study, settings, monkeypatch
):
    study = panel_study(anonymous=True)
    settings.SITE_URL = "https://survey.example.org/"
    invitations.send(study)
    assert link_in(mail.outbox[0]).startswith(f"https://survey.example.org/s/{study.slug}/i/")
    mail.outbox.clear()
    settings.SITE_URL = ""
    monkeypatch.setenv("PORT", "8765")
    invitations.send(study, reminders=True)
    assert link_in(mail.outbox[0]).startswith(f"http://127.0.0.1:8765/s/{study.slug}/i/")


def test_a_personal_link_lands_on_the_introduction(panel_study):
    study = panel_study(anonymous=False)
    study.description = "Why this study matters."
    study.save()
    invitations.send(study)
    client = Client()
    opened = client.get(personal_link(mail.outbox[0]))
    assert opened.status_code == 302 and opened.url == f"/s/{study.slug}/"
    landing = client.get(opened.url).content.decode()
    assert "Why this study matters." in landing
    assert f'href="/s/{study.slug}/page/1/"' in landing
    # past the first page, the link goes on where the panellist left off
    answer_page(client, study, 1, {item: 4 for item in study.items.all()})
    assert client.get(personal_link(mail.outbox[0])).url == f"/s/{study.slug}/page/2/"

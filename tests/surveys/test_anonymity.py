"""Anonymity that holds under inspection: one use per invitation, nothing copied from the
invitation, no token in any log, no database id or order in any file."""

from __future__ import annotations

import io
import logging
import os
import re
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pyreadstat
import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from rtwcomp.site.logs import MaskSecrets, mask
from rtwcomp.surveys import exports, responding
from rtwcomp.surveys.models import Invitation, InvitationUse, SurveyResponse
from tests.surveys.conftest import answer_page


def link(invitation: Invitation) -> str:
    return f"/s/{invitation.study.slug}/i/{invitation.token}/"


def open_and_answer(study, url, client=None):
    """Open a personal link and answer the item page; the questions page is left."""
    client = client or Client()
    assert client.get(url).status_code == 302
    answer_page(client, study, 1, {item: 4 for item in study.items.all()})
    return client


def submit(client, study, country="CA"):
    return client.post(f"/s/{study.slug}/page/2/", {"action": "submit", "q-country": country})


# --- one invitation, one completed response per round ------------------------------------


@pytest.mark.parametrize("anonymous", [True, False])
def test_one_invitation_opened_in_three_browsers_gives_one_completed_response(
    panel_study, anonymous
):
    study = panel_study(anonymous=anonymous)
    ben = Invitation.objects.get(study=study, email="ben@example.org")
    browsers = [open_and_answer(study, link(ben)) for _ in range(3)]  # all open before any ends
    answers = [submit(client, study) for client in browsers]
    assert answers[0].status_code == 302 and answers[0].url.endswith("/thanks/")
    done = SurveyResponse.objects.filter(study=study, submitted_on__isnull=False)
    assert done.count() == 1
    assert InvitationUse.objects.filter(invitation=ben).count() == 1
    if anonymous:
        for late in answers[1:]:
            assert late.status_code == 409
            assert "This invitation has already been used to answer." in late.content.decode()
        # the later browsers' answers are not kept, completed or not
        assert SurveyResponse.objects.filter(study=study).count() == 1
        assert browsers[1].get(f"/s/{study.slug}/thanks/").status_code == 302
    else:
        # a confidential study continues the invitation's one response in every browser
        assert all(a.status_code == 302 and a.url.endswith("/thanks/") for a in answers)
        assert SurveyResponse.objects.filter(study=study).count() == 1
    assert Client().get(link(ben)).status_code == 403


def test_the_database_refuses_a_second_use_and_a_second_linked_response(panel_study):
    study = panel_study(anonymous=False)
    ben = Invitation.objects.get(study=study, email="ben@example.org")
    round_ = study.current_round()
    InvitationUse.objects.create(invitation=ben, round=round_)
    with pytest.raises(IntegrityError), transaction.atomic():
        InvitationUse.objects.create(invitation=ben, round=round_)
    SurveyResponse.objects.create(
        study=study, round=round_, invitation=ben, started_on="2026-01-05"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(
            study=study, round=round_, invitation=ben, started_on="2026-01-05"
        )
    # anonymous responses (no invitation) are not limited by it
    for _ in range(2):
        SurveyResponse.objects.create(study=study, round=round_, started_on="2026-01-05")


def test_a_resumed_response_needs_the_personal_link_to_be_submitted(panel_study):
    """Resuming by code on a browser that never opened the link cannot dodge the limit."""
    study = panel_study(anonymous=True)
    ben = Invitation.objects.get(study=study, email="ben@example.org")
    first = open_and_answer(study, link(ben))
    saved = answer_page(first, study, 2, {}, action="save")
    code = saved.content.decode().split('id="resume-code">')[1].split("<")[0]
    other = Client()
    assert other.post(f"/s/{study.slug}/resume/", {"code": code}).status_code == 302
    refused = submit(other, study)
    assert refused.status_code == 403 and "personal link" in refused.content.decode()
    assert not SurveyResponse.objects.filter(submitted_on__isnull=False).exists()
    # opening the link there keeps the resumed answers and lets them be submitted, once
    assert other.get(link(ben)).url == f"/s/{study.slug}/page/2/"
    assert submit(other, study).url.endswith("/thanks/")
    assert SurveyResponse.objects.filter(study=study).count() == 1
    assert submit(first, study).status_code == 302  # the same response: already done
    assert SurveyResponse.objects.filter(submitted_on__isnull=False).count() == 1


def at_once(clients, send):
    """`send(client)` for every client at the same moment, each thread on its own database
    connection; returns the responses.

    The SQLite test database lives in shared-cache memory, where a writer that finds the
    database locked fails at once (a 500, its transaction rolled back) instead of waiting
    as the app's file database does (busy_timeout): there the request is sent again, as
    the waiting would have done.
    """
    barrier = threading.Barrier(len(clients))

    def run(client):
        client.raise_request_exception = False  # an exception reaches every client's signal
        try:
            barrier.wait(timeout=30)
            for _ in range(300):
                answer = send(client)
                if answer.status_code != 500 or connection.vendor != "sqlite":
                    return answer
                time.sleep(0.01)
            raise AssertionError("the database stayed locked")
        finally:
            connection.close()

    with ThreadPoolExecutor(len(clients)) as pool:
        return list(pool.map(run, clients))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("anonymous", [True, False])
def test_three_browsers_submitting_at_once_give_one_completed_response(panel_study, anonymous):
    study = panel_study(anonymous=anonymous)
    ben = Invitation.objects.get(study=study, email="ben@example.org")
    browsers = [open_and_answer(study, link(ben)) for _ in range(3)]
    answers = at_once(browsers, lambda client: submit(client, study))
    statuses = sorted(a.status_code for a in answers)
    assert SurveyResponse.objects.filter(study=study, submitted_on__isnull=False).count() == 1
    assert InvitationUse.objects.filter(invitation=ben).count() == 1
    if anonymous:
        assert statuses == [302, 409, 409]
        assert SurveyResponse.objects.filter(study=study).count() == 1
    else:
        assert statuses == [302, 302, 302]


@pytest.mark.django_db(transaction=True)
def test_opening_one_confidential_link_in_three_browsers_at_once_starts_one_response(panel_study):
    study = panel_study(anonymous=False)
    ben = Invitation.objects.get(study=study, email="ben@example.org")
    opened = at_once([Client() for _ in range(3)], lambda client: client.get(link(ben)))
    assert [o.status_code for o in opened] == [302, 302, 302]
    assert SurveyResponse.objects.filter(study=study, invitation=ben).count() == 1


# --- nothing copied from the invitation ------------------------------------------------------


def test_an_anonymous_response_does_not_take_the_invitees_language(panel_study):
    study = panel_study(anonymous=True)
    ana = Invitation.objects.get(study=study, email="ana@example.org")
    client = Client()
    opened = client.get(link(ana))
    assert client.cookies["django_language"].value == "fr"  # shown in French, on her side
    assert opened.url == f"/s/{study.slug}/"  # the study's introduction first
    assert "Page 1 sur 2" in client.get(f"/s/{study.slug}/page/1/").content.decode()
    answer_page(client, study, 1, {item: 3 for item in study.items.all()})
    assert submit(client, study).url.endswith("/thanks/")
    response = SurveyResponse.objects.get(study=study)
    assert response.language == ""


def test_a_respondent_can_confirm_the_language_the_pages_are_shown_in(panel_study):
    study = panel_study(anonymous=True)
    ana = Invitation.objects.get(study=study, email="ana@example.org")
    client = Client()
    client.get(link(ana))
    page = client.get(f"/s/{study.slug}/page/1/").content.decode()
    assert 'value="fr" lang="fr" class="secondary"' in page and 'aria-pressed="true"' in page
    client.post(f"/s/{study.slug}/page/1/", {"action": "language", "language": "fr"})
    assert SurveyResponse.objects.get(study=study).language == "fr"
    client.post(f"/s/{study.slug}/page/1/", {"action": "language", "language": "de"})
    assert SurveyResponse.objects.get(study=study).language == "fr"  # only the offered languages


def test_the_language_is_stored_when_the_respondent_chooses_it(panel_study, open_study):
    study = panel_study(anonymous=True)
    ben = Invitation.objects.get(study=study, email="ben@example.org")
    client = Client()
    client.get(link(ben))
    page = client.get(f"/s/{study.slug}/page/1/").content.decode()
    assert 'name="action" value="language"' in page and 'value="fr" lang="fr"' in page
    switched = client.post(f"/s/{study.slug}/page/1/", {"action": "language", "language": "fr"})
    assert switched.url == f"/s/{study.slug}/page/1/"
    assert client.cookies["django_language"].value == "fr"
    assert SurveyResponse.objects.get(study=study).language == "fr"
    # before starting, on an open link: kept in the respondent's cookie until they start
    other = Client()
    other.post(f"/s/{open_study.slug}/", {"action": "language", "language": "fr"})
    assert not SurveyResponse.objects.filter(study=open_study).exists()
    other.post(f"/s/{open_study.slug}/")
    assert SurveyResponse.objects.get(study=open_study).language == "fr"
    # without a choice, nothing is stored, whatever the browser's own language
    Client().post(f"/s/{open_study.slug}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert SurveyResponse.objects.filter(study=open_study, language="").count() == 1


# --- logs -------------------------------------------------------------------------------------


def _our_handlers():
    """The handlers settings.LOGGING set up (those with the masking filter)."""
    found = []
    for name in ("", "django", "django.request", "django.server"):
        for handler in logging.getLogger(name).handlers:
            if any(isinstance(f, MaskSecrets) for f in handler.filters) and handler not in found:
                found.append(handler)
    return found


def _gunicorn_logger(path):
    from gunicorn.config import Config

    from rtwcomp.site.access_log import GunicornLogger

    config = Config()
    config.set("accesslog", str(path))
    config.set("errorlog", str(path))
    return GunicornLogger(config)


def _access(logger, meta, status):
    """What gunicorn logs for one request, from the request's WSGI environ."""
    environ = {k: v for k, v in meta.items() if isinstance(v, str)}
    query = environ.get("QUERY_STRING", "")
    environ["RAW_URI"] = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
    environ.setdefault("SERVER_PROTOCOL", "HTTP/1.1")
    headers = [(k[5:].replace("_", "-"), v) for k, v in environ.items() if k.startswith("HTTP_")]
    response = SimpleNamespace(status=str(status), headers=[], sent=0)
    logger.access(response, SimpleNamespace(headers=headers), environ, timedelta(seconds=0))


@contextmanager
def captured_logs(tmp_path):
    """Everything Django's logging and a gunicorn access log write meanwhile, as a string
    (read it from `.text` after the block). Every request made with a test client is also
    logged the way gunicorn's access log would, with a referrer from the same path."""
    stream = io.StringIO()
    handlers = _our_handlers()
    assert handlers, "settings.LOGGING should put the masking filter on its handlers"
    previous = [h.setStream(stream) for h in handlers]
    logger = _gunicorn_logger(tmp_path / "gunicorn.log")
    request = Client.request

    def logged(self, **kwargs):
        response = request(self, **kwargs)
        meta = dict(response.wsgi_request.META)
        meta["HTTP_REFERER"] = "http://testserver" + response.wsgi_request.get_full_path()
        _access(logger, meta, response.status_code)
        return response

    result = SimpleNamespace(text="")
    try:
        with mock.patch.object(Client, "request", logged):
            yield result
    finally:
        for handler, old in zip(handlers, previous, strict=True):
            handler.setStream(old)
        for handler in logger.access_log.handlers + logger.error_log.handlers:
            handler.flush()
    result.text = stream.getvalue() + (tmp_path / "gunicorn.log").read_text()


def test_django_request_and_server_logs_mask_tokens(panel_study, tmp_path):
    study = panel_study(anonymous=True)
    secret = "Zq3-secret_TOKEN-never-logged"
    with captured_logs(tmp_path) as logs:
        assert Client().get(f"/s/{study.slug}/i/{secret}/").status_code == 404
        logging.getLogger("django.server").info(
            '"%s" %s %s', f"GET /s/{study.slug}/i/{secret}/?code=ABCD-EFGH-JKLM HTTP/1.1", 404, 9
        )
        try:
            raise ValueError(f"failed on /s/{study.slug}/i/{secret}/")
        except ValueError:
            logging.getLogger("django.request").exception("Internal Server Error")
    assert f"Not Found: /s/{study.slug}/i/***/" in logs.text  # django.request
    assert f'"GET /s/{study.slug}/i/***/?code=*** HTTP/1.1" 404' in logs.text  # both servers
    assert "ValueError: failed on" in logs.text
    assert secret not in logs.text and "ABCD-EFGH" not in logs.text


def test_mask_covers_paths_urls_and_query_codes():
    assert mask("GET /s/rtw-2026/i/abc_DEF-123/ HTTP/1.1") == "GET /s/rtw-2026/i/***/ HTTP/1.1"
    assert mask("http://host/s/x/i/tok?x=1") == "http://host/s/x/i/***?x=1"
    assert mask("/s/x/resume/?lang=fr&code=ABCD-EFGH-JKLM") == "/s/x/resume/?lang=fr&code=***"
    assert mask("/frameworks/i/x/") == "/frameworks/i/x/"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_rtwcomp_serve_runs_gunicorn_with_an_access_log_that_masks_tokens(tmp_path):
    """The real server: gunicorn as `rtwcomp serve` starts it, on an empty data directory."""
    from rtwcomp.commands.serve import gunicorn_argv

    port = _free_port()
    argv = gunicorn_argv("127.0.0.1", port, 1)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(RTWCOMP_DATA_DIR=str(tmp_path), RTWCOMP_DEBUG="0", PYTHONUNBUFFERED="1")
    out, err = tmp_path / "out.log", tmp_path / "err.log"
    secret = "Zq3-secret_TOKEN-never-logged"
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        server = subprocess.Popen(argv, env=env, stdout=stdout, stderr=stderr)  # noqa: S603
        try:
            url = f"http://127.0.0.1:{port}/s/a-study/i/{secret}/?code=ABCD-EFGH-JKLM"
            for _ in range(120):
                try:
                    urllib.request.urlopen(url, timeout=5)  # noqa: S310 - a local URL
                except urllib.error.HTTPError:
                    break  # the app answered (an error: its database is empty)
                except OSError:
                    time.sleep(0.5)
            else:
                raise AssertionError("the server did not start: " + err.read_text())
            time.sleep(0.5)
        finally:
            server.terminate()
            server.wait(timeout=30)
    written = out.read_text() + err.read_text()
    assert re.search(r'"GET /s/a-study/i/\*\*\*/\?code=\*\*\* HTTP/1.1" 5\d\d', written), written
    assert "Internal Server Error: /s/a-study/i/***/" in written  # django.request, masked
    assert secret not in written and "ABCD-EFGH" not in written


# --- files name responses by a random key, in no finer order than the day -------------------


def test_exports_name_responses_by_random_key_ordered_by_day(open_study):
    items = list(open_study.items.order_by("position"))
    for _ in range(4):
        client = Client()
        client.post(f"/s/{open_study.slug}/")
        answer_page(client, open_study, 1, {i: 3 for i in items[:10]})
        answer_page(client, open_study, 2, {i: 3 for i in items[10:]})
        client.post(f"/s/{open_study.slug}/page/3/", {"action": "submit"})
    one = SurveyResponse.objects.filter(study=open_study).order_by("pk").first()
    SurveyResponse.objects.filter(pk=one.pk).update(
        submitted_on=one.submitted_on - timedelta(days=1)
    )
    data = exports.export_bytes(open_study, "csv").decode()
    column = [line.split(",")[0] for line in data.splitlines()[1:]]
    done = SurveyResponse.objects.filter(study=open_study).order_by("submitted_on", "public_id")
    assert column == [str(r.public_id) for r in done]
    assert column[0] == str(one.public_id)  # the earlier day first
    assert column[1:] == sorted(column[1:])  # then by the random key, not by arrival
    assert all(str(r.pk) not in column for r in done)
    assert all(re.fullmatch(r"[0-9a-f-]{36}", c) for c in column)


# --- the whole database, every file and every log line -----------------------------------


def export_texts(study, folder):
    """Every export format of the study, as text to search (`folder`: for the SPSS file)."""
    texts = {}
    for fmt in exports.FORMATS:
        content = exports.export_bytes(study, fmt)
        if fmt == "xlsx":
            with zipfile.ZipFile(io.BytesIO(content)) as book:
                texts[fmt] = " ".join(book.read(n).decode("utf-8") for n in book.namelist())
        elif fmt == "sav":
            path = folder / "export.sav"
            path.write_bytes(content)
            frame, meta = pyreadstat.read_sav(str(path))
            texts[fmt] = frame.to_csv() + " ".join(meta.column_labels) + content.decode("latin-1")
        else:
            texts[fmt] = content.decode("utf-8")
    return texts


def test_export_texts_cover_every_format(open_study, tmp_path):
    assert set(export_texts(open_study, tmp_path)) == set(exports.FORMATS)


def test_responding_start_takes_no_language_by_default(panel_study):
    study = panel_study(anonymous=True)
    ben = Invitation.objects.get(study=study, email="ben@example.org")
    assert responding.start(study, invitation=ben).language == ""


# --- the migration carries existing data over --------------------------------------------------


def _old_data(state, framework):
    """Studies as the first schema held them: completed rounds in a JSON column, and the
    invitee's language copied onto responses."""
    from django.db.migrations.executor import MigrationExecutor

    old = MigrationExecutor(connection).loader.project_state(state).apps
    OldStudy, OldRound = old.get_model("surveys", "Study"), old.get_model("surveys", "Round")
    OldInvitation = old.get_model("surveys", "Invitation")
    OldResponse = old.get_model("surveys", "Response")  # its name before 0003
    ids = {}
    for anonymous in (True, False):
        study = OldStudy.objects.create(
            slug=f"s-{anonymous}",
            name="S",
            framework_id=framework.pk,
            anonymous=anonymous,
            access="invitation",
            scale=[],
        )
        one = OldRound.objects.create(study=study, number=1)
        OldRound.objects.create(study=study, number=2)
        ana = OldInvitation.objects.create(
            study=study, email="ana@example.org", language="fr", completed_rounds=[1, 2]
        )
        OldInvitation.objects.create(study=study, email="ben@example.org")
        for _ in range(2):
            OldResponse.objects.create(
                study=study,
                round=one,
                language="fr",
                started_on="2026-01-05",
                invitation=None if anonymous else ana,
            )
        ids[anonymous] = (ana.pk, study.pk)
    return ids


@pytest.mark.django_db(transaction=True)
def test_migration_moves_uses_gives_public_ids_and_forgets_copied_languages(default_framework):
    from django.db.migrations.executor import MigrationExecutor

    before = [("surveys", "0001_initial")]
    after = MigrationExecutor(connection).loader.graph.leaf_nodes("surveys")
    MigrationExecutor(connection).migrate(before)
    try:
        ids = _old_data(before, default_framework)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    for anonymous, (ana_pk, study_pk) in ids.items():
        assert Invitation.objects.get(pk=ana_pk).completed_rounds == [1, 2]
        assert (
            Invitation.objects.get(study_id=study_pk, email="ben@example.org").completed_rounds
            == []
        )
        responses = SurveyResponse.objects.filter(study_id=study_pk)
        assert {r.language for r in responses} == ({""} if anonymous else {"fr"})
        # a confidential invitation keeps one linked response per round
        assert responses.filter(invitation__isnull=False).count() == (0 if anonymous else 1)
    public = list(SurveyResponse.objects.values_list("public_id", flat=True))
    assert len(set(public)) == len(public) == 4 and None not in public

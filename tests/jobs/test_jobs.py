"""Background jobs through the web: the report and e-mails start a job and return at once;
the worker runs it; its page shows progress, failure and retry; its file is the owner's."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from rtwcomp.interop.panel_csv import Invitee
from rtwcomp.jobs import services, worker, worker_heartbeat_age
from rtwcomp.jobs.models import Job
from rtwcomp.surveys import invitations
from tests.conftest import make_researcher
from tests.jobs import tasks
from tests.surveys import simulate
from tests.surveys.conftest import open_study, researcher, researcher_client  # noqa: F401


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """Result files go to a temporary data directory."""
    monkeypatch.setenv("RTWCOMP_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    """The worker's loop closes connections that are not in autocommit mode, as the test's
    transaction is on PostgreSQL; in-process, it must keep that transaction's connection."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


NO_SCRIPT_REFRESH = '<noscript><meta http-equiv="refresh" content="2"></noscript>'


def run_worker() -> None:
    worker.run(batch=True, interval=0)


@pytest.fixture
def simulated(open_study):  # noqa: F811
    simulate.simulate(open_study, 30, seed=1)
    return open_study


def test_the_report_starts_a_job_whose_file_only_its_owner_downloads(
    simulated,
    researcher_client,  # noqa: F811
    data_dir,
):
    response = researcher_client.post(f"/studies/{simulated.slug}/report.html")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    # Nothing was rendered in the request: the job waits for a worker, with no file.
    assert job.status == Job.Status.QUEUED and not job.result_file
    assert DBTaskResult.objects.get(id=job.task_id).status == TaskResultStatus.READY

    page = researcher_client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert NO_SCRIPT_REFRESH in text and f'hx-get="/jobs/{job.pk}/progress"' in text
    assert '<progress id="job-progress" max="100" value="0" aria-describedby="job-live">' in text
    assert "Waiting for a worker" in text and "Stop reloading" in text
    stopped = researcher_client.get(f"/jobs/{job.pk}/?refresh=off").content.decode()
    assert NO_SCRIPT_REFRESH not in stopped and "hx-get" not in stopped

    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.progress == 100
    text = researcher_client.get(f"/jobs/{job.pk}/").content.decode()
    assert NO_SCRIPT_REFRESH not in text and f"/jobs/{job.pk}/file" in text
    assert "hx-get" not in text
    download = researcher_client.get(f"/jobs/{job.pk}/file")
    body = b"".join(download.streaming_content)
    assert download["Content-Type"].startswith("text/html")
    assert download["Content-Disposition"] == (
        f'attachment; filename="{simulated.slug}-report.html"'
    )
    assert simulated.name.encode() in body and b"<svg" in body
    # Kept in the database, where every app server reads it; nothing on the worker's disk.
    assert job.result_content() == body and not (data_dir / "jobs").exists()

    stranger = Client()
    stranger.force_login(make_researcher("stranger"))
    for client in (stranger, Client()):
        assert client.get(f"/jobs/{job.pk}/").status_code == 404
        assert client.get(f"/jobs/{job.pk}/file").status_code == 404
        assert client.post(f"/jobs/{job.pk}/retry").status_code == 404
    superuser = Client()
    superuser.force_login(make_researcher("root", is_superuser=True))
    assert superuser.get(f"/jobs/{job.pk}/file").status_code == 200


def test_the_report_of_a_study_without_responses_is_refused_at_once(
    open_study,  # noqa: F811
    researcher_client,  # noqa: F811
):
    response = researcher_client.post(f"/studies/{open_study.slug}/report.pdf")
    assert response["Location"] == f"/studies/{open_study.slug}/results/"
    assert not Job.objects.exists()
    assert researcher_client.post(f"/studies/{open_study.slug}/report.docx").status_code == 404
    # An older GET link lands on the dashboard, whose buttons start the report.
    response = researcher_client.get(f"/studies/{open_study.slug}/report.pdf")
    assert response["Location"] == f"/studies/{open_study.slug}/results/"
    assert not Job.objects.exists()


def test_a_failed_job_shows_its_message_and_retry_runs_it_again(researcher, tmp_path):  # noqa: F811
    needed = tmp_path / "input"
    job = services.start(
        tasks.fail_unless_file, owner=researcher, title="Needs input", path=str(needed)
    )
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempts == 1
    client = Client()
    client.force_login(researcher)
    page = client.get(f"/jobs/{job.pk}/")
    text = page.content.decode()
    assert NO_SCRIPT_REFRESH not in text and "The input is not there yet." in text
    assert 'role="alert"' in text and f'action="/jobs/{job.pk}/retry"' in text
    assert client.get(f"/jobs/{job.pk}/file").status_code == 404

    needed.write_text("here")
    response = client.post(f"/jobs/{job.pk}/retry")
    assert response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.error == ""
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2
    assert b"".join(client.get(f"/jobs/{job.pk}/file").streaming_content) == b"found"
    client.post(f"/jobs/{job.pk}/retry")  # a finished job is not run again
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE


def test_an_unexpected_error_is_not_shown_but_recorded(researcher):  # noqa: F811
    job = services.start(tasks.broken, owner=researcher, title="Broken")
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "internal detail" not in job.error and "Something went wrong" in job.error
    result = DBTaskResult.objects.get(id=job.task_id)
    assert result.status == TaskResultStatus.FAILED and "internal detail" in result.traceback


def test_invitations_and_reminders_are_sent_by_a_job(researcher_client, open_study):  # noqa: F811
    invitations.add_panel(
        open_study, [Invitee("a@example.org", "A", "en"), Invitee("b@example.org", "", "fr")]
    )
    response = researcher_client.post(f"/studies/{open_study.slug}/action/", {"action": "invite"})
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    job = Job.objects.get()
    assert shown == [f'Sending 2 e-mail(s): <a href="/jobs/{job.pk}/">follow the job</a>.']
    assert mail.outbox == [] and job.owner == open_study.owner
    page = researcher_client.get(response["Location"]).content.decode()
    assert f'<a href="/jobs/{job.pk}/">follow the job</a>' in page
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.message == "2 e-mail(s) sent."

    researcher_client.post(f"/studies/{open_study.slug}/action/", {"action": "remind"})
    run_worker()
    assert len(mail.outbox) == 4


def test_a_job_speaks_the_language_it_was_started_in(researcher_client, open_study):  # noqa: F811
    researcher_client.cookies["django_language"] = "fr"
    researcher_client.post(f"/studies/{open_study.slug}/action/", {"action": "invite"})
    run_worker()
    job = Job.objects.get()
    assert job.language == "fr" and re.search(r"0 courriel", job.message), job.message


def test_recovery_queues_again_only_tasks_of_dead_workers(researcher, tmp_path):  # noqa: F811
    assert worker_heartbeat_age() is None
    jobs = [
        services.start(tasks.wait_for_file, owner=researcher, title=str(n), path="x")
        for n in range(3)
    ]
    worker.beat("alive")
    results = DBTaskResult.objects.filter(id__in=[j.task_id for j in jobs])
    for result, worker_id in zip(
        results.order_by("enqueued_at"), ["alive", "dead", "quiet"], strict=True
    ):
        result.claim(worker_id)
    Job.objects.update(status=Job.Status.RUNNING)
    worker.beat("quiet")
    from rtwcomp.jobs.models import WorkerBeat

    WorkerBeat.objects.filter(worker_id="quiet").update(pid=2**22 + 12345)  # no such process
    recovered = worker.recover_stale()
    assert len(recovered) == 2
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == [
        "READY",
        "READY",
        "RUNNING",
    ]
    assert Job.objects.filter(status=Job.Status.QUEUED).count() == 2
    assert 0 <= worker_heartbeat_age() < 5

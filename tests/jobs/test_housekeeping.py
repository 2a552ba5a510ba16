"""The job page's status fragment (what htmx polls), job files in the database, and the
pruning of finished jobs after their retention."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rtwcomp.cli import main
from rtwcomp.jobs import files, services, worker
from rtwcomp.jobs.models import Job, JobFile
from tests.conftest import make_researcher
from tests.jobs import tasks


@pytest.fixture
def owner(db):
    return make_researcher("owner")


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_status_fragment_polls_while_the_job_runs_and_stops_when_it_is_done(owner, run_jobs):
    job = services.start(tasks.fail_unless_file, owner=owner, title="Needs input", path="/nx")
    services.report(job, 40, "Reading the file…")
    fragment = client_of(owner).get(f"/jobs/{job.pk}/progress")
    text = fragment.content.decode()
    assert fragment.status_code == 200 and not text.lstrip().startswith("<!doctype")
    assert f'hx-get="/jobs/{job.pk}/progress"' in text and 'hx-trigger="every 1s"' in text
    assert 'value="40"' in text and 'role="status"' in text and "Reading the file…" in text

    run_jobs()
    text = client_of(owner).get(f"/jobs/{job.pk}/progress").content.decode()
    assert "hx-get" not in text  # finished: the fragment that replaces itself stops polling
    assert 'role="alert"' in text and "The input is not there yet." in text
    assert f'action="/jobs/{job.pk}/retry"' in text


def test_the_status_fragment_is_only_for_the_jobs_owner(owner):
    job = services.start(tasks.broken, owner=owner, title="Secret title")
    stranger = client_of(make_researcher("stranger"))
    for client in (stranger, Client()):
        answer = client.get(f"/jobs/{job.pk}/progress")
        assert answer.status_code == 404 and b"Secret title" not in answer.content


def test_a_result_over_the_size_limit_fails_its_job_and_stores_nothing(
    owner, run_jobs, settings, tmp_path
):
    settings.RTWCOMP_JOB_FILE_MAX_BYTES = 3  # the test job's result is b"found", 5 bytes
    (tmp_path / "input").write_text("here")
    job = services.start(
        tasks.fail_unless_file, owner=owner, title="Big", path=str(tmp_path / "input")
    )
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "at most 0.0 MB" in job.error
    assert not JobFile.objects.exists() and job.result_content() is None


def test_an_upload_is_kept_for_a_retry_and_dropped_once_the_job_is_done(owner, run_jobs):
    job = services.start(tasks.broken, owner=owner, title="Import", upload=("a.csv", b"x,y\n"))
    assert services.input_file(job) == ("a.csv", b"x,y\n")
    run_jobs()
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED
    assert JobFile.objects.filter(job=job, role="input").exists()  # failed: kept for retry
    done = services.start(tasks.echo_input, owner=owner, title="Echo", upload=("b.csv", b"1"))
    run_jobs()
    done.refresh_from_db()
    assert done.status == Job.Status.DONE and done.result_content() == b"1"
    assert not JobFile.objects.filter(job=done, role="input").exists()


def finish(job: Job, days_ago: float, status: str = Job.Status.DONE) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status, finished_at=timezone.now() - timedelta(days=days_ago)
    )


def test_finished_jobs_past_their_retention_are_deleted_with_their_files(owner, settings):
    settings.RTWCOMP_JOB_RETENTION_DAYS = 30
    old, old_failed, recent, running = (
        services.start(tasks.broken, owner=owner, title=str(n)) for n in range(4)
    )
    files.write(str(old.pk), "old.txt", b"old")
    finish(old, 31)
    finish(old_failed, 45, Job.Status.FAILED)
    finish(recent, 29)
    Job.objects.filter(pk=running.pk).update(status=Job.Status.RUNNING)
    assert worker.prune() == 2
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not JobFile.objects.exists()
    assert {str(i) for i in DBTaskResult.objects.values_list("id", flat=True)} == {
        recent.task_id,
        running.task_id,
    }
    assert services.prune(days=0) == 1  # a shorter retention, asked for


def test_the_worker_prunes_when_it_starts(owner, settings, run_jobs):
    settings.RTWCOMP_JOB_RETENTION_DAYS = 7
    job = services.start(tasks.broken, owner=owner, title="Old")
    finish(job, 8)
    run_jobs()
    assert not Job.objects.exists()


def test_worker_help_names_the_prune_option(capsys):
    with pytest.raises(SystemExit):
        main(["worker", "--help"])
    assert "--prune" in capsys.readouterr().out


def test_pages_load_htmx_from_the_static_files_configured_without_inline_code(owner, settings):
    job = services.start(tasks.broken, owner=owner, title="Any")
    page = client_of(owner).get(f"/jobs/{job.pk}/").content.decode()
    assert '<script src="/static/vendor/htmx.min.js" defer></script>' in page
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page)
    assert config and json.loads(config[1])["includeIndicatorStyles"] is False
    assert json.loads(config[1])["allowEval"] is False  # the CSP forbids eval and inline style
    assert "<script>" not in page and "<style" not in page
    # The file comes from npm at install time; a URL, not a manifest entry, so a checkout
    # without it still renders every page (only the in-place updates are missing).
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    assert backend == "django.contrib.staticfiles.storage.StaticFilesStorage"

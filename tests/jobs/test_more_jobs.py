"""Duplicate suggestions and a large study's export as background jobs: the form or the
download starts a job owned by who asked; the worker (in-process here) does the work."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rtwcomp.elicitation import jobs as elicitation_jobs
from rtwcomp.elicitation.models import Statement
from rtwcomp.jobs.models import Job
from rtwcomp.surveys import exports
from rtwcomp.surveys import jobs as survey_jobs
from tests.conftest import make_researcher
from tests.elicitation.conftest import project  # noqa: F401
from tests.surveys import simulate
from tests.surveys.conftest import open_study, researcher, researcher_client  # noqa: F401

HINT = "pip install 'rtwcomp[semantic]'"
ESCAPED_HINT = "pip install &#x27;rtwcomp[semantic]&#x27;"  # the job's error, as HTML escapes it


def test_the_suggestions_form_starts_a_job_that_stores_suggestions(
    project,  # noqa: F811
    researcher,  # noqa: F811
    researcher_client,  # noqa: F811
    run_jobs,
    monkeypatch,
):
    said: list[tuple[int, str]] = []
    report = elicitation_jobs.report
    monkeypatch.setattr(
        elicitation_jobs,
        "report",
        lambda job, pct, message="": said.append((pct, message)) or report(job, pct, message),
    )
    url = reverse("elicitation:suggestions", args=[project.slug])
    response = researcher_client.post(url, {"method": "lexical", "threshold": "0.2"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.owner == researcher and job.back_url == url and job.status == Job.Status.QUEUED
    assert not Statement.objects.filter(suggested_cluster__isnull=False).exists()

    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.progress == 100, job.error
    assert [pct for pct, _ in said] == [30, 90, 100]
    assert job.message == "6 statement(s) compared, in 3 group(s)."
    assert not Statement.objects.filter(suggested_cluster__isnull=True).exists()
    page = researcher_client.get(f"/jobs/{job.pk}/").content.decode()
    assert f'href="{url}"' in page  # "Back" to the suggestions page
    suggestions = researcher_client.get(url).content.decode()
    assert "Suggestion: 3 statements that may say the same thing" in suggestions


def test_without_the_semantic_extra_the_form_says_so_and_the_job_fails_with_the_hint(
    project,  # noqa: F811
    researcher_client,  # noqa: F811
    run_jobs,
    monkeypatch,
):
    url = reverse("elicitation:suggestions", args=[project.slug])
    monkeypatch.setattr("rtwcomp.elicitation.clustering.semantic_available", lambda: True)
    assert "The semantic method is installed here." in researcher_client.get(url).content.decode()
    monkeypatch.setattr("rtwcomp.elicitation.clustering.semantic_available", lambda: False)
    form = researcher_client.get(url).content.decode()
    assert f"The semantic method is not installed here: it needs {HINT}." in form

    researcher_client.post(url, {"method": "semantic"})
    run_jobs()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.error == f"The semantic method is not installed here: it needs {HINT}."
    page = researcher_client.get(f"/jobs/{job.pk}/").content.decode()
    assert ESCAPED_HINT in page and "Try again" in page


def test_a_large_study_export_is_a_job_whose_file_only_its_owner_downloads(
    open_study,  # noqa: F811
    researcher,  # noqa: F811
    researcher_client,  # noqa: F811
    run_jobs,
    monkeypatch,
):
    simulate.simulate(open_study, 30, seed=1)  # 30 x 20 items: 600 answers
    monkeypatch.setattr(survey_jobs, "LARGE_EXPORT_ANSWERS", 100)
    page = researcher_client.get(f"/studies/{open_study.slug}/").content.decode()
    action = f'action="/studies/{open_study.slug}/export.csv"'
    assert f'<form method="post" class="actions exports" {action}' in page
    assert f'href="/studies/{open_study.slug}/export.csv"' not in page  # a button, not a link
    for fmt in exports.FORMATS:  # a GET (a link, a prefetch, a crawler) never starts a job
        response = researcher_client.get(f"/studies/{open_study.slug}/export.{fmt}")
        assert response.status_code == 302
        assert response["Location"] == f"/studies/{open_study.slug}/"
    assert not Job.objects.exists()
    response = researcher_client.post(f"/studies/{open_study.slug}/export.csv")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.owner == researcher and job.status == Job.Status.QUEUED

    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    download = researcher_client.get(f"/jobs/{job.pk}/file")
    assert download["Content-Disposition"] == f'attachment; filename="{open_study.slug}.csv"'
    assert download["Content-Type"].startswith("text/csv")
    assert b"".join(download.streaming_content) == exports.export_bytes(open_study, "csv")

    other = make_researcher("colleague")
    open_study.collaborators.add(other)  # may see the study, not someone else's job
    client = Client()
    client.force_login(other)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/file").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_small_study_export_is_still_served_directly(
    open_study,  # noqa: F811
    researcher_client,  # noqa: F811
    fmt,
):
    simulate.simulate(open_study, 30, seed=1)  # 600 answers, under the threshold
    page = researcher_client.get(f"/studies/{open_study.slug}/").content.decode()
    assert f'<a href="/studies/{open_study.slug}/export.{fmt}">' in page
    response = researcher_client.get(f"/studies/{open_study.slug}/export.{fmt}")
    assert response.status_code == 200 and not Job.objects.exists()
    assert response["Content-Type"] == exports.FORMATS[fmt][0]
    assert response["Content-Disposition"] == f'attachment; filename="{open_study.slug}.{fmt}"'

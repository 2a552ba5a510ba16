"""Large web imports run as background jobs: the request only keeps the file and queues the
job; the job reads and checks every row outside any transaction, then stores them all in one
(or nothing, with the file, line and column of each problem on the job's page). A small
file is still imported in the request."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rtwcomp.elicitation import services
from rtwcomp.elicitation.models import Statement
from rtwcomp.jobs.models import Job, JobFile
from rtwcomp.surveys.models import Invitation
from tests.surveys.conftest import open_study, researcher, researcher_client  # noqa: F401

ROWS = 4_900  # near the row limit (5,000): about 290 KB, over RTWCOMP_IMPORT_JOB_BYTES


@pytest.fixture
def project(researcher):  # noqa: F811
    project = services.create_project("Large imports", owner=researcher)
    for n in range(90):  # an import names only participants already in the project
        services.add_participant(project, f"P{n:02d}")
    return project


def statements(rows: int, bad_line: int | None = None) -> bytes:
    """A statements CSV; the data row on file line `bad_line` lacks its text."""
    lines = ["statement_id,session,participant,text"]
    for n in range(rows):
        text = "" if n + 2 == bad_line else f"Keeping medical information confidential {n}"
        lines.append(f"S{n:05d},FG-{n % 7},P{n % 90:02d},{text}")
    return ("\n".join(lines) + "\n").encode()


def upload(client, project, content: bytes, name: str = "big.csv"):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(f"/elicitation/{project.slug}/import/", {"file": file})


def test_a_large_statements_file_is_imported_by_a_job(
    project,
    researcher_client,  # noqa: F811
    run_jobs,
    settings,
):
    content = statements(ROWS)
    assert len(content) > settings.RTWCOMP_IMPORT_JOB_BYTES
    before = Statement.objects.filter(project=project).count()
    response = upload(researcher_client, project, content)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert Statement.objects.filter(project=project).count() == before  # only queued
    assert JobFile.objects.get(job=job, role="input").size == len(content)

    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert job.message == f"{ROWS} statements imported."
    stored = Statement.objects.filter(project=project)
    assert stored.count() == before + ROWS
    assert stored.get(external_id="S04899").text == "Keeping medical information confidential 4899"
    assert not JobFile.objects.filter(job=job).exists()  # the upload is dropped once done
    page = researcher_client.get(f"/jobs/{job.pk}/").content.decode()
    assert f'href="/elicitation/{project.slug}/"' in page


def test_a_bad_row_fails_the_job_with_its_line_and_stores_nothing(
    project,
    researcher_client,  # noqa: F811
    run_jobs,
):
    before = Statement.objects.filter(project=project).count()
    sessions = project.sessions.count()
    upload(researcher_client, project, statements(ROWS, bad_line=4321), "panel-x.csv")
    run_jobs()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert "panel-x.csv: line 4321, column 'text': a value is required" in job.error
    assert job.error.startswith("Nothing imported:")
    assert Statement.objects.filter(project=project).count() == before
    assert project.sessions.count() == sessions  # no session of the file was created
    page = researcher_client.get(f"/jobs/{job.pk}/").content.decode()
    assert "line 4321, column &#x27;text&#x27;" in page and 'role="alert"' in page
    assert JobFile.objects.filter(job=job, role="input").exists()  # kept for a retry


def test_a_file_over_the_jobs_row_limit_is_refused_by_the_job(
    project,
    researcher_client,  # noqa: F811
    run_jobs,
):
    before = Statement.objects.filter(project=project).count()
    upload(researcher_client, project, statements(5_001))
    run_jobs()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert "big.csv: more than 5,000 rows; the limit is 5,000" in job.error
    assert Statement.objects.filter(project=project).count() == before


def test_a_small_statements_file_is_still_imported_in_the_request(
    project,
    researcher_client,  # noqa: F811
):
    before = Statement.objects.filter(project=project).count()
    response = upload(researcher_client, project, statements(20), "small.csv")
    assert response.status_code == 302 and response["Location"] == f"/elicitation/{project.slug}/"
    assert not Job.objects.exists()
    assert Statement.objects.filter(project=project).count() == before + 20


def test_a_large_panel_is_imported_by_a_job(
    open_study,  # noqa: F811
    researcher_client,  # noqa: F811
    run_jobs,
):
    rows = "".join(f"person{n}@example.org,Person number {n},fr\n" for n in range(9_000))
    content = ("email,name,language\n" + rows).encode()
    file = SimpleUploadedFile("panel.csv", content, content_type="text/csv")
    response = researcher_client.post(f"/studies/{open_study.slug}/panel/", {"panel": file})
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert not Invitation.objects.filter(study=open_study).exists()
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert Invitation.objects.filter(study=open_study).count() == 9_000
    assert job.message == "9000 invitee(s) added, 0 already on the panel."


def test_a_large_framework_file_becomes_a_draft_through_a_job(
    default_framework, client, run_jobs, settings
):
    from django.contrib.auth.models import User

    from rtwcomp.frameworks.models import Framework
    from tests.conftest import make_researcher

    package = client.get("/frameworks/rtw-coordinator/export.case").content
    settings.RTWCOMP_IMPORT_JOB_BYTES = len(package) - 1  # this file counts as large
    importer = make_researcher("res")
    client.force_login(importer)

    def send():
        upload = SimpleUploadedFile("rtw.json", package, "application/json")
        answer = client.post("/frameworks/import/", {"file": upload, "format": ""})
        job = Job.objects.latest("created_at")
        assert answer.status_code == 302 and answer["Location"] == f"/jobs/{job.pk}/"
        run_jobs()
        job.refresh_from_db()
        return job

    refused = send()  # the default framework is not theirs
    assert refused.status == Job.Status.FAILED and refused.error.startswith("Nothing imported:")
    assert Framework.objects.count() == 1
    User.objects.filter(pk=importer.pk).update(is_superuser=True)
    done = send()
    assert done.status == Job.Status.DONE, done.error
    assert Framework.objects.get(version=2).owner_id == importer.pk
    assert done.back_url == "/frameworks/rtw-coordinator/?version=2"
    page = client.get(f"/jobs/{done.pk}/").content.decode()
    assert 'id="job-result" href="/frameworks/rtw-coordinator/?version=2"' in page

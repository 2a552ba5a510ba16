"""`/readyz`: 200 when the database answers and every migration is applied, 503 otherwise;
the shared worker's state is reported but never makes it 503. `/healthz` stays bare."""

from __future__ import annotations

import sys
from unittest import mock

import pytest
from django.db import DatabaseError

from rtwcomp.site import health


@pytest.mark.django_db
def test_ready_when_the_database_answers_and_is_migrated(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == body["migrations"] == "ok"
    assert body["worker"] in ("ok", "stale", "none")


@pytest.mark.django_db
def test_not_ready_with_a_migration_not_applied(client):
    with mock.patch.object(health, "pending_migrations", return_value=True):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"


@pytest.mark.django_db
def test_not_ready_when_the_database_does_not_answer(client):
    with mock.patch.object(health, "pending_migrations", side_effect=DatabaseError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"database": "error", "migrations": "error", "worker": mock.ANY}


@pytest.mark.django_db
def test_the_migration_check_reads_the_real_plan():
    assert health.pending_migrations() is False


@pytest.mark.django_db
@pytest.mark.parametrize(("age", "state"), [(None, "none"), (3.0, "ok"), (3600.0, "stale")])
def test_a_stale_or_missing_worker_is_reported_but_stays_ready(client, age, state):
    with mock.patch("rtwcomp.jobs.worker_heartbeat_age", return_value=age, create=True):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["worker"] == state


def test_without_background_jobs_the_worker_is_none():
    with mock.patch.dict(sys.modules, {"rtwcomp.jobs": None}):  # the package cannot be imported
        assert health.worker_state() == "none"


def test_healthz_stays_a_bare_view(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")

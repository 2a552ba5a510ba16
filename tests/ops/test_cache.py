"""The shared cache: Django's database cache, its table made by the migrate path and present
in the test database; the analysis computed by one app server process is read, not computed
again, by another; the code throttle keeps its own table and never touches the cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection

from rtwcomp.surveys import results, studies, throttle
from rtwcomp.surveys.models import AttemptCount
from tests.surveys import simulate

ROOT = Path(__file__).resolve().parents[2]
TABLE = settings.CACHES["default"]["LOCATION"]


@pytest.fixture
def study(default_framework):
    found = studies.create_study(name="Cached", framework=default_framework, items="12")
    studies.open_study(found)
    simulate.simulate(found, 12, seed=5)
    return found


@pytest.mark.django_db
def test_the_default_cache_is_the_database_and_its_table_exists_in_tests():
    assert isinstance(caches["default"], DatabaseCache)
    assert TABLE in connection.introspection.table_names()
    cache.set("rtwcomp:probe", 41)
    assert cache.get("rtwcomp:probe") == 41


def test_the_analysis_is_stored_in_the_cache_table_and_computed_once(study):
    calls = []
    real = results.analyze

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    with mock.patch.object(results, "analyze", counted):
        first = results.cached_analysis(study)
        second = results.cached_analysis(study)
    assert len(calls) == 1
    assert first[0].responses.equals(second[0].responses)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {TABLE}")  # noqa: S608 (a settings name)
        keys = [row[0] for row in cursor.fetchall()]
    assert any(f"rtwcomp:analysis:{study.pk}:" in key for key in keys)
    simulate.simulate(study, 1, seed=6)  # another completed response: computed afresh
    with mock.patch.object(results, "analyze", counted):
        results.cached_analysis(study)
    assert len(calls) == 2


def test_two_app_server_processes_compute_a_studys_analysis_once(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env |= {"RTWCOMP_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT / "src")}
    env.pop("RTWCOMP_CACHE_BACKEND", None)
    env.pop("RTWCOMP_CACHE_LOCATION", None)

    def server(mode: str) -> dict:
        done = subprocess.run(
            [sys.executable, "-m", "tests.ops.two_servers", mode],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    first, second = server("compute"), server("read")
    assert first["computed"] == 1
    assert second["computed"] == 0, "the second process computed the analysis again"
    assert second["digest"] == first["digest"]


def test_the_code_throttle_keeps_its_own_table_and_never_uses_the_cache(study):
    refuse = mock.Mock(side_effect=AssertionError("the throttle used the cache"))
    with mock.patch.multiple(
        DatabaseCache, get=refuse, set=refuse, add=refuse, incr=refuse, delete=refuse
    ):
        tries = [throttle.attempt(throttle.ACCESS_CODE, study, "192.0.2.7") for _ in range(6)]
    assert [t.allowed for t in tries] == [True] * 5 + [False]
    assert throttle.total(throttle.ACCESS_CODE, study) == 5
    assert AttemptCount.objects.filter(study=study).exists()

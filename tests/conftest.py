"""Shared fixtures."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def english():
    """Each test starts in the site's language. The locale middleware activates a page's
    language in the thread that serves it, which for the test client is the test's own: a
    French page requested by one test would otherwise leave the next one in French."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def default_framework(db):
    from rtwcomp.frameworks.services import load_default

    framework, _ = load_default()
    return framework


def require(condition: bool, reason: str) -> None:
    """Skip when a tool is missing, but fail under CI, where every leg must run."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


def make_researcher(username: str, password: str = "x-long-password-0", **fields):
    """A member of the researchers group (staff, so the admin opens for them too)."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password=password, is_staff=True, **fields)
    user.groups.add(Group.objects.get_or_create(name="researchers")[0])
    return user


@pytest.fixture
def report_line(request):
    """Add a line to the summary printed at the end of the run (e.g. a matrix's size)."""
    return request.config.stash.setdefault(SUMMARY, []).append


SUMMARY = pytest.StashKey[list]()


def pytest_terminal_summary(terminalreporter, config):
    for line in config.stash.get(SUMMARY, []):
        terminalreporter.write_line(line)


# Hypothesis: under CI the same examples every run (derandomized, no example database, no
# deadline on a shared machine), and on failure the blob that reproduces the example
# (`@reproduce_failure(...)`); elsewhere random examples with a generous deadline.
# HYPOTHESIS_PROFILE picks a profile by name.
from datetime import timedelta  # noqa: E402

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=timedelta(seconds=2), print_blob=True)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")
)


@pytest.fixture
def run_jobs(tmp_path, monkeypatch):
    """Run the queued background jobs now, in this process (result files in a temporary
    data directory). The worker's loop closes connections not in autocommit mode, as the
    test's transaction is on PostgreSQL; in-process it must keep that connection."""
    from rtwcomp.jobs import worker

    monkeypatch.setenv("RTWCOMP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    return lambda: worker.run(batch=True, interval=0)

"""Start Django for a command: the same settings and data directory as the server.

Every handler that needs the database is decorated with `django_command`: it sets Django up
once; a command that writes migrates first, a command that only reads refuses a database
that is not migrated (exit status 2) instead of changing it.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from functools import wraps
from typing import Any

Handler = Callable[[argparse.Namespace], int]

NOT_MIGRATED = "the database is not migrated: run 'rtwcomp migrate' first"


def django_command(*, writes: bool, verbosity: int = 0) -> Callable[[Handler], Handler]:
    """Decorate a command handler: Django set up, and the database migrated (`writes=True`)
    or checked to be migrated already (`writes=False`) before the handler runs."""

    def decorate(handler: Handler) -> Handler:
        @wraps(handler)
        def run(args: argparse.Namespace) -> int:
            start(writes=writes, verbosity=verbosity)
            return handler(args)

        return run

    return decorate


def start(*, writes: bool, verbosity: int = 0) -> None:
    """What `django_command` does before its handler (also used by `rtwcomp serve`)."""
    setup()
    if writes:
        migrate(verbosity)
    elif pending_migrations():
        from rtwcomp.commands import UsageError

        raise UsageError(NOT_MIGRATED)


def setup() -> None:
    """Once per process: a second `django.setup()` would configure logging again."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rtwcomp.site.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def pending_migrations() -> bool:
    """Whether any migration is not applied yet (reads the database, creates nothing)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def owner(username: str | None) -> Any:
    """The user named by `--owner`, who will own what a command creates (None: nobody, so
    only superusers see it)."""
    if username is None:
        return None
    from django.contrib.auth import get_user_model

    from rtwcomp.commands import UsageError

    found = get_user_model().objects.filter(username=username).first()
    if found is None:
        raise UsageError(f"no user '{username}' (--owner)")
    return found


OWNER_HELP = "user who will own it (default: none, so only superusers see it)"


def migrate(verbosity: int = 0) -> None:
    """Keep the data directory private (older ones were readable by all), then migrate and
    make the shared cache's table (`CACHES`; nothing to do for a cache outside the database)."""
    from django.core.management import call_command

    from rtwcomp.paths import make_private

    make_private()
    call_command("migrate", interactive=False, verbosity=verbosity)
    call_command("createcachetable", verbosity=verbosity)

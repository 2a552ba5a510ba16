"""Start Django for a command: the same settings and data directory as the server."""

from __future__ import annotations

import os
from typing import Any


def setup() -> None:
    """Once per process: a second `django.setup()` would configure logging again."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rtwcomp.site.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


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
    """Keep the data directory private (older ones were readable by all), then migrate."""
    from django.core.management import call_command

    from rtwcomp.paths import make_private

    make_private()
    call_command("migrate", interactive=False, verbosity=verbosity)

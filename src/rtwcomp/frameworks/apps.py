from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "rtwcomp.frameworks"
    verbose_name = _("Frameworks")

    def ready(self) -> None:
        # SQLite: a migration that rebuilds a table would trip over the freeze's triggers
        # (rtwcomp.frameworks.triggers), so `migrate` lifts them and sets them again.
        pre_migrate.connect(_lift_triggers, sender=self)
        post_migrate.connect(_install_triggers, sender=self)


def _lift_triggers(using: str = "default", **kwargs: Any) -> None:
    from rtwcomp.frameworks import triggers

    connection = connections[using]
    connection.rtwcomp_migrating = True  # migration 0005 leaves the installing to the end
    triggers.lift(connection)


def _install_triggers(using: str = "default", **kwargs: Any) -> None:
    from django.db.migrations.recorder import MigrationRecorder

    from rtwcomp.frameworks import triggers

    connection = connections[using]
    connection.rtwcomp_migrating = False
    if (
        connection.vendor == "sqlite"
        and MigrationRecorder(connection)
        .migration_qs.filter(app=triggers.MIGRATION[0], name=triggers.MIGRATION[1])
        .exists()
    ):
        triggers.install(connection)

"""A published version's freeze, held by the database too.

A published version must carry its date of publication (older rows flipped in the admin
get their creation date), and triggers (`rtwcomp.frameworks.triggers`) refuse changes to
published versions that bypass the models. On SQLite, inside a `migrate` run, the triggers
are installed at its end instead (`apps.FrameworksConfig`), so later migrations can rebuild
tables.
"""

from django.db import migrations, models
from django.db.models import F

from rtwcomp.frameworks import triggers


def install_triggers(apps, schema_editor):
    connection = schema_editor.connection
    if not getattr(connection, "rtwcomp_migrating", False) or connection.vendor != "sqlite":
        triggers.install(connection)


def remove_triggers(apps, schema_editor):
    triggers.remove(schema_editor.connection)


def date_published(apps, schema_editor):
    """Published versions without a date (status flipped in the admin) get their creation's."""
    Framework = apps.get_model("frameworks", "Framework")
    undated = Framework.objects.filter(status="published", published_at__isnull=True)
    undated.update(published_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("frameworks", "0004_exchange"),
    ]

    operations = [
        migrations.RunPython(date_published, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="framework",
            constraint=models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="framework_published_dated",
            ),
        ),
        migrations.RunPython(install_triggers, remove_triggers),
    ]

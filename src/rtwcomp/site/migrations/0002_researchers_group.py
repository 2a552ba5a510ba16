"""The `researchers` group: its members create projects, studies and framework drafts.

Under the earlier rule staff ran studies and focus groups, so existing staff join it."""

from django.db import migrations


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    group, _ = Group.objects.get_or_create(name="researchers")
    group.user_set.add(*User.objects.filter(is_staff=True))


class Migration(migrations.Migration):
    dependencies = [
        ("site", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]

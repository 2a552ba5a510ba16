"""A published version refuses changes at every level: the model, the querysets, the admin
and the database (triggers and a check constraint), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.models import Q
from django.test import Client

from rtwcomp.frameworks import services
from rtwcomp.frameworks.models import (
    BehaviouralIndicator,
    Competency,
    Framework,
    FrozenError,
    Group,
)
from tests.conftest import make_researcher


@pytest.fixture
def published(db):
    """A published version whose first competencies have behavioural indicators."""
    rows = services.default_rows()
    for competency in rows.competencies[:3]:
        competency.indicators = ["Does it", "Says so"]
    framework = services.create_from_rows(rows, slug="frozen", name="Frozen")
    return services.publish(framework)


@pytest.fixture
def draft(published):
    return services.new_draft(published)


def raw(sql: str, *params) -> None:
    """Bypass every Python guard: straight to the database, in its own savepoint."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


# --- querysets and models ---------------------------------------------------------------


def test_bulk_update_of_published_content_is_refused(published):
    before = Competency.objects.filter(framework=published).first().statement
    with pytest.raises(FrozenError):
        Competency.objects.filter(framework=published).update(statement="Changed")
    with pytest.raises(FrozenError):
        published.groups.all().update(name="Changed")
    with pytest.raises(FrozenError):
        BehaviouralIndicator.objects.filter(
            competency__framework=published
        ).update(text="Changed")  # fmt: skip
    assert Competency.objects.filter(framework=published).first().statement == before


def test_bulk_delete_of_published_content_is_refused(published):
    with pytest.raises(FrozenError):
        Competency.objects.filter(framework=published).delete()
    with pytest.raises(FrozenError):
        Group.objects.filter(framework=published).delete()
    with pytest.raises(FrozenError):
        BehaviouralIndicator.objects.filter(competency__framework=published).delete()
    assert published.competencies.count() == 156


def test_a_published_version_cannot_be_deleted(published):
    with pytest.raises(FrozenError):
        published.delete()
    with pytest.raises(FrozenError):
        Framework.objects.filter(pk=published.pk).delete()
    with pytest.raises(FrozenError):
        Framework.objects.filter(pk=published.pk).update(status="draft")
    stale = Framework.objects.get(pk=published.pk)
    stale.status = "draft"  # an outdated copy in memory must not open the way
    with pytest.raises(FrozenError):
        stale.delete()
    assert Competency.objects.filter(framework=published).count() == 156


def test_drafts_change_and_delete_freely(draft):
    assert Competency.objects.filter(framework=draft).update(notes="Edited") == 156
    draft.groups.first().competencies.first().indicators.all().delete()
    Framework.objects.filter(pk=draft.pk).update(name="Renamed")
    draft.delete()
    assert not Competency.objects.filter(framework_id=draft.pk).exists()


def test_publish_then_a_new_draft_still_works(draft):
    services.publish(draft)
    draft.refresh_from_db()
    assert draft.is_published and draft.published_at is not None
    following = services.new_draft(draft)
    assert following.version == draft.version + 1
    assert following.competencies.count() == 156
    assert BehaviouralIndicator.objects.filter(competency__framework=following).count() == (
        BehaviouralIndicator.objects.filter(competency__framework=draft).count()
    )


# --- the database ------------------------------------------------------------------------


def test_database_refuses_changing_published_content(published):
    competency = published.competencies.first()
    indicator = BehaviouralIndicator.objects.filter(competency__framework=published)[0]
    statements = [
        ("UPDATE frameworks_competency SET statement = 'x' WHERE id = %s", competency.pk),
        ("UPDATE frameworks_group SET name = 'x' WHERE framework_id = %s", published.pk),
        ("UPDATE frameworks_behaviouralindicator SET text = 'x' WHERE id = %s", indicator.pk),
        ("DELETE FROM frameworks_behaviouralindicator WHERE id = %s", indicator.pk),
        ("DELETE FROM frameworks_competency WHERE id = %s", competency.pk),
        ("DELETE FROM frameworks_group WHERE framework_id = %s", published.pk),
        ("DELETE FROM frameworks_framework WHERE id = %s", published.pk),
        ("UPDATE frameworks_framework SET status = 'draft' WHERE id = %s", published.pk),
    ]
    for sql, pk in statements:
        with pytest.raises(IntegrityError, match="published version refuses changes"):
            raw(sql, pk)
    competency.refresh_from_db()
    assert competency.statement != "x"
    assert Framework.objects.get(pk=published.pk).status == "published"


def test_database_refuses_adding_to_a_published_version(published):
    competency = published.competencies.first()
    with pytest.raises(IntegrityError, match="published version refuses changes"):
        raw(
            "INSERT INTO frameworks_behaviouralindicator (translations, competency_id, position,"
            " text) VALUES ('{}', %s, 99, 'Sneaked in')",
            competency.pk,
        )
    # Moving a draft's competency into a published version's group is a change of it too.
    draft = services.new_draft(published)
    moved = draft.competencies.first()
    with pytest.raises(IntegrityError):
        raw(
            "UPDATE frameworks_competency SET framework_id = %s WHERE id = %s",
            published.pk,
            moved.pk,
        )


def test_database_lets_drafts_change(published):
    draft = services.new_draft(published)
    raw("UPDATE frameworks_competency SET notes = 'ok' WHERE framework_id = %s", draft.pk)
    assert set(draft.competencies.values_list("notes", flat=True)) == {"ok"}


def test_database_requires_a_publication_date(draft):
    with pytest.raises(IntegrityError):
        raw("UPDATE frameworks_framework SET status = 'published' WHERE id = %s", draft.pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        draft.status = "published"
        draft.save(update_fields=["status"])


# --- the admin ----------------------------------------------------------------------------


@pytest.fixture
def owner_admin(draft):
    owner = make_researcher("owner")
    Framework.objects.filter(pk=draft.pk).update(owner=owner)
    client = Client()
    client.force_login(owner)
    return client


def _change_form_data(client, framework) -> dict[str, str]:
    page = client.get(f"/admin/frameworks/framework/{framework.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: ("" if value is None else str(value))
        for name, value in form.initial.items()
        if name in form.fields and name not in ("collaborators",)
    }
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name, field in management.fields.items():
            data[f"{management.prefix}-{name}"] = str(
                management.initial.get(name, field.initial) or 0
            )
        data[f"{management.prefix}-TOTAL_FORMS"] = "0"
        data[f"{management.prefix}-INITIAL_FORMS"] = "0"
    return data


def test_admin_cannot_flip_the_status(owner_admin, draft):
    data = _change_form_data(owner_admin, draft)
    assert "status" not in data  # read-only: not a form field at all
    data["status"] = "published"
    answer = owner_admin.post(f"/admin/frameworks/framework/{draft.pk}/change/", data)
    assert answer.status_code == 302, answer.content[:2000]
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.published_at is None


def test_admin_publishes_through_its_action(owner_admin, draft):
    answer = owner_admin.post(
        "/admin/frameworks/framework/",
        {"action": "publish", "_selected_action": [str(draft.pk)]},
    )
    assert answer.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published and draft.published_at is not None


def test_admin_publish_action_is_refused_to_a_collaborator(draft):
    collaborator = make_researcher("helper")
    draft.collaborators.add(collaborator)
    client = Client()
    client.force_login(collaborator)
    client.post(
        "/admin/frameworks/framework/",
        {"action": "publish", "_selected_action": [str(draft.pk)]},
    )
    draft.refresh_from_db()
    assert draft.status == "draft"


# --- migrations that rebuild tables -----------------------------------------------------


def _rebuild_tables(change) -> None:
    """What a later migration does on SQLite to add a constraint: rebuild the table (copy,
    drop, rename), inside `migrate`'s signals as the command sends them."""
    from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal

    emit_pre_migrate_signal(0, False, "default")
    for model in (Framework, Competency):
        constraint = models.CheckConstraint(
            condition=Q(pk__gte=0), name=f"rebuilt_{model._meta.model_name}"
        )
        with connection.schema_editor() as editor:
            change(editor, model, constraint)
    emit_post_migrate_signal(0, False, "default")


@pytest.mark.django_db(transaction=True)
def test_later_migrations_can_rebuild_tables_and_the_freeze_comes_back(published):
    _rebuild_tables(lambda editor, model, c: editor.add_constraint(model, c))
    try:
        with pytest.raises(IntegrityError, match="published version refuses changes"):
            raw(
                "UPDATE frameworks_competency SET notes = 'x' WHERE framework_id = %s", published.pk
            )
        with pytest.raises(IntegrityError, match="published version refuses changes"):
            raw("DELETE FROM frameworks_framework WHERE id = %s", published.pk)
    finally:
        _rebuild_tables(lambda editor, model, c: editor.remove_constraint(model, c))

import csv
from pathlib import Path

import pytest

from rtwcomp.frameworks import services
from rtwcomp.frameworks.models import Competency, Framework

DATA = Path(services.__file__).parent / "data"


def bank_rows():
    with open(DATA / "rtw_item_bank.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_default_framework_holds_the_item_bank(default_framework):
    rows = bank_rows()
    assert default_framework.slug == "rtw-coordinator"
    assert default_framework.is_published
    assert default_framework.competencies.count() == len(rows) == 156
    groups = list(default_framework.groups.values_list("key", flat=True))
    with open(DATA / "rtw_groups.csv", encoding="utf-8") as handle:
        assert groups == [g["group"] for g in csv.DictReader(handle)]
    stored = {c.code: c for c in default_framework.competencies.select_related("group")}
    for row in rows:
        competency = stored[row["code"]]
        assert competency.statement == row["statement"]
        assert competency.ksab_type == row["ksab_type"]
        assert competency.group.key == row["group"]
        assert competency.source_list() == [s.strip() for s in row["sources"].split(";")]
    assert "Pransky" in default_framework.citation


def test_every_statement_and_group_has_a_french_text(default_framework):
    for competency in default_framework.competencies.all():
        french = competency.translated("statement", "fr")
        assert french and french != competency.statement
    for group in default_framework.groups.all():
        assert group.translated("description", "fr") != group.description
        assert group.translated("name", "fr")


def test_load_default_is_idempotent(default_framework):
    again, created = services.load_default()
    assert not created
    assert again.pk == default_framework.pk
    assert Framework.objects.filter(slug="rtw-coordinator").count() == 1


def test_published_version_is_frozen_and_new_draft_copies_it(default_framework):
    competency = default_framework.competencies.first()
    competency.statement = "changed"
    with pytest.raises(Exception, match="published"):
        competency.save()
    draft = services.new_draft(default_framework)
    assert (draft.version, draft.status) == (2, Framework.Status.DRAFT)
    assert draft.competencies.count() == 156
    copy = draft.competencies.get(code=competency.code)
    copy.statement = "Edited in the draft"
    copy.save()
    original = Competency.objects.get(pk=competency.pk)
    assert original.statement != "Edited in the draft"
    assert services.current("rtw-coordinator").pk == default_framework.pk
    services.publish(draft)
    assert services.current("rtw-coordinator").pk == draft.pk


def test_translated_follows_the_active_language(default_framework):
    from django.utils import translation

    competency = default_framework.competencies.get(code="RTWC-001")
    with translation.override("fr"):
        assert competency.translated("statement").startswith("Organise")
    with translation.override("en"):
        assert competency.translated("statement").startswith("Organises")

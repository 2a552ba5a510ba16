"""The readers' column lengths are the database's: a value that fits the file fits the table."""

from __future__ import annotations

import pytest

from rtwcomp.interop import framework_csv, panel_csv, statements_csv


def max_length(model: str, field: str) -> int | None:
    from django.apps import apps

    return apps.get_model(model)._meta.get_field(field).max_length


@pytest.mark.parametrize(
    ("declared", "model", "field"),
    [
        (statements_csv.MAX_CODE, "elicitation.Session", "code"),
        (statements_csv.MAX_CODE, "elicitation.Participant", "code"),
        (statements_csv.MAX_ID, "elicitation.Statement", "external_id"),
        (panel_csv.MAX_EMAIL, "surveys.Invitation", "email"),
        (panel_csv.MAX_NAME, "surveys.Invitation", "name"),
        (panel_csv.MAX_LANGUAGE, "surveys.Invitation", "language"),
        (framework_csv.MAX_CODE, "frameworks.Competency", "code"),
        (framework_csv.MAX_GROUP, "frameworks.Group", "key"),
        (framework_csv.MAX_KSAB, "frameworks.Competency", "ksab_type"),
    ],
)
def test_declared_lengths_equal_the_models(declared, model, field):
    assert declared == max_length(model, field)


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("elicitation.Statement", "text"),
        ("frameworks.Competency", "statement"),
        ("frameworks.Competency", "notes"),
        ("frameworks.Competency", "sources"),
        ("frameworks.BehaviouralIndicator", "text"),
    ],
)
def test_text_columns_without_a_database_limit_keep_the_readers(model, field):
    assert max_length(model, field) is None  # the reader's own limit is the only one


def test_every_column_a_reader_knows_has_a_length():
    for reader in (statements_csv, panel_csv, framework_csv):
        assert all(column.max_length for column in reader.COLUMNS), reader.__name__

from __future__ import annotations

import pytest
from django.test import Client

from rtwcomp.surveys import studies
from tests.conftest import make_researcher


@pytest.fixture
def researcher(db):
    return make_researcher("researcher", password="x-long-password-1")


@pytest.fixture
def researcher_client(researcher):
    client = Client()
    client.force_login(researcher)
    return client


@pytest.fixture
def open_study(default_framework, researcher):
    study = studies.create_study(
        name="Importance survey",
        framework=default_framework,
        items="20",
        owner=researcher,
        items_per_page=10,
        ask_acquired=True,
    )
    return studies.open_study(study)


def answer_page(client, study, number, values, action="next", **extra):
    """Post one respondent page; `values` maps study items to scale values."""
    data = {"action": action, **extra}
    for item, value in values.items():
        data[f"item-{item.pk}"] = str(value)
    return client.post(f"/s/{study.slug}/page/{number}/", data)

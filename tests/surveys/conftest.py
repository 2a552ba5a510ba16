from __future__ import annotations

import pytest
from django.test import Client

from rtwcomp.interop.panel_csv import parse_panel_csv
from rtwcomp.surveys import invitations, studies
from rtwcomp.surveys.models import Study
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


PANEL = "email,name,language\nana@example.org,Ana,fr\nben@example.org,Ben,en\n"


@pytest.fixture
def panel_study(default_framework, researcher):
    """make(anonymous=...): an open study of 12 items on one page, with two invitees (Ana
    in French, Ben in English)."""

    def make(anonymous=True, access=Study.Access.INVITATION):
        study = studies.create_study(
            name=f"Panel {anonymous}",
            framework=default_framework,
            items="12",
            owner=researcher,
            access=access,
            anonymous=anonymous,
            items_per_page=12,
        )
        studies.open_study(study)
        invitations.add_panel(study, parse_panel_csv(PANEL, "panel.csv"))
        return study

    return make

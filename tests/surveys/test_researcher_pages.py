"""Researcher pages: who may see a study, set-up through the web, the live dashboard."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from rtwcomp.reports.format import percent
from rtwcomp.surveys.models import Study
from tests.conftest import make_researcher
from tests.surveys import simulate


@pytest.fixture
def simulated(open_study):
    simulate.simulate(open_study, 60, seed=1)
    return open_study


def test_only_owner_collaborators_and_superusers_see_a_study(simulated):
    other = make_researcher("other", password="x-long-password-2")
    coordinator = User.objects.create_user("coord", password="x-long-password-3")
    client = Client()
    client.force_login(other)
    for url in ("", "results/", "export.csv"):
        assert client.get(f"/studies/{simulated.slug}/{url}").status_code == 404
    assert client.post(f"/studies/{simulated.slug}/action/", {"action": "close"}).status_code == 404
    simulated.collaborators.add(other)
    assert client.get(f"/studies/{simulated.slug}/results/").status_code == 200
    client.force_login(coordinator)
    assert client.get("/studies/").status_code == 403  # not a researcher
    assert Client().get(f"/studies/{simulated.slug}/").status_code == 302
    assert Study.objects.get(pk=simulated.pk).status == "open"


SETTINGS = {
    "access": "open",
    "items_per_page": 12,
    "answer_rule": "soft",
    "top": 4,
    "key_share": 0.5,
    "consensus_share": 0.7,
    "consensus_iqr": 1,
}


def test_create_a_study_through_the_form(researcher_client, default_framework):
    response = researcher_client.post(
        "/studies/new/",
        {
            **SETTINGS,
            "name": "Web study",
            "name_fr": "Étude en ligne",
            "framework": default_framework.pk,
            "selection": "hand",
            "codes": ["RTWC-010", "RTWC-001", "RTWC-002"],
            "anonymous": "on",
            "step": "save",
        },
    )
    assert response.status_code == 302
    study = Study.objects.get(name="Web study")
    assert [i.competency.code for i in study.items.all()] == ["RTWC-001", "RTWC-002", "RTWC-010"]
    assert study.owner.username == "researcher" and study.status == "draft"
    assert study.translated("name", "fr") == "Étude en ligne"


def test_bad_form_input_names_the_field(researcher_client, default_framework):
    response = researcher_client.post(
        "/studies/new/",
        {
            **SETTINGS,
            "name": "Bad",
            "framework": default_framework.pk,
            "selection": "hand",
            "codes": ["RTWC-999"],
            "delphi": "on",
            "anonymous": "on",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot be anonymous" in page
    assert "A Delphi study runs with invitations." in page
    assert "Select a valid choice. RTWC-999" in page  # a code not in the framework
    assert not Study.objects.filter(name="Bad").exists()


def test_a_number_of_items_is_asked_for_when_the_selection_needs_one(
    researcher_client, default_framework
):
    data = {**SETTINGS, "name": "No N", "framework": default_framework.pk, "selection": "cited"}
    response = researcher_client.post("/studies/new/", data)
    assert response.status_code == 400
    assert "Give N, the number of items." in response.content.decode()
    assert not Study.objects.filter(name="No N").exists()


def test_dashboard_shows_the_analysis(simulated, researcher_client):
    from rtwcomp.surveys.results import analyze

    _, analysis = analyze(simulated)
    page = researcher_client.get(f"/studies/{simulated.slug}/results/").content.decode()
    key_count = int(analysis.items["key"].sum())
    assert f"60 completed responses; {key_count} of 20 items are key items" in page
    top = analysis.items.sort_values("rank").iloc[0]
    assert f'<th scope="row">{top["item"]}</th>' in page
    assert f"<td>{percent(top['share_top'])}</td>" in page
    filtered = researcher_client.get(
        f"/studies/{simulated.slug}/results/", {"key": "1", "sort": "share_top", "dir": "desc"}
    ).content.decode()
    assert filtered.count('class="key-item"') == key_count
    assert "How competencies were acquired" in page
    assert "Subgroup comparisons" in page

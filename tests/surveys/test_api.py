"""The studies API: bearer tokens, who may see what, results and exports."""

import csv

import pytest
from django.test import Client

from rtwcomp.cli import main
from rtwcomp.site.models import ApiToken
from rtwcomp.surveys.results import analyze
from tests.conftest import make_researcher
from tests.surveys import simulate


@pytest.fixture
def simulated(open_study):
    simulate.simulate(open_study, 30, seed=4)
    return open_study


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_token_gives_the_owner_their_studies_only(simulated, researcher):
    token = ApiToken.issue(researcher, "script")
    assert ApiToken.objects.get().key_hash != token  # only the hash is kept
    client = Client()
    listing = client.get("/api/v1/studies", **bearer(token)).json()
    assert [s["slug"] for s in listing] == [simulated.slug]
    assert listing[0]["completed_responses"] == 30 and len(listing[0]["items"]) == 20

    other = make_researcher("other", password="x-long-password-5")
    other_token = ApiToken.issue(other)
    assert client.get("/api/v1/studies", **bearer(other_token)).json() == []
    assert client.get(f"/api/v1/studies/{simulated.slug}", **bearer(other_token)).status_code == 404
    assert client.get("/api/v1/studies").status_code == 401
    assert client.get("/api/v1/studies", **bearer("rtw_wrong")).status_code == 401


def test_results_match_the_analysis_and_export_holds_the_responses(simulated, researcher):
    token = ApiToken.issue(researcher)
    data = Client().get(f"/api/v1/studies/{simulated.slug}/results", **bearer(token)).json()
    _, analysis = analyze(simulated)
    by_item = {row["item"]: row for row in data["items"]}
    for row in analysis.items.itertuples():
        assert by_item[row.item]["share_top"] == pytest.approx(row.share_top)
        assert by_item[row.item]["key"] == bool(row.key)
    assert data["summary"]["key_items"] == int(analysis.items["key"].sum())
    exported = Client().get(f"/api/v1/studies/{simulated.slug}/export?format=csv", **bearer(token))
    rows = list(csv.DictReader(exported.content.decode().splitlines()))
    assert len(rows) == 30
    bad = Client().get(f"/api/v1/studies/{simulated.slug}/export?format=exe", **bearer(token))
    assert bad.status_code == 404


def test_session_login_works_for_the_browser(simulated, researcher_client):
    assert researcher_client.get("/api/v1/studies").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_createtoken_prints_a_working_token(capsys):
    make_researcher("scripted", password="x-long-password-6")
    assert main(["createtoken", "scripted", "--name", "nightly"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("rtw_")
    assert Client().get("/api/v1/studies", **bearer(token)).status_code == 200
    assert main(["createtoken", "nobody"]) == 2

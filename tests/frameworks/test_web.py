"""The framework browser pages."""

import pytest
from django.urls import reverse


@pytest.fixture
def detail_url(default_framework):
    return reverse("frameworks:detail", args=[default_framework.slug])


def test_home_links_to_the_default_framework(client, default_framework):
    page = client.get("/").content.decode()
    assert reverse("frameworks:detail", args=["rtw-coordinator"]) in page
    assert "156 competencies in 8 groups" in page


def test_browser_lists_every_group_and_competency(client, detail_url):
    page = client.get(detail_url).content.decode()
    assert page.count('<li>\n      <a href="/frameworks/rtw-coordinator/RTWC-') == 156
    assert "156 competencies shown of 156" in page
    assert page.count('<section aria-labelledby="group-') == 8


def test_search_and_type_filter(client, default_framework, detail_url):
    expected = [
        c.code
        for c in default_framework.competencies.all()
        if "confidential" in c.statement.lower()
    ]
    page = client.get(detail_url, {"q": "Confidential"}).content.decode()
    assert expected and all(f"/{code}/" in page for code in expected)
    assert f"{len(expected)} competenc" in page
    knowledge = default_framework.competencies.filter(ksab_type="knowledge").count()
    page = client.get(detail_url, {"ksab": "knowledge"}).content.decode()
    assert f"{knowledge} competencies shown of 156" in page


def test_search_finds_french_text(client, default_framework, detail_url):
    page = client.get(detail_url, {"q": "échéances"}).content.decode()
    assert "/RTWC-001/" in page


def test_hostile_query_is_escaped(client, detail_url):
    page = client.get(detail_url, {"q": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


def test_competency_page(client, default_framework):
    url = reverse("frameworks:competency", args=["rtw-coordinator", "RTWC-001"])
    page = client.get(url).content.decode()
    assert "Organises and plans caseload" in page
    assert "rtwmatters.org" in page
    assert (
        client.get(reverse("frameworks:competency", args=["rtw-coordinator", "NOPE"])).status_code
        == 404
    )
    assert client.get(reverse("frameworks:detail", args=["nope"])).status_code == 404


def test_language_switch_to_french(client, default_framework, detail_url):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": detail_url})
    assert response.status_code == 302
    page = client.get(detail_url).content.decode()
    assert '<html lang="fr">' in page
    assert "Organise et planifie" in page
    assert "Rechercher" in page


def test_older_versions_stay_reachable(client, default_framework, detail_url):
    from rtwcomp.frameworks import services

    draft = services.new_draft(default_framework)
    competency = draft.competencies.get(code="RTWC-001")
    competency.statement = "A new wording"
    competency.save()
    services.publish(draft)
    assert "A new wording" in client.get(detail_url).content.decode()
    old = client.get(detail_url, {"version": 1}).content.decode()
    assert "A new wording" not in old and "Organises and plans" in old

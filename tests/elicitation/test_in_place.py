"""htmx updates in place: the table and the suggestions page post their forms with hx-post,
take only their region from the answer (hx-select) and swap it; without JavaScript the same
forms post and redirect. The table comes back with its filters and page."""

import re

import pytest
from django.urls import reverse

from rtwcomp.elicitation import services

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def staff(client, researcher):
    client.force_login(researcher)
    return client


def region(page: str, region_id: str) -> str:
    """The page from the region's start on; the base template's messages come before it."""
    start = page.index(f'<div id="{region_id}">')
    return page[start:]


def form_tag(page: str, form_id: str) -> str:
    return re.search(rf'<form[^>]*id="{form_id}"[^>]*>', page)[0]


def test_the_table_form_swaps_only_its_region(staff, project):
    url = reverse("elicitation:statements", args=[project.slug])
    session = project.sessions.get(code="AU-1")
    page = staff.get(url, {"session": session.pk, "state": "open"}).content.decode()
    tag = form_tag(page, "table-form")
    action = reverse("elicitation:aside", args=[project.slug])
    expected = f"{action}?session={session.pk}&amp;state=open"
    assert f'action="{expected}"' in tag and f'hx-post="{expected}"' in tag
    assert 'hx-target="#statement-region"' in tag and 'hx-select="#statement-region"' in tag
    assert 'hx-swap="outerHTML"' in tag
    assert page.index('<div id="statement-region">') < page.index('id="table-form"')


def test_setting_aside_returns_to_the_same_filters_and_page(staff, project):
    parking = project.statements.get(text__icontains="parking")
    session = project.sessions.get(code="AU-1")
    url = reverse("elicitation:aside", args=[project.slug])
    query = f"?session={session.pk}&state=open&page=1&evil=https://example.org"
    response = staff.post(url + query, {"statement": [parking.pk], "action": "aside"})
    table = reverse("elicitation:statements", args=[project.slug])
    assert response.status_code == 302
    assert response["Location"] == f"{table}?session={session.pk}&state=open&page=1"
    parking.refresh_from_db()
    assert parking.set_aside


def test_an_htmx_request_gets_the_message_inside_the_region(staff, project):
    parking = project.statements.get(text__icontains="parking")
    url = reverse("elicitation:aside", args=[project.slug])
    page = staff.post(
        url, {"statement": [parking.pk], "action": "aside"}, follow=True, **HX
    ).content.decode()
    assert "1 statement set aside." in region(page, "statement-region")
    # Without htmx the message shows once, at the top of the page, outside the region.
    page = staff.post(
        url, {"statement": [parking.pk], "action": "restore"}, follow=True
    ).content.decode()
    assert page.count("1 statement restored.") == 1
    assert "1 statement restored." not in region(page, "statement-region")


def test_the_suggestions_form_swaps_only_its_region(staff, project, default_framework):
    services.suggest(project, "lexical", threshold=-1.0, framework=default_framework)
    page = staff.get(reverse("elicitation:suggestions", args=[project.slug])).content.decode()
    tag = form_tag(page, "decide-form")
    action = reverse("elicitation:decide", args=[project.slug])
    assert f'hx-post="{action}"' in tag and f'action="{action}"' in tag
    assert 'hx-target="#decisions"' in tag and 'hx-select="#decisions"' in tag
    parking = project.statements.get(text__icontains="parking")
    data = {"action": "aside", "proposal": ["p"], "statement-p": [parking.pk]}
    page = staff.post(action, data, follow=True, **HX).content.decode()
    assert "1 statement set aside." in region(page, "decisions")
    assert f'id="st-{parking.pk}"' not in page


def test_a_row_deletes_its_statement_in_place_and_returns_to_the_same_listing(staff, project):
    parking = project.statements.get(text__icontains="parking")
    table = reverse("elicitation:statements", args=[project.slug])
    page = staff.get(table, {"q": "the", "page": "1"}).content.decode()
    delete = reverse("elicitation:delete_statement", args=[project.slug, parking.pk])
    button = re.search(rf'<button[^>]*formaction="{delete}[^>]*>', page)[0]
    assert f'formaction="{delete}?q=the&amp;page=1"' in button
    assert f'hx-post="{delete}?q=the&amp;page=1"' in button and "hx-confirm=" in button
    # The row's button sits in the table's form, after its bulk buttons, so Enter in the
    # form never deletes; its hx-target, hx-select and hx-swap come from the form.
    assert page.index('value="aside"') < page.index(f'formaction="{delete}')
    response = staff.post(f"{delete}?q=the&page=1")
    assert response["Location"] == f"{table}?q=the&page=1"
    assert not project.statements.filter(pk=parking.pk).exists()

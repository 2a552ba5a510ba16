"""A visitor browses the default framework, searches it and reads it in French."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_browse_search_open_and_switch_to_french(page, framework_live):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("return-to-work")
    assert_accessible(page)

    page.get_by_role("link", name="RTW coordinator competencies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("RTW coordinator competencies")
    expect(page.get_by_role("status")).to_contain_text("156 competencies shown of 156")
    assert_accessible(page)

    page.get_by_role("searchbox", name="Search").fill("confidential")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).not_to_contain_text("156 competencies shown")
    results = page.locator(".competencies a")
    assert results.count() >= 1
    for text in results.all_inner_texts():
        assert "confidential" in text.lower()
    assert_accessible(page)

    results.first.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/frameworks/rtw-coordinator/RTWC-\d+/$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("onfidential")
    assert_accessible(page)

    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(heading).to_contain_text("confidentialit")
    assert_accessible(page)


def test_skip_link_is_first_in_tab_order(page, framework_live):
    page.goto("/frameworks/rtw-coordinator/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

"""A researcher pastes statements, accepts a suggested merge, sorts items with the keyboard,
promotes them to a framework draft and finds the provenance on a competency page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.conftest import make_researcher

pytestmark = pytest.mark.browser

STATEMENTS = """P01: Keeping medical information confidential
P02: Medical information must stay confidential
P03: Handling angry workers
The parking here is a nightmare"""


@pytest.fixture
def researcher(transactional_db, django_user_model):
    return make_researcher("researcher", password="correct horse battery")


def log_in(page):
    page.goto("/accounts/login/?next=/elicitation/")
    page.get_by_label("Username").fill("researcher")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()


def test_from_pasted_statements_to_a_framework_draft_with_provenance(page, researcher, run_jobs):
    log_in(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Focus groups and affinity mapping")
    assert_accessible(page)
    page.get_by_label("Project name").fill("Pilot study")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilot study")
    assert_accessible(page)

    session = page.get_by_role("group", name="Add a session")
    session.get_by_label("Code").fill("AU-1")
    session.get_by_label("Country").fill("Australia")
    session.get_by_role("button", name="Add session").click()
    paste = page.get_by_role("region", name="Paste statements")
    paste.get_by_label("Session", exact=True).select_option(label="AU-1")
    paste.get_by_label("Statements, one per line").fill(STATEMENTS)
    paste.get_by_role("button", name="Add statements").click()
    expect(page.get_by_role("status").first).to_contain_text("4 statements added")
    assert_accessible(page)

    page.get_by_role("link", name="Suggestions").click()
    page.get_by_label("Method").select_option("lexical")
    page.get_by_label("Similarity threshold").fill("0.2")
    page.get_by_role("button", name="Suggest").click()
    # Suggesting is a background job: its page, then the worker's loop, here in the test's
    # thread while the page is told not to reload (as in test_report_job.py), then "Back".
    expect(page.get_by_role("heading", level=1)).to_have_text("Duplicate suggestions: Pilot study")
    page.get_by_role("link", name="Stop reloading").click()
    run_jobs()
    page.get_by_role("link", name="Reload and keep reloading").click()
    expect(page.locator("#job-status")).to_have_text("Done")
    page.get_by_role("link", name="Back").click()
    merge = page.get_by_role("group", name=re.compile("Suggestion: 2 statements"))
    expect(merge.get_by_role("checkbox")).to_have_count(2)
    assert_accessible(page)
    merge.get_by_label("Item statement").fill("Keeps medical information confidential")
    merge.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status").first).to_contain_text("2 statements now in item I001")

    page.get_by_role("link", name="Items").click()
    edit = page.get_by_role("group", name="Edit I001")
    edit.get_by_label("KSAB type").select_option("behaviour")
    edit.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Said 2 times in 1 session")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Card sorts").click()
    assert_accessible(page)
    page.get_by_label("Label (e.g. the sorter's name)").fill("First sort")
    page.get_by_role("button", name="Start sorting").click()
    page.get_by_label("New group").fill("Ethics and privacy")
    page.get_by_role("button", name="Add group").click()
    assert_accessible(page)

    # The keyboard way: focus the item's group menu and type the group's name.
    menu = page.get_by_role("combobox", name=re.compile("I001"))
    menu.focus()
    page.keyboard.type("Ethics")
    expect(menu).to_have_value(re.compile(r"\d+"))
    column = page.get_by_role("group", name="Ethics and privacy")
    expect(column.get_by_text("Keeps medical information confidential")).to_be_visible()
    page.get_by_role("button", name="Save the sort").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Sort saved")
    expect(
        page.get_by_role("group", name="Ethics and privacy").get_by_role("combobox")
    ).to_have_count(1)

    page.get_by_label("Framework slug").fill("pilot-framework")
    page.get_by_label("Framework name").fill("Pilot framework")
    page.get_by_role("button", name="Promote").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilot framework")
    expect(page.locator(".meta").first).to_contain_text("draft")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("I001")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Keeps medical information")
    provenance = page.get_by_role("region", name="Where this came from")
    expect(provenance).to_contain_text("Said 2 times in 1 session.")
    expect(provenance).to_contain_text("Medical information must stay confidential")
    expect(provenance).to_contain_text("P01")
    assert_accessible(page)

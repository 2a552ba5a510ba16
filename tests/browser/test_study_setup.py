"""A researcher sets a study up in the browser: sees the selection before saving, edits the
questions, and previews the instrument in English and French."""

import pytest
from playwright.sync_api import expect

from rtwcomp.surveys.models import Study, SurveyResponse
from tests.browser.conftest import assert_accessible
from tests.conftest import make_researcher

pytestmark = pytest.mark.browser


@pytest.fixture
def researcher(transactional_db):
    return make_researcher("lead", password="a-long-password-9")


def log_in(page):
    page.goto("/accounts/login/?next=/studies/new/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill("a-long-password-9")
    page.get_by_role("button", name="Log in").click()


def test_set_up_edit_questions_and_preview_in_both_languages(page, framework_live, researcher):
    log_in(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("New study")
    assert_accessible(page)
    page.get_by_label("Name (English)").fill("Setup journey")
    page.get_by_label("Name (French)").fill("Parcours de préparation")
    page.get_by_label("The N most cited items of each group").check()
    page.get_by_label("N", exact=True).fill("1")
    page.get_by_role("button", name="Show the selection").click()
    expect(page.locator("#coverage")).to_have_text("8 items from 8 of 8 groups.")
    expect(page.locator("#coverage-warning")).to_have_count(0)
    assert page.get_by_label("Name (French)").input_value() == "Parcours de préparation"
    expect(page.locator("#code-RTWC-002")).to_have_count(1)
    page.get_by_label("Find items").fill("confidential")  # htmx redraws the list as one types
    expect(page.locator("#code-RTWC-002")).to_have_count(0)
    expect(page.locator("input[name=codes]").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Create study").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Setup journey")
    study = Study.objects.get(name="Setup journey")
    assert study.items.count() == 8

    page.get_by_role("link", name="Edit the questions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questions about respondents")
    assert_accessible(page)
    new = page.get_by_role("group", name="A new question")
    new.get_by_label("Question (English)").fill("Your sector")
    new.get_by_label("Question (French)").fill("Votre secteur")
    new.get_by_label("Key").fill("sector")
    new.get_by_label("Kind of answer").select_option("choice")
    new.get_by_label("Choices").fill("public | Public | Public\nprivate | Private | Privé")
    new.get_by_label("Offer “Other, please specify” with a text box").check()
    new.get_by_label("Order").fill("0")
    page.get_by_role("button", name="Save the questions").click()
    expect(page.get_by_role("status").first).to_contain_text("The questions are saved.")
    assert study.questions.first().key == "sector"

    page.goto(f"/studies/{study.slug}/")
    page.get_by_role("link", name="Preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Setup journey")
    assert_accessible(page)
    page.get_by_role("link", name="Français").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parcours de préparation")
    first = study.items.select_related("competency").first().competency
    page.get_by_role("link", name="Page 1").click()
    expect(page.get_by_text(first.translated("statement", "fr"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="English").click()
    expect(page.get_by_text(first.statement)).to_be_visible()
    page.get_by_role("link", name="Page 2").click()
    expect(page.get_by_role("group", name="Your sector")).to_be_visible()
    expect(page.get_by_label("Please specify").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert not SurveyResponse.objects.filter(study=study).exists()

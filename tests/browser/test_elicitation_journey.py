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
    for code in ("P01", "P02", "P03"):  # a pasted "P0n:" must name a known participant
        participant = page.get_by_role("group", name="Add a participant")
        participant.get_by_label("Code").fill(code)
        participant.get_by_label("Session").select_option(label="AU-1")
        participant.get_by_role("button", name="Add participant").click()
        expect(page.get_by_role("status").first).to_contain_text("Participant added")
    paste = page.get_by_role("region", name="Paste statements")
    paste.get_by_label("Session", exact=True).select_option(label="AU-1")
    paste.get_by_label("Statements, one per line").fill(STATEMENTS)
    paste.get_by_role("button", name="Add statements").click()
    expect(page.get_by_role("status").first).to_contain_text("4 statements added")
    assert_accessible(page)

    # The table updates in place (htmx): a value set on the page outlives both actions.
    page.get_by_role("link", name="Statement table").click()
    page.evaluate("window.samePage = true")
    region = page.locator("#statement-region")
    page.get_by_label("Tick S0004").check()
    page.get_by_role("button", name="Set the ticked statements aside (off-topic)").click()
    expect(region.get_by_role("status").first).to_contain_text("1 statement set aside")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete S0004").click()
    expect(region.get_by_role("status").first).to_contain_text("Statement S0004 deleted")
    expect(page.get_by_text("The parking here is a nightmare")).to_have_count(0)
    assert page.evaluate("window.samePage === true")
    assert_accessible(page)

    page.get_by_role("link", name="Suggestions").click()
    page.get_by_label("Method").select_option("lexical")
    page.get_by_label("Similarity threshold").fill("0.2")
    page.get_by_role("button", name="Suggest", exact=True).click()
    # Suggesting is a background job: its page, then the worker's loop, here in the test's
    # thread while the page is told not to reload (as in test_report_job.py), then "Back".
    expect(page.get_by_role("heading", level=1)).to_have_text("Duplicate suggestions: Pilot study")
    page.get_by_role("link", name="Stop reloading").click()
    run_jobs()
    page.get_by_role("link", name="Reload and keep reloading").click()
    expect(page.locator("#job-status")).to_have_text("Done")
    page.get_by_role("link", name="Back").click()
    merge = page.get_by_role("group", name=re.compile("Suggestion: 2 statements"))
    expect(merge.get_by_role("checkbox")).to_have_count(3)  # the suggestion and its two
    assert_accessible(page)
    merge.get_by_label("Item statement").fill("Keeps medical information confidential")
    merge.get_by_role("button", name="Accept this one").click()
    expect(page.get_by_role("status").first).to_contain_text("2 statements accepted")

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


NOISE = [
    "The coffee was cold today",
    "Is the car park free after six",
    "My phone battery is nearly dead",
    "Who brought the biscuits",
    "The projector keeps flickering",
    "Sorry I am late, the train was delayed",
    "Can we open a window",
    "Lunch was lovely",
    "Is there wifi in this room",
    "I need to leave at four",
]


def many_statements() -> tuple[list[str], int]:
    """110 statements about 22 default-framework items (five ways each) and 10 remarks."""
    from rtwcomp.elicitation import clustering

    items = list(clustering.background_texts())[::7][:22]
    ways = ["{}", "Someone who {}", "{}, really", "For me: {}", "{} every day"]
    said = [
        way.format(item[0].lower() + item[1:] if way[0] != "{" else item)
        for item in items
        for way in ways
    ]
    mixed = [line for pair in zip(said[::2], said[1::2], strict=False) for line in pair]
    return mixed + said[len(mixed) :] + NOISE, len(items)


class Clicks:
    """Counts what the researcher does: every click, selection and typed-in field."""

    def __init__(self) -> None:
        self.count = 0

    def click(self, locator) -> None:
        self.count += 1
        locator.click()

    def fill(self, locator, value: str) -> None:
        self.count += 1
        locator.fill(value)

    def select(self, locator, **option) -> None:
        self.count += 1
        locator.select_option(**option)


def test_120_statements_sorted_with_bulk_actions_in_fewer_than_40_clicks(
    page, researcher, run_jobs
):
    from rtwcomp.elicitation.models import Item, Statement
    from rtwcomp.frameworks.services import load_default

    framework, _ = load_default()
    lines, item_count = many_statements()
    assert len(lines) == 120
    log_in(page)
    me = Clicks()
    me.fill(page.get_by_label("Project name"), "Big pilot")
    me.click(page.get_by_role("button", name="Create project"))
    session = page.get_by_role("group", name="Add a session")
    me.fill(session.get_by_label("Code"), "AU-1")
    me.click(session.get_by_role("button", name="Add session"))
    paste = page.get_by_role("region", name="Paste statements")
    me.select(paste.get_by_label("Session", exact=True), label="AU-1")
    me.fill(paste.get_by_label("Statements, one per line"), "\n".join(lines))
    me.click(paste.get_by_role("button", name="Add statements"))
    expect(page.get_by_role("status").first).to_contain_text("120 statements added")

    me.click(page.get_by_role("link", name="Suggestions"))
    me.select(page.get_by_label("Method"), value="lexical")
    me.select(page.get_by_label("Map onto a framework's items"), value=str(framework.pk))
    me.click(page.get_by_role("button", name="Suggest", exact=True))
    me.click(page.get_by_role("link", name="Stop reloading"))
    run_jobs()
    me.click(page.get_by_role("link", name="Reload and keep reloading"))
    expect(page.locator("#job-status")).to_have_text("Done")
    me.click(page.get_by_role("link", name="Back"))
    # The bulk decisions swap the suggestions in place (htmx): a value set on this page
    # survives them, which a full page load would wipe out.
    page.evaluate("window.samePage = true")
    me.click(page.get_by_role("button", name="Accept the ticked suggestions"))
    expect(page.get_by_role("status").first).to_contain_text("110 statements accepted")
    assert Item.objects.count() == item_count
    for remark in NOISE:  # each on its own, left unticked: tick and set aside together
        me.click(
            page.get_by_role("group", name=re.compile("on its own"))
            .filter(has_text=remark)
            .get_by_role("checkbox")
            .first
        )
    me.click(page.get_by_role("button", name="Set the ticked statements aside"))
    expect(page.get_by_role("status").first).to_contain_text("10 statements set aside")
    assert Statement.objects.filter(set_aside=True).count() == 10
    assert not Statement.objects.filter(item__isnull=True, set_aside=False).exists()
    assert page.evaluate("window.samePage === true")
    assert_accessible(page)

    me.click(page.get_by_role("link", name="Items", exact=True))
    me.select(page.get_by_label("KSAB type for the ticked items"), value="skill")
    me.click(page.get_by_role("button", name="Set the type of every item without one"))
    expect(page.get_by_role("status").first).to_contain_text(f"{item_count} items typed")
    assert_accessible(page)

    me.click(page.get_by_role("link", name="Card sorts"))
    me.select(page.get_by_label("Start from"), value=str(framework.pk))
    me.click(page.get_by_role("button", name="Start sorting"))  # matched items start placed
    me.fill(page.get_by_label("Framework slug"), "big-pilot")
    me.fill(page.get_by_label("Framework name"), "Big pilot framework")
    me.click(page.get_by_role("button", name="Promote"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Big pilot framework")
    from rtwcomp.frameworks.models import Framework

    draft = Framework.objects.get(slug="big-pilot")
    assert draft.competencies.count() == item_count
    assert me.count < 40, me.count

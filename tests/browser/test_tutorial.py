"""docs/tutorial.md walked in the browser: the demo (`rtwcomp demo --seed 1 --json`, built
once for the module) seen by a newcomer logged in as the administrator, page by page (the
study, then the organisation's assessments, plans, mentors and vacancy), each page checking
the numbers the tutorial quotes against the ones the command reported; then `rtwcomp demo
--remove` and the pages are gone.

With RTWCOMP_SCREENSHOTS=DIR each step saves DIR/NN-name.png (1280x800): `make
screenshots` writes the tutorial's pictures into docs/tutorial/.

The live server's test database is flushed after each test that uses it, so the whole walk
is one test: a second test would find the demo gone.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from rtwcomp.commands import demo
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser
ADMIN, PASSWORD = "admin", "tutorial-password-1"
VIEWPORT = {"width": 1280, "height": 800}
PROJECT, STUDY, ORGANISATION = "demo-rtw-coordinators-1", "demo-rtw-survey-1", "demo-northside-1"


# What docs/tutorial.md quotes for seed 1: the `--json` funnel and a few page details.
FUNNEL = {
    "focus_groups": 8,
    "participants": 75,
    "statements": 894,
    "unique_items": 131,
    "surveyed_items": 100,
    "respondents": 148,
    "countries": 3,
    "key_items": 82,
}
STAGE6 = {
    "rounds": 2,
    "plans_in_progress": 6,
    "goals": 87,
    "goals_reached": 10,
    "activities": 16,
    "mentorships": 6,
    "meetings": 6,
    "candidates": 2,
    "score_sheets": 4,
}
QUOTED = {
    "FG1": 135,
    "I001": "Said 3 times in 2 sessions · matches RTWC-049",
    "first gap": ("RTWC-091", "1.0"),
    "observed": 15,  # Ana: 12 competencies in the baseline, 3 more in the reassessment
    "Ana's goals": 5,
    "first goal": "1. RTWC-040",
    "route": "Suggested route: on-the-job assignment, from how 148 respondents",
    "progress": ("Individual personal attributes", "1.7", "2.1"),
    "Ana's mentor": "Hamish Brown",
    "weighted totals": ("3.2", "1.8"),
}
DOC_OUT_OF_DATE = "the demo changed: update the numbers docs/tutorial.md quotes (and here)"


def demo_command(**options) -> str:
    """`rtwcomp demo` as the command line runs it; returns what it printed."""
    args = argparse.Namespace(**{"seed": 1, "json": False, "remove": False, **options})
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert demo.run.__wrapped__(args) == 0
    return printed.getvalue()


@pytest.fixture(scope="module")
def reported(django_db_setup, django_db_blocker):
    """The demo loaded once, and the funnel and findings its `--json` line reported."""
    from django.contrib.auth.models import User

    with django_db_blocker.unblock():
        printed = demo_command(json=True)
        User.objects.create_superuser(ADMIN, password=PASSWORD)
    return json.loads(printed.strip().splitlines()[-1])


class Walk:
    """The newcomer's browser tab: every page checked with axe-core, and photographed when
    RTWCOMP_SCREENSHOTS names a directory."""

    def __init__(self, page) -> None:
        self.page = page
        folder = os.environ.get("RTWCOMP_SCREENSHOTS", "")
        self.folder = Path(folder) if folder else None
        self.step = 0

    def goto(self, url: str):
        response = self.page.goto(url)
        assert response.status == 200, url
        return self.page

    def check(self) -> None:
        assert_accessible(self.page)

    def done(self, name: str) -> None:
        """The page as the tutorial shows it: accessible, and saved as the next picture."""
        self.check()
        self.step += 1
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=self.folder / f"{self.step:02d}-{name}.png")


@pytest.fixture
def walk(browser, live_server, reported, tmp_path, monkeypatch):
    monkeypatch.setenv("RTWCOMP_DATA_DIR", str(tmp_path / "data"))  # the report job's file
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport=VIEWPORT, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Walk(page)
    context.close()


def log_in(walk: Walk) -> None:
    page = walk.goto("/accounts/login/")
    page.get_by_label("Username").fill(ADMIN)
    page.get_by_label("Password").fill(PASSWORD)
    walk.done("log-in")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def home_and_framework(walk: Walk) -> None:
    page = walk.goto("/")
    expect(page.locator("main")).to_contain_text("156 competencies in 8 groups")
    walk.done("home")
    page.get_by_role("link", name="RTW coordinator competencies").first.click()
    expect(page.get_by_text("156 competencies shown of 156")).to_be_visible()
    page.get_by_role("searchbox", name="Search").fill("confidential")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("4 competencies shown of 156")).to_be_visible()
    walk.done("framework")


def focus_groups(walk: Walk, funnel: dict) -> None:
    page = walk.goto("/elicitation/")
    walk.check()
    page.get_by_role("link", name=PROJECT).click()
    main = page.locator("main")
    expect(main).to_contain_text(
        f"{funnel['statements']} statements: 0 not yet in an item, 0 set aside as off-topic; "
        f"{funnel['unique_items']} unique items."
    )
    sessions = page.get_by_role("table", name="Focus-group sessions").locator("tbody tr")
    expect(sessions).to_have_count(funnel["focus_groups"])
    counts = [int(row.locator("td").last.inner_text()) for row in sessions.all()]
    assert sum(counts) == funnel["statements"]
    assert counts[0] == QUOTED["FG1"], DOC_OUT_OF_DATE
    participants = page.get_by_role("table", name="Anonymous participants").locator("tbody tr")
    expect(participants).to_have_count(funnel["participants"])
    walk.done("focus-groups")

    page.get_by_role("link", name="Statement table").click()
    page.get_by_label("Session").select_option("FG1")
    page.get_by_role("button", name="Filter").click()
    expect(main).to_contain_text(f"{counts[0]} statements shown")
    walk.done("statements")

    page.get_by_role("link", name="Suggestions").first.click()
    expect(main).to_contain_text("Every statement is in an item or set aside.")
    walk.done("suggestions")

    page.get_by_role("link", name="Items", exact=True).click()
    expect(main).to_contain_text(f"{funnel['unique_items']} unique items")
    expect(
        main.get_by_text(re.compile(r"^Said \d+ times? in \d sessions? · matches RTWC-"))
    ).to_have_count(funnel["unique_items"])
    expect(main.get_by_text(QUOTED["I001"], exact=True)).to_be_visible()
    walk.done("items")

    page.get_by_role("link", name="Card sorts").click()
    expect(main).to_contain_text(f"{funnel['unique_items']} items placed")
    walk.done("card-sorts")


def study_and_results(walk: Walk, funnel: dict) -> None:
    page = walk.goto("/studies/")
    walk.check()
    page.get_by_role("link", name="Demo: RTW coordinator competencies (seed 1)").click()
    main = page.locator("main")
    expect(main).to_contain_text("Completed responses")
    expect(
        main.locator("dd").filter(has_text=re.compile(rf"^{funnel['respondents']}$"))
    ).to_have_count(1)
    walk.done("study")

    page.get_by_role("link", name="Results").click()
    expect(main).to_contain_text(
        f"{funnel['respondents']} completed responses; {funnel['key_items']} of "
        f"{funnel['surveyed_items']} items are key items"
    )
    rows = page.get_by_role("table").first.locator("tbody tr")
    expect(rows).to_have_count(funnel["surveyed_items"])
    walk.done("results")
    page.get_by_label("Key items only").check()
    page.get_by_role("button", name="Apply").click()
    expect(rows).to_have_count(funnel["key_items"])
    expect(rows.locator("td:last-child")).to_contain_text(["key"] * funnel["key_items"])
    walk.check()


def report(walk: Walk, funnel: dict, tmp_path: Path) -> None:
    from rtwcomp.jobs import worker

    page = walk.goto(f"/studies/{STUDY}/results/")
    page.get_by_role("button", name="HTML").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Report (HTML)")
    worker.run(batch=True, interval=0)  # what the worker beside `rtwcomp serve` does
    link = page.get_by_role("link", name=f"Download {STUDY}-report.html")
    expect(link).to_be_visible()
    walk.done("report")
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / "report.html"
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert "Demo: RTW coordinator competencies (seed 1)" in text
    respondents, items = funnel["respondents"], funnel["surveyed_items"]
    assert f"{respondents} respondents rated the importance of {items} items" in text
    assert f"{funnel['key_items']} of {items} items are key items" in text


def assessments(walk: Walk, funnel: dict) -> list[str]:
    """The coordinator's and the team's pages; returns their addresses."""
    page = walk.goto("/assess/")
    main = page.locator("main")
    expect(main.get_by_role("link", name="Ana Lopez")).to_be_visible()
    walk.done("assessments")

    page.get_by_role("link", name="Ana Lopez").click()
    person_url = page.url
    page.get_by_label("Compare with the role profile").select_option(
        label="RTW coordinator (demo study)"
    )
    page.get_by_role("button", name="Show").click()
    side_by_side = page.get_by_role("table").first
    for source in ("self", "direct observation", "assessed", "required"):
        expect(side_by_side.get_by_role("columnheader", name=source, exact=True)).to_be_visible()
    expect(side_by_side.locator("tbody tr")).to_have_count(funnel["key_items"])
    observed = side_by_side.locator("tbody tr").filter(has_text="(observed)")
    expect(observed).to_have_count(QUOTED["observed"])
    gaps = page.locator('table[aria-describedby="gaps"]')
    expect(gaps.locator("tbody tr")).to_have_count(funnel["key_items"])
    first_gap = gaps.locator("tbody tr").first
    code, size = QUOTED["first gap"]
    expect(first_gap.locator("th")).to_contain_text(code)
    expect(first_gap.locator("td").nth(2)).to_have_text(size)
    walk.done("person")
    page.locator("#gaps").evaluate("heading => heading.scrollIntoView()")
    walk.done("gaps")

    page = walk.goto("/assess/")
    page.get_by_role("link", name="North", exact=True).click()
    heat = page.get_by_role("table").first
    expect(heat.locator("tbody tr")).to_have_count(4)  # Ana, Ben, Emma and Grace
    expect(heat.locator("thead th")).to_have_count(9)  # the person and the 8 groups
    expect(heat.locator("tbody tr").filter(has_text="Grace Liu")).to_contain_text("4.0")
    walk.done("team")
    return [person_url, page.url]


def development(walk: Walk, stage6: dict) -> list[str]:
    """The plans, Ana's plan agreed with her mentor, and her progress over the two rounds;
    returns their addresses."""
    page = walk.goto("/develop/")
    plans = page.get_by_role("table").first.locator("tbody tr")
    expect(plans.filter(has_text="in progress")).to_have_count(stage6["plans_in_progress"])
    walk.check()
    page.get_by_role("link", name="Ana Lopez", exact=True).click()
    plan_url = page.url
    main = page.locator("main")
    expect(main).to_contain_text("Agreed as coordinator by demo-ana")
    mentor = QUOTED["Ana's mentor"].split()[0].lower()
    expect(main).to_contain_text(f"Agreed as mentor or supervisor by demo-{mentor}")
    goals = main.locator("article.goal")
    expect(goals).to_have_count(QUOTED["Ana's goals"])
    expect(goals.first.get_by_role("heading", level=3)).to_contain_text(QUOTED["first goal"])
    expect(goals.first).to_contain_text("reached")
    expect(goals.first).to_contain_text(QUOTED["route"])
    walk.done("plan")

    page.get_by_role("link", name="progress over rounds").click()
    group, before, after = QUOTED["progress"]
    table = page.get_by_role("table", name=re.compile("^The same numbers as a table"))
    expect(table.locator("thead th")).to_have_count(1 + stage6["rounds"])
    expect(table.locator("tbody tr").filter(has_text=group).locator("td")).to_have_text(
        [before, after]
    )
    walk.done("progress")
    return [plan_url, page.url]


def mentoring(walk: Walk, stage6: dict) -> str:
    """The matching page with the pairs it made, and Ana's pair with its first meeting;
    returns the pair's address."""
    page = walk.goto("/mentoring/")
    page.get_by_role("link", name="Demo: Northside return-to-work services (seed 1)").click()
    main = page.locator("main")
    pairs = main.locator("table").filter(has_text="Since").locator("tbody tr")
    expect(pairs).to_have_count(stage6["mentorships"])
    expect(pairs.filter(has_text="matching")).to_have_count(stage6["mentorships"])
    expect(pairs.filter(has_text="Ana Lopez")).to_contain_text(QUOTED["Ana's mentor"])
    main.get_by_role("heading", name="Current pairs").evaluate("h => h.scrollIntoView()")
    walk.done("mentoring")

    pairs.filter(has_text="Ana Lopez").get_by_role("link", name="Ana Lopez").click()
    expect(main).to_contain_text("Why this pair: covers")
    expect(main).to_contain_text(f"Plan goals: {QUOTED['first goal'].split()[1]}")
    expect(main).to_contain_text("Observations started from this meeting")
    walk.done("pair")
    return page.url


def selection(walk: Walk) -> str:
    """The vacancy's candidates compared; returns the comparison's address."""
    page = walk.goto("/selection/")
    page.get_by_role("link", name="RTW coordinator, team South").click()
    page.get_by_role("link", name="Compare the candidates").click()
    totals = page.get_by_role("table").first.locator("tfoot td")
    expect(totals).to_have_text(["", *QUOTED["weighted totals"]])
    walk.done("compare")
    return page.url


def removed(walk: Walk, visited: list[str]) -> None:
    printed = demo_command(remove=True)
    assert printed.strip() == "removed 3 demo object(s)"
    page = walk.page
    for url in (
        f"/elicitation/{PROJECT}/",
        f"/studies/{STUDY}/",
        f"/studies/{STUDY}/results/",
        f"/assess/orgs/{ORGANISATION}/",
        *visited,
    ):
        assert page.goto(url).status == 404, url
    walk.check()
    walk.goto("/elicitation/")
    walk.check()
    expect(page.get_by_role("link", name=PROJECT)).to_have_count(0)
    walk.goto("/assess/")
    expect(page.get_by_role("link", name="Ana Lopez")).to_have_count(0)
    walk.check()
    walk.goto("/frameworks/")
    expect(page.get_by_role("link", name="RTW coordinator competencies")).to_be_visible()


def test_a_newcomer_walks_the_tutorial(walk, reported, tmp_path):
    funnel = reported["funnel"]
    assert funnel == FUNNEL, DOC_OUT_OF_DATE
    assert reported["stage6"] == STAGE6, DOC_OUT_OF_DATE
    log_in(walk)
    home_and_framework(walk)
    focus_groups(walk, funnel)
    study_and_results(walk, funnel)
    report(walk, funnel, tmp_path)
    visited = assessments(walk, funnel)
    visited += development(walk, reported["stage6"])
    visited.append(mentoring(walk, reported["stage6"]))
    visited.append(selection(walk))
    removed(walk, visited)

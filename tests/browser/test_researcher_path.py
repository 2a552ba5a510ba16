"""The researcher's whole path on the web: a sorted focus-group project promoted to a
framework draft, published, a study set up on the published version with its items shown,
previewed in English and French, tried with a test response, opened, answered once by a
respondent, and its reports made by a background job and downloaded."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rtwcomp.jobs.models import Job
from rtwcomp.surveys.models import Study, SurveyResponse
from tests.browser.conftest import assert_accessible
from tests.conftest import make_researcher

pytestmark = pytest.mark.browser

PASSWORD = "a-long-password-9"

# Four items: cited 3, 2, 2 and 1 times; sorted into two groups of two.
SAID = {
    "Keeps medical information confidential": [
        "Medical information must stay confidential",
        "Keep the diagnosis private",
        "Never share health details",
    ],
    "Calms angry workers": ["Handling angry workers", "Defusing conflict with workers"],
    "Knows the compensation law": ["Knowing the compensation act", "Knows workers comp law"],
    "Plans graded duties": ["Planning graded duties with the supervisor"],
}
GROUPS = {"Ethics and privacy": (0, 1), "Law and planning": (2, 3)}


def sorted_project(owner):
    """A focus-group project with its statements accepted as four items, typed, and sorted
    into two groups: the state a researcher reaches before promoting."""
    from rtwcomp.elicitation import services

    project = services.create_project("Pilot focus groups", owner=owner)
    session = services.add_session(project, "AU-1")
    items = []
    for wording, lines in SAID.items():
        statements = services.paste_statements(project, session, "\n".join(lines))
        items.append(services.accept(project, statements, text=wording))
    services.set_types(project, items, "skill")
    sort = services.start_sort(project, owner, "First sort")
    for name, members in GROUPS.items():
        group = services.add_group(sort, name)
        services.place(sort, {items[i].pk: group.pk for i in members})
    return project, sort


def log_in(page, username: str = "lead") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log in")).to_have_count(0)


def fact(page, term: str):
    """The <dd> that follows the <dt> named `term` on a page of facts."""
    return page.locator(f"dt:text-is('{term}') + dd").first


def promote_and_publish(page, project, sort) -> None:
    """Promote the sort through its page, then publish the draft through its confirmation."""
    page.goto(f"/elicitation/{project.slug}/sorts/{sort.pk}/")
    assert_accessible(page)
    page.get_by_label("Framework slug").fill("pilot-framework")
    page.get_by_label("Framework name").fill("Pilot framework")
    page.get_by_role("button", name="Promote").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilot framework")
    expect(page.locator(".meta").first).to_contain_text("Version 1, draft")
    expect(page.get_by_role("status").last).to_contain_text("4 competencies shown of 4")

    page.get_by_role("link", name="Publish version 1…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish Pilot framework, version 1")
    for term, value in (("Version", "1"), ("Groups", "2"), ("Competencies", "4")):
        expect(fact(page, term)).to_have_text(value)
    assert_accessible(page)
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilot framework")
    expect(page.get_by_text("Version 1 is published.")).to_be_visible()
    expect(page.locator(".meta").first).to_contain_text("Version 1, published")
    expect(page.get_by_role("link", name="Publish version 1…")).to_have_count(0)
    assert_accessible(page)


def set_up_study(page) -> Study:
    """A study on the published version: the three most cited items, seen before saving."""
    page.goto("/studies/new/")
    page.get_by_label("Framework version").select_option(label="Pilot framework v1")
    page.get_by_label("The N most cited items", exact=True).check()
    page.get_by_label("N", exact=True).fill("3")
    page.get_by_label("Name (English)").fill("Pilot survey")
    page.get_by_label("Name (French)").fill("Enquête pilote")
    page.get_by_role("button", name="Show the selection").click()
    expect(page.locator("#coverage")).to_have_text("3 items from 2 of 2 groups.")
    expect(page.locator("#coverage-warning")).to_have_count(0)
    chosen = page.locator("#chosen-items tbody tr")
    expect(chosen).to_have_count(3)
    page.get_by_text("The chosen items").click()  # open the <details>
    expect(chosen.first).to_contain_text("Keeps medical information confidential")
    expect(chosen.first.locator("td").last).to_have_text("3")  # its focus-group citations
    expect(page.locator("#chosen-items")).not_to_contain_text("Plans graded duties")
    assert page.get_by_label("Name (French)").input_value() == "Enquête pilote"
    assert_accessible(page)

    page.get_by_role("button", name="Create study").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilot survey")
    expect(fact(page, "Status")).to_have_text("draft")
    expect(fact(page, "Framework")).to_have_text("Pilot framework, version 1")
    expect(fact(page, "Items")).to_contain_text("3 · from 2 of 2 groups")
    assert_accessible(page)
    study = Study.objects.get(name="Pilot survey")
    assert study.framework.is_published
    return study


def preview_in_both_languages(page, study: Study) -> None:
    page.get_by_role("link", name="Preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilot survey")
    expect(page.get_by_text("You will rate the importance of 3 competencies")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Français").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enquête pilote")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("button", name="Commencer", exact=True)).to_be_visible()
    page.get_by_role("link", name="Page 1").click()
    expect(page.get_by_text("Keeps medical information confidential")).to_be_visible()
    expect(page.get_by_role("button", name="Suivant", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("button", name="Next", exact=True)).to_be_visible()
    page.get_by_role("link", name="Back to the study").click()
    assert not SurveyResponse.objects.filter(study=study).exists()  # the preview stores nothing


def answer_to_the_end(page, study: Study, rating: str) -> None:
    """From the introduction: rate every item, go on to the questions, submit."""
    page.get_by_role("button", name="Start", exact=True).or_(
        page.get_by_role("link", name="Start", exact=True)
    ).click()
    expect(page.get_by_text("Page 1 of")).to_be_visible()
    for item in study.items.all():
        page.locator(f"input[name='item-{item.pk}'][value='{rating}']").check()
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")


def run_a_test_response(page, study: Study) -> None:
    page.get_by_role("button", name="Start a test response").click()
    expect(page.get_by_text("Test response: it is kept out of the results")).to_be_visible()
    answer_to_the_end(page, study, "4")
    expect(page.get_by_text("This was a test response")).to_be_visible()
    page.get_by_role("link", name="Back to the study").click()
    expect(page.locator("#test-count")).to_have_text("1 test response")
    expect(page.get_by_text("Test responses are kept out of the results")).to_be_visible()
    expect(fact(page, "Completed responses")).to_have_text("0")
    expect(page.get_by_role("button", name="Report (PDF)")).to_have_count(0)  # nothing to report
    response = SurveyResponse.objects.get(study=study)
    assert response.is_test and response.completed


def respond_once(browser, live_server, study: Study) -> None:
    """A respondent, in a browser of their own, answers the open study."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"/s/{study.slug}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Pilot survey")
        assert page.locator("nav[aria-label=Main]").count() == 0  # no researcher navigation
        answer_to_the_end(page, study, "5")
        expect(page.get_by_text("Your answers have been recorded")).to_be_visible()
        assert_accessible(page)
    finally:
        context.close()


def report(page, run_jobs, button: str, heading: str, filename: str, tmp_path) -> bytes:
    """Ask for a report, follow its job page until done, download the file."""
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("#job-status")).to_have_text("Waiting for a worker")
    expect(page.locator("#job-progress")).to_have_attribute("value", "0")
    assert_accessible(page)
    page.get_by_role("link", name="Stop reloading").click()
    run_jobs()
    page.get_by_role("link", name="Reload and keep reloading").click()
    expect(page.locator("#job-status")).to_have_text("Done")
    expect(page.locator("#job-progress")).to_have_attribute("value", "100")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download {filename}").click()
    path = tmp_path / filename
    download.value.save_as(path)
    return path.read_bytes()


def test_from_a_promoted_draft_to_a_downloaded_report(
    page, browser, live_server, transactional_db, run_jobs, tmp_path
):
    owner = make_researcher("lead", password=PASSWORD)
    project, sort = sorted_project(owner)
    log_in(page)

    # 1. Promote the sort to a framework draft, publish it through its confirmation page.
    promote_and_publish(page, project, sort)

    # 2. A study on the published version, with the chosen items visible before saving.
    study = set_up_study(page)

    # 3. The instrument in English and in French; the preview stores nothing.
    preview_in_both_languages(page, study)

    # 4. A test response to the end: counted apart, never as completed.
    run_a_test_response(page, study)

    # 5. Open the study; one respondent answers it in a browser of their own.
    page.get_by_role("button", name="Open the study").click()
    expect(fact(page, "Status")).to_have_text("open")
    respond_once(browser, live_server, study)
    page.reload()
    expect(fact(page, "Completed responses")).to_have_text("1")
    expect(page.locator("#test-count")).to_have_text("1 test response")

    # 6. The reports, each made by a background job and downloaded from its page.
    pdf = report(
        page,
        run_jobs,
        "Report (PDF)",
        "Report (PDF): Pilot survey",
        f"{study.slug}-report.pdf",
        tmp_path,
    )
    assert pdf.startswith(b"%PDF-")
    page.goto(f"/studies/{study.slug}/")
    html = report(
        page,
        run_jobs,
        "Report (HTML)",
        "Report (HTML): Pilot survey",
        f"{study.slug}-report.html",
        tmp_path,
    ).decode()
    assert "n = 1" in html  # the test response is not counted ...
    assert re.search(r"Left out of every statistic: [^<]*1 test response", html)  # ... but named
    assert "Pilot framework, version 1" in html  # the report names the version
    assert "Left out: the sample is too small" in html  # no alpha from one respondent
    assert "Cronbach&#39;s alpha (group &#39;Ethics and privacy&#39;) is not given" in html
    assert Job.objects.filter(status=Job.Status.DONE).count() == 2

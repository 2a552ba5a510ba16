"""A researcher downloads a study's PDF report through its background job's page.

The live server runs in this process on the test database (SQLite in memory, shared with
the server thread), so no separate worker process can reach it. The worker's own code
(`rtwcomp.jobs.worker.run`, the loop `rtwcomp worker` runs) runs here, in the test thread.
With JavaScript the page's status fragment is polled (htmx) and replaced in place; without
it the page reloads itself, and is told to stop while the worker runs. A real worker process
is proved in `tests/jobs/test_worker_process.py`.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from rtwcomp.jobs import worker
from rtwcomp.jobs.models import Job
from rtwcomp.surveys import studies
from tests.browser.conftest import assert_accessible
from tests.conftest import make_researcher
from tests.surveys import simulate

pytestmark = pytest.mark.browser


@pytest.fixture
def study(framework_live, tmp_path, monkeypatch):
    monkeypatch.setenv("RTWCOMP_DATA_DIR", str(tmp_path / "data"))
    owner = make_researcher("lead", password="a-long-password-9")
    study = studies.create_study(
        name="Report study", framework=framework_live, items="12", owner=owner
    )
    studies.open_study(study)
    simulate.simulate(study, 30, seed=2)
    return study


def log_in(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill("a-long-password-9")
    page.get_by_role("button", name="Log in").click()


def test_the_pdf_report_comes_through_its_job_page(page, study, tmp_path):
    said: list[str] = []
    page.on("console", lambda message: said.append(message.text))
    log_in(page)
    page.goto(f"/studies/{study.slug}/results/")
    assert_accessible(page)
    page.get_by_role("button", name="PDF").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Report (PDF): Report study")
    job = Job.objects.get()
    assert job.status == Job.Status.QUEUED  # the request only queued it
    expect(page.locator("#job-status")).to_have_text("Waiting for a worker")
    expect(page.locator("#job-progress")).to_have_attribute("value", "0")
    assert_accessible(page)
    # htmx updates the status in place: a value set on this page survives the updates.
    page.evaluate("window.sameDocument = 'yes'")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, progress=40, message="Half")
    expect(page.locator("#job-progress")).to_have_attribute("value", "40")
    expect(page.locator("#job-live")).to_contain_text("Half")

    worker.run(batch=True, interval=0)
    expect(page.locator("#job-status")).to_have_text("Done")
    expect(page.locator("#job-progress")).to_have_attribute("value", "100")
    link = page.get_by_role("link", name=f"Download {study.slug}-report.pdf")
    expect(link).to_be_visible()
    assert page.evaluate("window.sameDocument") == "yes"
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert page.evaluate("typeof htmx") == "object"  # loaded from the static files
    assert not [text for text in said if "Content Security Policy" in text]
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    assert download.value.suggested_filename == f"{study.slug}-report.pdf"


def test_without_javascript_the_job_page_reloads_itself(browser, live_server, study):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page)
        page.goto(f"/studies/{study.slug}/results/")
        page.get_by_role("button", name="PDF").click()
        expect(page.locator("#job-status")).to_have_text("Waiting for a worker")
        with page.expect_navigation(timeout=8_000):  # the <noscript> refresh
            pass
        page.get_by_role("link", name="Stop reloading").click()
        expect(page.get_by_role("link", name="Reload and keep reloading")).to_be_visible()
        worker.run(batch=True, interval=0)
        page.get_by_role("link", name="Reload and keep reloading").click()
        expect(page.locator("#job-status")).to_have_text("Done")
        expect(page.locator("#job-progress")).to_have_attribute("value", "100")
    finally:
        context.close()

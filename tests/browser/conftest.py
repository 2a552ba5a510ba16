"""Playwright driving Debian's Chromium against the live test server, with axe-core checks."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import require

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
# thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Every page a browser test loads (and every htmx swap) is checked for references to ids
# that do not exist: aria-describedby, aria-labelledby, aria-controls and <label for>. The
# page reports them through a binding; the test fails at teardown with the list.
REFERENCES_SCRIPT = """
(() => {
  const check = () => {
    const bad = [];
    const exists = (id) => document.getElementById(id) !== null;
    for (const attr of ["aria-describedby", "aria-labelledby", "aria-controls"]) {
      for (const el of document.querySelectorAll(`[${attr}]`)) {
        for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
          if (!exists(id)) bad.push(`${attr}="${id}" on <${el.tagName.toLowerCase()}>`);
        }
      }
    }
    for (const label of document.querySelectorAll("label[for]")) {
      if (!exists(label.htmlFor)) bad.push(`for="${label.htmlFor}" on <label>`);
    }
    if (bad.length && window.rtwcompDanglingReferences) {
      window.rtwcompDanglingReferences(location.pathname, bad);
    }
  };
  window.addEventListener("load", check);
  document.addEventListener("htmx:afterSettle", check);
})();
"""
DANGLING: list[str] = []


class CheckedBrowser:
    """The browser, whose every new context checks the pages it loads (see above)."""

    def __init__(self, chromium) -> None:
        self._chromium = chromium

    def __getattr__(self, name):
        return getattr(self._chromium, name)

    def new_context(self, **options):
        context = self._chromium.new_context(**options)
        context.expose_function(
            "rtwcompDanglingReferences",
            lambda path, bad: DANGLING.extend(f"{path}: {b}" for b in bad),
        )
        context.add_init_script(REFERENCES_SCRIPT)
        return context


@pytest.fixture(autouse=True)
def no_dangling_references():
    """Fail the test when a page it loaded referred to an id that does not exist."""
    DANGLING.clear()
    yield
    found, DANGLING[:] = list(DANGLING), []
    assert not found, "references to missing ids:\n" + "\n".join(sorted(set(found)))


@pytest.fixture(scope="session")
def browser():
    require(os.path.exists(CHROMIUM), "Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield CheckedBrowser(chromium)
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def framework_live(transactional_db):
    from rtwcomp.frameworks.services import load_default

    return load_default()[0]


def assert_accessible(page) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{page.url}:\n" + "\n".join(bad)

"""Browser tests: Playwright drives Debian's Chromium (Playwright cannot download its own here).

On CI (CI=true) a missing Chromium is an error: browser tests must run. On a laptop without
Chromium they are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import Locator

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 740}
SCHOOL_SCREEN = {"width": 1366, "height": 768}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            raise pytest.UsageError(f"Chromium not found at {CHROMIUM}: browser tests must run on CI.")
        skip = pytest.mark.skip(reason=f"Chromium not installed ({CHROMIUM}); `apt-get install chromium` to run")
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris", "viewport": SCHOOL_SCREEN}


@pytest.fixture
def login(live_server):
    """login(page, email) fills the real login form (password of the factories: pixcertif)."""

    def _login(page, email: str, password: str = "pixcertif", next_url: str = "") -> None:
        url = f"{live_server.url}/connexion" + (f"?next={next_url}" if next_url else "")
        page.goto(url)
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Je me connecte").click()
        page.wait_for_load_state()

    return _login


@pytest.fixture
def assert_accessible():
    """Run axe (offline, bundled with axe-playwright-python) and fail on any WCAG 2.1 A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def _check(page) -> None:
        results = axe.run(
            page,
            options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}},
        )
        violations = results.response["violations"]
        assert not violations, results.generate_report()

    return _check


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, set up after the test database so that it stops (and its
    request threads drop their connections) before the database is dropped at the end of the run:
    otherwise a worker whose first database test was a browser test could fail at teardown with
    'database … is being accessed by other users'."""
    return live_server


# What a person does with a control: each waits, first, for its page's load event.
_ACTIONS = (
    "check",
    "uncheck",
    "set_checked",
    "click",
    "dblclick",
    "tap",
    "fill",
    "clear",
    "press",
    "press_sequentially",
    "select_option",
    "set_input_files",
)


@pytest.fixture(autouse=True)
def act_on_loaded_pages(request, monkeypatch):
    """Every action on a control first waits for its page's load event, so that the page's deferred
    scripts have run. Playwright's clicks wait for a navigation to commit, not to load: the next
    action could otherwise reach a control before its script listens (under load, a dialog's button
    posting the no-JavaScript form, a box ticked before htmx). A test of what a person does before
    the scripts have run says so with @pytest.mark.before_load."""
    if "e2e" not in request.keywords or request.node.get_closest_marker("before_load"):
        return
    for name in _ACTIONS:
        original = getattr(Locator, name)

        def action(self, *args, _original=original, **kwargs):
            self.page.wait_for_load_state("load")
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Locator, name, action)

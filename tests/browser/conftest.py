"""Browser tests: Debian's Chromium driven by Playwright's sync API.

Playwright's own browser download is not used: the fixture launches the system Chromium
(`chromium` on PATH). If it is missing the tests FAIL, they never skip: a green run must
mean the pages were really exercised in a browser.

The tests are plain sync tests. Playwright's sync API keeps its own event loop marked as
running in the test thread for as long as Playwright is started (it switches between
greenlets), so while it runs:

- `asyncio.run()`, which `LiveServer.run` and `add_facilitator` use to reach the database,
  cannot be called from the test thread: `off_loop()` runs such calls in a worker thread,
  and the `facilitator` fixture is overridden here to use it;
- pytest-asyncio cannot run async tests in that thread either. So Playwright and the
  browser live for this package (`scope="package"`), not for the whole session: one
  Chromium serves every browser test, and both are stopped before the rest of the suite
  runs.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    ViewportSize,
    expect,
    sync_playwright,
)

from tests.support import PASSWORD, Facilitator, LiveServer

HERE = Path(__file__).parent

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1440, "height": 900}

# Bounded waits: generous for a loaded CI machine, short enough to fail fast.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)

T = TypeVar("T")


def off_loop(function: Callable[..., T], *args: Any) -> T:
    """Call `function` in a worker thread, away from Playwright's running event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Chromium is not installed: the browser tests need Debian's `chromium` "
                    "on PATH (apt-get install chromium). They fail rather than skip.",
                    pytrace=False)
    return path


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                      args=CHROMIUM_ARGS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser carries the `browser` marker."""
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    chromium_path()  # fail before starting anything
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = launch_chromium(playwright)
    try:
        yield launched
    finally:
        launched.close()


@pytest.fixture
def facilitator(server: LiveServer, browser: Browser) -> Facilitator:
    """As tests/conftest.py's, but safe to create while Playwright's loop runs."""
    return off_loop(server.add_facilitator)


@pytest.fixture
def new_context(browser: Browser, server: LiveServer
                ) -> Iterator[Callable[..., BrowserContext]]:
    """Make isolated browser contexts (own cookies) for one test; all closed afterwards."""
    opened: list[BrowserContext] = []

    def make(*, phone: bool = False, base_url: str | None = None) -> BrowserContext:
        base_url = base_url or server.base_url
        if phone:
            context = browser.new_context(base_url=base_url, viewport=PHONE,
                                          is_mobile=True, has_touch=True,
                                          device_scale_factor=2)
        else:
            context = browser.new_context(base_url=base_url, viewport=DESKTOP)
        context.set_default_timeout(TIMEOUT_MS)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


def sign_in(context: BrowserContext, facilitator: Facilitator) -> Page:
    """Sign in through the /login form, like a person would."""
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Email").fill(facilitator.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert "/login" not in page.url, "sign-in failed"
    return page


def join(context: BrowserContext, code: str, name: str) -> Page:
    """Join a workshop from /j/{code} typing a name; waits for the live socket."""
    page = context.new_page()
    page.goto(f"/j/{code}")
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    page.wait_for_url(f"**/j/{code}")
    page.get_by_text("You're in.").wait_for()
    return page

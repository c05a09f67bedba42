"""Browser fixtures: ONE Debian Chromium for the whole session, a fresh context per test.

Playwright's sync API runs an event loop in the main thread, where the fixtures also use
the ORM; Django refuses that unless told it is safe (it is: nothing here is async). The
variable is set only while the browser is up, and browser tests run last in the session, so
no other test runs beside that loop or inherits the variable in a subprocess
(``check --deploy`` rightly refuses it)."""

import os
from pathlib import Path

import pytest

# The personas' fixtures live in zhenwu/conftest.py, out of this directory's reach.
from zhenwu.conftest import (  # noqa: F401
    luotian,
    luotian_household,
    makou,
    makou_household,
    township_officer,
    world,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    """Browser tests last: from their start to the session's end an event loop is running."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class PageWatch:
    """Console errors, uncaught exceptions and requests leaving the test server."""

    def __init__(self, page, allowed_hosts):
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.responses: dict[str, int] = {}
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("request", lambda request: self._request(request, allowed_hosts))
        page.on(
            "response", lambda response: self.responses.__setitem__(response.url, response.status)
        )

    def _console(self, message):
        if message.type == "error":
            self.errors.append(message.text)

    def _request(self, request, allowed_hosts):
        from urllib.parse import urlparse

        url = request.url
        if not url.startswith(("data:", "about:")) and urlparse(url).hostname not in allowed_hosts:
            self.outside.append(url)


@pytest.fixture
def browser_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.watch = PageWatch(page, {"localhost", "127.0.0.1"})
    yield page
    context.close()

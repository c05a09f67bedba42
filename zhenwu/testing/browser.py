"""Browser-test machinery shared by ``zhenwu/`` and ``tests/``: ONE Debian Chromium for the
whole session (the ``browser`` fixture in the repository-root ``conftest.py``), a fresh
context and page per test.

Playwright's sync API runs an event loop in the main thread, where the fixtures also use
the ORM; Django refuses that unless told it is safe (it is: nothing here is async). The
variable is set only while the browser is up, and browser tests run last in the session, so
no other test runs beside that loop or inherits the variable in a subprocess
(``check --deploy`` rightly refuses it)."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1"})
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@contextmanager
def launch_chromium() -> Iterator:
    """Start Playwright and Debian Chromium; allow the ORM beside Playwright's loop meanwhile."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


class PageWatch:
    """Console errors, uncaught exceptions and requests leaving the test server."""

    def __init__(self, page, allowed_hosts=LOCAL_HOSTS):
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
        url = request.url
        if not url.startswith(("data:", "about:")) and urlparse(url).hostname not in allowed_hosts:
            self.outside.append(url)


@contextmanager
def open_page(browser, base_url: str, viewport: dict, timeout_ms: int | None = None) -> Iterator:
    """A page in its own context (own cookies), watched by ``page.watch``; closed on exit."""
    context = browser.new_context(base_url=base_url, locale="zh-CN", viewport=viewport)
    try:
        page = context.new_page()
        if timeout_ms is not None:
            page.set_default_timeout(timeout_ms)
        page.watch = PageWatch(page)
        yield page
    finally:
        context.close()


def session_cookie(user, url: str) -> dict:
    """A logged-in session for ``user`` as a Playwright cookie for ``url`` (the test server)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": url}

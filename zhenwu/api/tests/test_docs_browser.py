"""The API docs page renders in a real browser (Debian Chromium) under our content security
policy, fetching nothing from outside the app."""

import os
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


@pytest.fixture
def session_id(luotian_cadre) -> str:
    """A logged-in session, made before Playwright's event loop starts (the ORM refuses to
    run inside it)."""
    client = Client()
    client.force_login(luotian_cadre)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def browser_page():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        finally:
            browser.close()


def test_swagger_ui_renders_offline_under_csp(live_server, session_id, browser_page, tmp_path):
    page = browser_page
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_id, "url": live_server.url}]
    )
    problems, hosts = [], set()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))

    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)

    assert "Zhenwu API" in page.inner_text(".swagger-ui .info .title")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/households" in paths
    # "Try it out" calls the API with the page's session.
    page.locator(".opblock-get .opblock-summary").first.click()
    page.click("button.try-out__btn")
    page.click("button.execute")
    status = page.wait_for_selector(
        ".live-responses-table tbody .response-col_status", timeout=15_000
    )
    assert status.inner_text().strip() == "200"
    page.screenshot(path=str(tmp_path / "api-docs.png"), full_page=True)
    assert hosts == {urlsplit(live_server.url).netloc}
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert not problems, problems

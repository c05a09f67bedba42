"""The API docs page renders in a real browser (Debian Chromium) under our content security
policy, fetching nothing from outside the app."""

from urllib.parse import urlsplit

import pytest

from zhenwu.testing.browser import session_cookie

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_offline_under_csp(live_server, luotian_cadre, browser_page, tmp_path):
    page = browser_page
    page.context.add_cookies([session_cookie(luotian_cadre, live_server.url)])
    hosts = set()
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
    assert page.watch.outside == []
    problems = page.watch.errors
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert not problems, problems

"""The 帮扶数据统计 page in Debian Chromium at phone width (390 px): renders under the CSP
without console errors and does not overflow the screen (the wide village table scrolls
inside its wrapper). Screenshot in $ZHENWU_SCREENSHOTS (or the test's tmp dir)."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from zhenwu.assistance.tests.stats_data import build_ledger

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


def test_stats_page_on_a_phone(
    live_server, luotian_household, makou_household, shadi, luotian, township_officer, tmp_path
):
    sync_api = pytest.importorskip("playwright.sync_api")
    build_ledger(luotian_household, makou_household, shadi, luotian)
    client = Client()
    client.force_login(township_officer)
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
    shots = Path(os.environ.get("ZHENWU_SCREENSHOTS", tmp_path))
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(viewport=PHONE, locale="zh-CN")
            context.add_cookies([cookie])
            page = context.new_page()
            page.on("console", lambda m: m.type == "error" and problems.append(m.text))
            page.goto(f"{live_server.url}/assistance/stats/?area={shadi.code}&period=2023H1")
            assert "沙地镇2023年上半年帮扶数据" in page.inner_text("main")
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            page.screenshot(path=str(shots / "assistance-stats-phone.png"), full_page=True)
            page.locator(".stats-table").scroll_into_view_if_needed()
            page.screenshot(path=str(shots / "assistance-stats-phone-table.png"))
        finally:
            browser.close()
    assert problems == []

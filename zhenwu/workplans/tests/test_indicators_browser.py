"""The indicator board in Debian Chromium at phone width (390 px): renders under the CSP
without console errors and does not overflow the screen (the wide indicator × village table
scrolls inside its wrapper). Screenshot in $ZHENWU_SCREENSHOTS (or the test's tmp dir)."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from zhenwu.workplans.actions.indicators import (
    do_record_measurement,
    do_set_target,
    load_indicator_catalogue,
)
from zhenwu.workplans.models import Indicator

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


def test_board_on_a_phone(live_server, shadi, luotian, makou, township_officer, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    load_indicator_catalogue()
    garbage = Indicator.objects.get(code="garbage_collection_rate")
    income = Indicator.objects.get(code="collective_income")
    for village, points in ((luotian, "12"), (makou, "9")):
        do_set_target(
            actor=township_officer, indicator=garbage, area=village, period="2023", value="100"
        )
        do_set_target(
            actor=township_officer, indicator=income, area=village, period="2023", value="300000"
        )
        do_record_measurement(
            actor=township_officer,
            indicator=garbage,
            area=village,
            period="2023-06",
            numerator=points,
            denominator="12",
        )
    do_record_measurement(
        actor=township_officer, indicator=income, area=luotian, period="2023H1", value="180000"
    )
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
            page.goto(f"{live_server.url}/workplans/indicators/?area={shadi.code}&period=2023H1")
            text = page.inner_text("main")
            assert "指标完成情况" in text and "未达标" in text and "进度正常" in text
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            page.screenshot(path=str(shots / "workplans-indicators-phone.png"), full_page=True)
        finally:
            browser.close()
    assert problems == []

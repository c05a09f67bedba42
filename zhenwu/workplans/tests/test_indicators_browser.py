"""The indicator board in Debian Chromium at phone width (390 px): renders under the CSP
without console errors and does not overflow the screen (the wide indicator × village table
scrolls inside its wrapper). Screenshot in $ZHENWU_SCREENSHOTS (or the test's tmp dir)."""

import os
from pathlib import Path

import pytest

from zhenwu.testing.browser import PHONE, session_cookie
from zhenwu.workplans.actions.indicators import (
    do_record_measurement,
    do_set_target,
    load_indicator_catalogue,
)
from zhenwu.workplans.models import Indicator

pytestmark = pytest.mark.browser


def test_board_on_a_phone(
    live_server, shadi, luotian, makou, township_officer, phone_page, tmp_path
):
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
    shots = Path(os.environ.get("ZHENWU_SCREENSHOTS", tmp_path))
    page = phone_page
    page.context.add_cookies([session_cookie(township_officer, live_server.url)])
    page.goto(f"{live_server.url}/workplans/indicators/?area={shadi.code}&period=2023H1")
    text = page.inner_text("main")
    assert "指标完成情况" in text and "未达标" in text and "进度正常" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots / "workplans-indicators-phone.png"), full_page=True)
    assert page.watch.errors == []
    assert page.watch.outside == []

"""The 帮扶数据统计 page in Debian Chromium at phone width (390 px): renders under the CSP
without console errors and does not overflow the screen (the wide village table scrolls
inside its wrapper). Screenshot in $ZHENWU_SCREENSHOTS (or the test's tmp dir)."""

import os
from pathlib import Path

import pytest

from zhenwu.assistance.tests.stats_data import build_ledger
from zhenwu.testing.browser import PHONE, session_cookie

pytestmark = pytest.mark.browser


def test_stats_page_on_a_phone(
    live_server,
    luotian_household,
    makou_household,
    shadi,
    luotian,
    township_officer,
    phone_page,
    tmp_path,
):
    build_ledger(luotian_household, makou_household, shadi, luotian)
    shots = Path(os.environ.get("ZHENWU_SCREENSHOTS", tmp_path))
    page = phone_page
    page.context.add_cookies([session_cookie(township_officer, live_server.url)])
    page.goto(f"{live_server.url}/assistance/stats/?area={shadi.code}&period=2023H1")
    assert "沙地镇2023年上半年帮扶数据" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots / "assistance-stats-phone.png"), full_page=True)
    page.locator(".stats-table").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "assistance-stats-phone-table.png"))
    assert page.watch.errors == []
    assert page.watch.outside == []

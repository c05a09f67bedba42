"""The asset ledger and the industry page with the demo's projects, in Debian Chromium at
phone width (390 px): no console errors under the CSP, nothing wider than the screen.
Screenshots go to $ZHENWU_SCREENSHOTS (or the test's tmp dir)."""

import io
import os
from pathlib import Path

import pytest

from zhenwu.demo.projects import build_projects_demo
from zhenwu.testing.browser import PHONE, session_cookie

pytestmark = pytest.mark.browser


@pytest.fixture
def persona_cookie(live_server, township_officer, district_officer) -> dict:
    users = {"township_officer": township_officer, "district_officer": district_officer}
    build_projects_demo(users, stdout=io.StringIO())
    return session_cookie(township_officer, live_server.url)


def test_pages_fit_a_phone(live_server, persona_cookie, phone_page, tmp_path):
    shots = Path(os.environ.get("ZHENWU_SCREENSHOTS", tmp_path))
    page = phone_page
    page.context.add_cookies([persona_cookie])
    for path, name, text in [
        ("/projects/assets/", "assets-phone.png", "螺田板鸭厂厂房及设备"),
        ("/projects/industry/", "industry-phone.png", "会仙谷采摘园"),
    ]:
        page.goto(live_server.url + path)
        assert text in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        page.screenshot(path=str(shots / name), full_page=True)
    assert page.watch.errors == []
    assert page.watch.outside == []

"""The asset ledger and the industry page with the demo's projects, in Debian Chromium at
phone width (390 px): no console errors under the CSP, nothing wider than the screen.
Screenshots go to $ZHENWU_SCREENSHOTS (or the test's tmp dir)."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from zhenwu.demo.projects import build_projects_demo
from zhenwu.monitoring.tests.test_declaration_browser import (  # noqa: F401 (fixture)
    CHROMIUM,
    PHONE,
    phone_page,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


@pytest.fixture
def session_cookie(live_server, township_officer, district_officer) -> dict:
    """Set up before ``phone_page``: the ORM cannot run inside Playwright's event loop."""
    users = {"township_officer": township_officer, "district_officer": district_officer}
    build_projects_demo(users, stdout=io.StringIO())
    client = Client()
    client.force_login(township_officer)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}


def test_pages_fit_a_phone(live_server, session_cookie, phone_page, tmp_path):  # noqa: F811
    shots = Path(os.environ.get("ZHENWU_SCREENSHOTS", tmp_path))
    page = phone_page
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.context.add_cookies([session_cookie])
    for path, name, text in [
        ("/projects/assets/", "assets-phone.png", "螺田板鸭厂厂房及设备"),
        ("/projects/industry/", "industry-phone.png", "会仙谷采摘园"),
    ]:
        page.goto(live_server.url + path)
        assert text in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        page.screenshot(path=str(shots / name), full_page=True)
    assert problems == []

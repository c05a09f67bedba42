"""The project library in Debian Chromium at phone width (390 px): list and detail render
under the CSP without console errors and fit the screen. Screenshots go to
$ZHENWU_SCREENSHOTS (or the test's tmp dir)."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from zhenwu.monitoring.tests.test_declaration_browser import (  # noqa: F401 (fixture)
    CHROMIUM,
    PHONE,
    phone_page,
)
from zhenwu.projects.tests.test_projects_views import projects  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


@pytest.fixture
def session_cookie(live_server, projects, township_officer) -> dict:  # noqa: F811
    client = Client()
    client.force_login(township_officer)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}


def test_pages_fit_a_phone(live_server, projects, session_cookie, phone_page, tmp_path):  # noqa: F811
    shots = Path(os.environ.get("ZHENWU_SCREENSHOTS", tmp_path))
    detail = f"/projects/library/{projects['luotian'].public_id}/"
    page = phone_page
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.context.add_cookies([session_cookie])
    for path, name, text in [
        ("/projects/", "projects-home-phone.png", "项目库"),
        ("/projects/library/", "projects-list-phone.png", "螺田村板鸭加工厂"),
        (detail, "projects-detail-phone.png", "拨付记录"),
    ]:
        page.goto(live_server.url + path)
        assert text in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        page.screenshot(path=str(shots / name), full_page=True)
    assert problems == []

"""The project library in Debian Chromium at phone width (390 px): list and detail render
under the CSP without console errors and fit the screen. Screenshots go to
$ZHENWU_SCREENSHOTS (or the test's tmp dir)."""

import os
from pathlib import Path

import pytest

from zhenwu.projects.tests.test_projects_views import projects  # noqa: F401 (fixture)
from zhenwu.testing.browser import PHONE, session_cookie

pytestmark = pytest.mark.browser


@pytest.fixture
def persona_cookie(live_server, projects, township_officer) -> dict:  # noqa: F811
    return session_cookie(township_officer, live_server.url)


def test_pages_fit_a_phone(live_server, projects, persona_cookie, phone_page, tmp_path):  # noqa: F811
    shots = Path(os.environ.get("ZHENWU_SCREENSHOTS", tmp_path))
    detail = f"/projects/library/{projects['luotian'].public_id}/"
    page = phone_page
    page.context.add_cookies([persona_cookie])
    for path, name, text in [
        ("/projects/", "projects-home-phone.png", "项目库"),
        ("/projects/library/", "projects-list-phone.png", "螺田村板鸭加工厂"),
        (detail, "projects-detail-phone.png", "拨付记录"),
    ]:
        page.goto(live_server.url + path)
        assert text in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        page.screenshot(path=str(shots / name), full_page=True)
    assert page.watch.errors == []
    assert page.watch.outside == []

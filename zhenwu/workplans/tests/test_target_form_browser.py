"""The target form in Debian Chromium at desktop (1280 px) and phone (390 px) width: renders
under the CSP without console errors, fits the phone screen, and a bad value comes back
naming the village. Screenshots in $ZHENWU_SCREENSHOTS (or the test's tmp dir)."""

import os
from pathlib import Path

import pytest

from zhenwu.testing.browser import PHONE, session_cookie
from zhenwu.workplans.actions.indicators import do_set_target, load_indicator_catalogue
from zhenwu.workplans.models import Indicator, Target

pytestmark = pytest.mark.browser


def _open(page, live_server, user, shadi, indicator):
    page.context.add_cookies([session_cookie(user, live_server.url)])
    page.goto(
        f"{live_server.url}/workplans/indicators/targets/"
        f"?area={shadi.code}&indicator={indicator.code}&period=2023"
    )


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_target_form_renders(
    width, request, live_server, shadi, luotian, makou, township_officer, tmp_path
):
    load_indicator_catalogue()
    garbage = Indicator.objects.get(code="garbage_collection_rate")
    do_set_target(actor=township_officer, indicator=garbage, area=makou, period="2023", value="85")
    shots = Path(os.environ.get("ZHENWU_SCREENSHOTS", tmp_path))
    page = request.getfixturevalue("phone_page" if width == "phone" else "browser_page")
    _open(page, live_server, township_officer, shadi, garbage)
    assert page.input_value(f"#id_target_{makou.code}") == "85"
    if width == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots / f"workplans-targets-{width}.png"), full_page=True)
    page.fill(f"#id_target_{luotian.code}", "150")
    page.click("button:has-text('保存目标值')")
    assert "螺田村：目标值为百分比" in page.inner_text("main")
    page.screenshot(path=str(shots / f"workplans-targets-{width}-error.png"), full_page=True)
    assert not Target.objects.filter(area=luotian).exists()
    # The refused form answers 400 (as the entry form does); nothing else may fail.
    assert [e for e in page.watch.errors if "status of 400" not in e] == []
    assert page.watch.outside == []


def test_board_leads_to_the_form_on_a_desktop(
    live_server, shadi, township_officer, browser_page, tmp_path
):
    load_indicator_catalogue()
    shots = Path(os.environ.get("ZHENWU_SCREENSHOTS", tmp_path))
    page = browser_page
    page.context.add_cookies([session_cookie(township_officer, live_server.url)])
    page.goto(f"{live_server.url}/workplans/indicators/?area={shadi.code}&period=2023")
    assert page.is_visible("a:has-text('导出 Excel')")
    page.screenshot(path=str(shots / "workplans-indicators-desktop.png"))
    page.click("a:has-text('设置目标值')")
    assert page.input_value("#id_period") == "2023"
    assert "沙地镇（本级）" in page.inner_text("main")
    assert page.watch.errors == []

"""The public self-declaration form in Debian Chromium at phone width (390 px): renders
under the CSP without errors, fits the screen, and a resident can submit it.
Screenshots go to $ZHENWU_SCREENSHOTS (or the test's tmp dir)."""

import datetime
import os
from pathlib import Path

import pytest

from zhenwu.testing.browser import PHONE, session_cookie
from zhenwu.testing.personas import test_id_number

pytestmark = pytest.mark.browser


def test_resident_declares_on_a_phone(live_server, world, phone_page, tmp_path):
    number = test_id_number(datetime.date(1979, 4, 4))
    shots = Path(os.environ.get("ZHENWU_SCREENSHOTS", tmp_path))
    page = phone_page
    page.goto(live_server.url + "/monitoring/declare/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots / "declare-phone.png"), full_page=True)

    page.fill("#id_name", "张三丰")
    page.fill("#id_id_number", "12345")
    page.select_option("#id_village", "360704101214")
    page.fill("#id_phone", "13800001234")
    page.check("input[name=risk_types][value=illness]")
    page.click("button[type=submit].btn-primary")
    assert "身份证号应为18位" in page.content()
    page.screenshot(path=str(shots / "declare-phone-error.png"), full_page=True)

    page.fill("#id_id_number", number)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url("**/declare/received/")
    assert "申报已收到" in page.content() and number not in page.content()
    page.screenshot(path=str(shots / "declare-phone-received.png"), full_page=True)
    assert page.watch.errors == []
    assert page.watch.outside == []


@pytest.fixture
def cadre_session(live_server, luotian_cadre, luotian, luotian_household) -> dict:
    """A 螺田村 cadre's session cookie with two clues in the inbox, one of them overdue."""
    from django.utils import timezone

    from zhenwu.monitoring.actions.clues import do_report_clue

    today = timezone.localdate()
    do_report_clue(
        actor=luotian_cadre,
        village=luotian,
        channel="cadre_screening",
        reported_on=today - datetime.timedelta(days=20),
        household=luotian_household,
        risk_types=["illness", "schooling"],
        description="走访发现住院",
    )
    do_report_clue(
        actor=luotian_cadre,
        village=luotian,
        channel="department",
        reported_on=today,
        risk_types=["unsafe_housing"],
    )
    return session_cookie(luotian_cadre, live_server.url)


def test_clue_inbox_on_a_phone(live_server, cadre_session, phone_page, tmp_path):
    shots = Path(os.environ.get("ZHENWU_SCREENSHOTS", tmp_path))
    page = phone_page
    page.context.add_cookies([cadre_session])
    page.goto(live_server.url + "/monitoring/clues/")
    assert "超期" in page.content() and "LT0001" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots / "clue-inbox-phone.png"), full_page=True)
    page.click("text=LT0001 >> xpath=ancestor::tr//td[1]//a")
    page.wait_for_url("**/monitoring/clues/*/")
    page.screenshot(path=str(shots / "clue-detail-phone.png"), full_page=True)
    assert page.watch.errors == []
    assert page.watch.outside == []

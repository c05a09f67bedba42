"""The attendance sheet and a payment batch in Debian Chromium at phone width (390 px):
render under the CSP without console errors and fit the screen; a cadre fills the grid.
Screenshots go to $ZHENWU_SCREENSHOTS (or the test's tmp dir)."""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest

from zhenwu.assistance.actions.jobs import do_assign_job, do_build_payroll, do_create_post
from zhenwu.assistance.choices import SettingKey
from zhenwu.assistance.models import AssistanceSetting, Attendance
from zhenwu.testing import personas
from zhenwu.testing.browser import PHONE, session_cookie

pytestmark = pytest.mark.browser


def test_attendance_sheet_on_a_phone(live_server, world, phone_page, tmp_path):
    township, cadre = world.users["township_officer"], world.users["luotian_cadre"]
    luotian, shadi = world.areas["luotian"], world.areas["shadi"]
    for key, value in ((SettingKey.JOB_MIN_AGE, 16), (SettingKey.JOB_MAX_AGE, 60)):
        AssistanceSetting.objects.create(
            area=shadi, key=key, value=value, valid_from=datetime.date(2020, 1, 1)
        )
    AssistanceSetting.objects.create(
        area=shadi, key=SettingKey.JOBS_PER_HOUSEHOLD, value=2, valid_from=datetime.date(2020, 1, 1)
    )
    household = personas.make_household(
        township,
        luotian,
        "LTB001",
        [
            ("欧阳春花", datetime.date(1972, 5, 6), "head"),
            ("欧阳秋", datetime.date(1975, 8, 9), "spouse"),
        ],
        category="lifted",
    )
    post = do_create_post(
        actor=township,
        village=luotian,
        post_type="保洁员",
        funding_level="central",
        monthly_subsidy=Decimal("500"),
        capacity=5,
    )
    assignments = [
        do_assign_job(post, p, actor=cadre, start_on=datetime.date(2023, 1, 1))
        for p in household.members.order_by("id")
    ]
    shots = Path(os.environ.get("ZHENWU_SCREENSHOTS", tmp_path))
    url = f"{live_server.url}/assistance/jobs/attendance/?village={luotian.code}&month=2023-02"
    page = phone_page
    page.context.add_cookies([session_cookie(cadre, live_server.url)])
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.fill(f"input[name='days-{assignments[0].public_id}']", "21")
    page.fill(f"input[name='days-{assignments[1].public_id}']", "19")
    page.screenshot(path=str(shots / "jobs-attendance-phone.png"), full_page=True)
    page.click("text=保存考勤")
    assert "考勤已保存" in page.content()
    assert page.watch.errors == []
    assert page.watch.outside == []
    assert sorted(Attendance.objects.values_list("days_worked", flat=True)) == [19, 21]
    batch = do_build_payroll(luotian, "2023-02", actor=township)
    assert batch.total_amount == Decimal("1000.00")


def test_batch_page_on_a_phone(live_server, world, phone_page, tmp_path):
    from zhenwu.assistance.actions.payments import do_add_line, do_open_batch

    township, district = world.users["township_officer"], world.users["district_officer"]
    luotian = world.areas["luotian"]
    household = personas.make_household(
        township, luotian, "LTB002", [("司马长风", datetime.date(1970, 1, 2), "head")]
    )
    batch = do_open_batch(actor=township, kind="job_payroll", area=luotian, period="2023-03")
    do_add_line(batch, actor=township, person=household.members.get(), amount=Decimal("500"))
    shots = Path(os.environ.get("ZHENWU_SCREENSHOTS", tmp_path))
    page = phone_page
    page.context.add_cookies([session_cookie(district, live_server.url)])
    page.goto(f"{live_server.url}/assistance/payments/{batch.public_id}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots / "payments-batch-phone.png"), full_page=True)
    page.click("text=审批通过")
    assert "批次已审批" in page.content()
    assert page.watch.errors == []
    assert page.watch.outside == []

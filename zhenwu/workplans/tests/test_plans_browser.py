"""The demo plan and the progress form in Debian Chromium at phone width (390 px): render
under the CSP without console errors, fit the screen, and a progress report goes through.
Screenshots go to $ZHENWU_SCREENSHOTS (or the test's tmp dir)."""

import io
import os
from pathlib import Path

import pytest

from zhenwu.demo.workplans import OVERDUE_TASK, build_workplans_demo
from zhenwu.testing.browser import PHONE, session_cookie
from zhenwu.workplans.models import Task, WorkPlan

pytestmark = pytest.mark.browser


def test_plan_and_progress_on_a_phone(live_server, world, phone_page, tmp_path):
    township = world.users["township_officer"]
    build_workplans_demo({"township_officer": township}, stdout=io.StringIO())
    plan = WorkPlan.objects.get()
    task = Task.objects.get(title=OVERDUE_TASK)
    shots = Path(os.environ.get("ZHENWU_SCREENSHOTS", tmp_path))
    page = phone_page
    page.context.add_cookies([session_cookie(township, live_server.url)])
    page.goto(f"{live_server.url}/workplans/plans/{plan.public_id}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert "逾期" in page.content()
    page.screenshot(path=str(shots / "workplans-plan-phone.png"), full_page=True)
    page.goto(f"{live_server.url}/workplans/tasks/{task.public_id}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.fill("input[name='progress']", "80")
    page.fill("textarea[name='note']", "第2处公墓用地手续已办结")
    page.screenshot(path=str(shots / "workplans-task-phone.png"), full_page=True)
    page.click("text=提交进展")
    assert "进展已填报" in page.content()
    assert page.watch.errors == []
    assert page.watch.outside == []
    task.refresh_from_db()
    assert task.progress == 80

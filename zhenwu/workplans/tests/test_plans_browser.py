"""The demo plan and the progress form in Debian Chromium at phone width (390 px): render
under the CSP without console errors, fit the screen, and a progress report goes through.
Screenshots go to $ZHENWU_SCREENSHOTS (or the test's tmp dir)."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from zhenwu.demo.workplans import OVERDUE_TASK, build_workplans_demo
from zhenwu.workplans.models import Task, WorkPlan

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


def _session_cookie(live_server, user) -> dict:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def test_plan_and_progress_on_a_phone(live_server, world, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    township = world.users["township_officer"]
    build_workplans_demo({"township_officer": township}, stdout=io.StringIO())
    plan = WorkPlan.objects.get()
    task = Task.objects.get(title=OVERDUE_TASK)
    shots = Path(os.environ.get("ZHENWU_SCREENSHOTS", tmp_path))
    cookie = _session_cookie(live_server, township)
    problems = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(viewport=PHONE)
            context.add_cookies([cookie])
            page = context.new_page()
            page.on("console", lambda m: m.type == "error" and problems.append(m.text))
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
        finally:
            browser.close()
    assert problems == []
    task.refresh_from_db()
    assert task.progress == 80

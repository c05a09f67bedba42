"""The 报告措辞 editor in Debian Chromium: a township officer rewrites 社会和谐稳定, previews,
saves, and the half-year preview uses the new sentence; the list and the editor fit desktop
and phone widths under the CSP. Screenshots go to $ZHENWU_SCREENSHOTS (or the test's tmp
dir)."""

import os
from pathlib import Path

import pytest

from zhenwu.testing.browser import DESKTOP, PHONE, session_cookie

pytestmark = pytest.mark.browser

LIST = "/reports/templates/"
SENTENCE = "二是推进社会和谐稳定。{township}全年未发生较大安全生产事故，信访总量同比下降。"
RENDERED = "二是推进社会和谐稳定。沙地镇全年未发生较大安全生产事故，信访总量同比下降。"


def _shots(tmp_path) -> Path:
    shots = Path(os.environ.get("ZHENWU_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_edit_preview_save_and_the_report_uses_it(
    live_server, world, township_officer, browser_page, tmp_path
):
    page, shots = browser_page, _shots(tmp_path)
    page.context.add_cookies([session_cookie(township_officer, live_server.url)])
    page.goto(live_server.url + LIST)
    assert page.locator(".templates-table tbody tr").count() == 16
    _fits(page, DESKTOP["width"])
    page.screenshot(path=str(shots / "templates-list-desktop.png"), full_page=True)

    page.locator("tr[data-slot=livelihood_stability] a", has_text="编辑").click()
    page.wait_for_selector("textarea.template-text")
    assert page.inner_text("h1") == "社会和谐稳定"
    page.fill("textarea.template-text", SENTENCE)
    page.fill("input[name=note]", "据实补充")
    page.click("button[value=preview]")
    page.wait_for_selector(".template-preview")
    assert RENDERED in page.inner_text(".template-preview")
    _fits(page, DESKTOP["width"])
    page.screenshot(path=str(shots / "templates-edit-desktop.png"), full_page=True)

    page.click("button[value=save]")
    page.wait_for_selector(".message-success")
    assert "已保存第1版" in page.inner_text(".messages")
    assert "据实补充" in page.inner_text(".template-history")
    page.screenshot(path=str(shots / "templates-saved-desktop.png"), full_page=True)

    page.goto(live_server.url + "/reports/half-year/")
    assert RENDERED in page.inner_text(".halfyear-document")
    assert page.locator(".page-actions a", has_text="编辑报告措辞").count() == 1
    page.screenshot(path=str(shots / "templates-halfyear-desktop.png"))
    assert page.watch.errors == []
    assert page.watch.outside == []


def test_list_and_editor_fit_a_phone(live_server, world, township_officer, phone_page, tmp_path):
    page, shots = phone_page, _shots(tmp_path)
    page.context.add_cookies([session_cookie(township_officer, live_server.url)])
    page.goto(live_server.url + LIST)
    _fits(page, PHONE["width"])
    page.screenshot(path=str(shots / "templates-list-phone.png"), full_page=True)
    page.screenshot(path=str(shots / "templates-list-phone-top.png"))
    page.goto(live_server.url + LIST + "prevention/")
    page.screenshot(path=str(shots / "templates-edit-phone-top.png"))
    page.click("button[value=preview]")
    page.wait_for_selector(".template-preview")
    _fits(page, PHONE["width"])
    page.screenshot(path=str(shots / "templates-edit-phone.png"), full_page=True)
    assert page.watch.errors == []

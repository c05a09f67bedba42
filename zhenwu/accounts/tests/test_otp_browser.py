"""Two-step login in a real browser (Debian Chromium) under the content security policy, at
desktop and phone width: password, enrolment with the QR code (made on the server), then
at the next login the verify page. Screenshots go to ZHENWU_SCREENSHOTS if set."""

import os
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhenwu.testing.personas import PASSWORD

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("ZHENWU_SCREENSHOTS")


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _code(device) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _password_login(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def _enrol_then_verify(page, user, label):
    _password_login(page, user.username)
    page.wait_for_url("**/accounts/2fa/enrol/**")
    qr = page.locator("img.otp-qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator("#otp-secret").inner_text().replace(" ", "")
    _shot(page, f"otp_enrol_{label}")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.fill("#id_code", _code(device))
    page.click("form:not(.otp-logout) button[type=submit]")
    page.wait_for_url("**/registry/households/**")
    assert "两步验证已启用" in page.inner_text("main")
    page.click(".logout-form button")
    page.wait_for_url("**/accounts/login/**")

    # The next login asks for the code of the bound app before anything else.
    _password_login(page, user.username)
    page.wait_for_url("**/accounts/2fa/verify/**")
    page.fill("#id_code", "000000")
    page.click("form:not(.otp-logout) button[type=submit]")
    assert "验证码不正确" in page.inner_text("main")
    _shot(page, f"otp_verify_{label}")
    # A code of the next time step: the previous one may already have been used.
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += device.step
    page.fill("#id_code", f"{totp.token():06d}")
    page.click("form:not(.otp-logout) button[type=submit]")
    page.wait_for_url("**/registry/households/**")
    assert page.watch.outside == []
    # The only console error is the wrong code's answer (HTTP 400).
    errors = [e for e in page.watch.errors if "status of 400" not in e]
    assert not errors, errors


def test_two_step_login_at_desktop_width(live_server, township_officer, browser_page):
    _enrol_then_verify(browser_page, township_officer, "desktop")


def test_two_step_login_at_phone_width(live_server, township_officer, phone_page):
    _enrol_then_verify(phone_page, township_officer, "phone")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("page_fixture", ["browser_page", "phone_page"])
def test_security_admin_resets_from_the_user_page(
    live_server, request, township_officer, world, settings, page_fixture
):
    from zhenwu.accounts.models import Membership, User
    from zhenwu.accounts.roles import Role
    from zhenwu.testing.browser import session_cookie

    settings.REQUIRE_2FA = False  # the admin's own second factor is not the subject here
    admin = User.objects.create(username="secadmin", must_change_password=False)
    Membership.objects.create(user=admin, area=world.areas["district"], role=Role.SECURITY_ADMIN)
    TOTPDevice.objects.create(user=township_officer, name="totp", confirmed=True)
    page = request.getfixturevalue(page_fixture)
    page.context.add_cookies([session_cookie(admin, live_server.url)])
    page.goto(f"/accounts/users/{township_officer.pk}/")
    assert "已启用" in page.inner_text("main")
    _shot(page, f"user_detail_2fa_{page_fixture}")
    page.click("text=重置两步验证")
    page.wait_for_selector(".message-success, .alert-success")
    assert "已重置该账号的两步验证" in page.inner_text("main")
    assert not TOTPDevice.objects.filter(user=township_officer).exists()

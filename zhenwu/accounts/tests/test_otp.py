"""Second factor, TOTP (SECURITY.md 7): who must enrol, enrolment, verification before any
other page, wrong codes (audited, counted towards the lockout), the security admin's reset.

The suite runs with REQUIRE_2FA off (test mode); these tests switch it on."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhenwu.accounts.models import Membership, User
from zhenwu.accounts.roles import Role
from zhenwu.core.models import AuditEvent, AuditOutcome
from zhenwu.testing.personas import PASSWORD

LOGIN = "/accounts/login/"
ENROL = reverse("accounts:otp_enrol")
VERIFY = reverse("accounts:otp_verify")
HOUSEHOLDS = reverse("registry:household_list")


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.REQUIRE_2FA = True
    settings.REQUIRE_2FA_CADRES = False
    # No exponential wait between attempts, so that a right code may follow a wrong one.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def login(client, username, password=PASSWORD):
    response = client.post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 302, "password login failed"
    return response


def code_for(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {code_for(device, step) for step in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def enrolled_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="totp", confirmed=True)


def events(name, user):
    return AuditEvent.objects.filter(event=name, object_id=str(user.pk))


# --- who must use it ---------------------------------------------------------------------


def test_township_officer_is_sent_to_enrolment_after_the_password(client, township_officer):
    login(client, "township")
    response = client.get(HOUSEHOLDS)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0].startswith(ENROL)
    html = response.content.decode()
    assert "启用两步验证" in html
    device = TOTPDevice.objects.get(user=township_officer, confirmed=False)
    assert 'src="data:image/svg+xml;base64,' in html
    assert device.config_url.startswith("otpauth://totp/")
    assert "<script>" not in html and "<style" not in html and "style=" not in html
    assert (
        response["Cache-Control"].startswith("max-age=0")
        or "no-store" in (response["Cache-Control"])
    )


def test_enrolment_page_shows_the_same_secret_on_reload(client, township_officer):
    login(client, "township")
    client.get(ENROL)
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=township_officer).count() == 1


def test_confirming_with_a_right_code_gives_access_and_is_audited(client, township_officer):
    login(client, "township")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=township_officer)
    response = client.post(ENROL, {"code": code_for(device), "next": HOUSEHOLDS})
    assert response.status_code == 302 and response["Location"] == HOUSEHOLDS
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(HOUSEHOLDS).status_code == 200
    assert events("accounts.otp_enrolled", township_officer).count() == 1


@pytest.mark.parametrize("persona", ["district_officer", "auditor", "system_admin"])
def test_district_and_administrators_must_enrol(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_cadre_is_not_asked_unless_the_setting_says_so(client, luotian_cadre, settings):
    login(client, "luotian")
    assert client.get(HOUSEHOLDS).status_code == 200
    settings.REQUIRE_2FA_CADRES = True
    response = client.get(HOUSEHOLDS)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_nobody_is_asked_when_the_requirement_is_off(client, township_officer, settings):
    settings.REQUIRE_2FA = False
    login(client, "township")
    assert client.get(HOUSEHOLDS).status_code == 200


def test_a_cadre_who_enrolled_voluntarily_is_asked_for_the_code(client, luotian_cadre):
    device = enrolled_device(luotian_cadre)
    login(client, "luotian")
    response = client.get(HOUSEHOLDS)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 302
    assert client.get(HOUSEHOLDS).status_code == 200


# --- verification ------------------------------------------------------------------------


def test_enrolled_officer_enters_the_code_and_gets_in(client, township_officer):
    device = enrolled_device(township_officer)
    login(client, "township")
    session_before = client.session.session_key
    response = client.get(HOUSEHOLDS)
    assert response["Location"] == f"{VERIFY}?next=%2Fregistry%2Fhouseholds%2F"
    response = client.post(VERIFY, {"code": code_for(device), "next": HOUSEHOLDS})
    assert response.status_code == 302 and response["Location"] == HOUSEHOLDS
    assert client.get(HOUSEHOLDS).status_code == 200
    assert client.session.session_key != session_before
    assert events("accounts.otp_verified", township_officer).count() == 1


def test_wrong_code_is_refused_and_audited(client, township_officer):
    device = enrolled_device(township_officer)
    login(client, "township")
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 400
    assert "验证码不正确" in response.content.decode()
    assert client.get(HOUSEHOLDS).status_code == 302
    failed = events("accounts.otp_failed", township_officer).get()
    assert failed.outcome == AuditOutcome.FAILURE
    assert failed.data["stage"] == "verify"


def test_wrong_enrolment_code_is_refused_and_audited(client, township_officer):
    login(client, "township")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=township_officer)
    response = client.post(ENROL, {"code": wrong_code(device)})
    assert response.status_code == 400
    device.refresh_from_db()
    assert not device.confirmed
    assert events("accounts.otp_failed", township_officer).get().data["stage"] == "enrol"


def test_a_used_code_cannot_be_replayed(client, township_officer):
    device = enrolled_device(township_officer)
    code = code_for(device)
    login(client, "township")
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post("/accounts/logout/")
    login(client, "township")
    assert client.post(VERIFY, {"code": code}).status_code == 400


def test_wrong_codes_count_towards_the_lockout(client, township_officer):
    device = enrolled_device(township_officer)
    login(client, "township")
    for _ in range(4):
        assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 400
    locked = client.post(VERIFY, {"code": wrong_code(device)})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Locked: even the right password is refused now.
    assert client.post(LOGIN, {"username": "township", "password": PASSWORD}).status_code == 429


def test_throttled_device_refuses_even_a_right_code(client, township_officer, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = enrolled_device(township_officer)
    login(client, "township")
    client.post(VERIFY, {"code": wrong_code(device)})
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 400
    assert "尝试过于频繁" in response.content.decode()


def test_malformed_code_is_a_form_error(client, township_officer):
    enrolled_device(township_officer)
    login(client, "township")
    response = client.post(VERIFY, {"code": "12ab"})
    assert response.status_code == 400
    assert "6 位数字" in response.content.decode()


# --- what an unverified session can reach -------------------------------------------------


def test_unverified_session_cannot_open_pages_but_may_log_out(client, township_officer):
    enrolled_device(township_officer)
    login(client, "township")
    for url in (HOUSEHOLDS, reverse("accounts:password_change"), reverse("accounts:user_list")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), url
    assert client.get(VERIFY).status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_unverified_session_gets_no_json(client, township_officer, luotian_household):
    device = enrolled_device(township_officer)
    login(client, "township")
    response = client.get("/api/v1/households")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get("/api/v1/households").status_code == 200


def test_api_token_is_unaffected(client, luotian_token, luotian_household):
    response = client.get(
        "/api/v1/households", headers={"Authorization": f"Bearer {luotian_token}"}
    )
    assert response.status_code == 200


def test_forced_password_change_comes_after_the_code(client, township_officer):
    device = enrolled_device(township_officer)
    township_officer.must_change_password = True
    township_officer.save(update_fields=["must_change_password"])
    login(client, "township")
    assert client.get(HOUSEHOLDS)["Location"].startswith(VERIFY)
    assert client.get(VERIFY).status_code == 200  # no redirect loop
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get(HOUSEHOLDS)["Location"] == reverse("accounts:password_change")


def test_next_must_stay_on_this_site(client, township_officer):
    device = enrolled_device(township_officer)
    login(client, "township")
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("accounts:home")


# --- reset by the security administrator ---------------------------------------------------


@pytest.fixture
def security_admin(world):
    user = User.objects.create(username="secadmin", must_change_password=False)
    user.set_password(PASSWORD)
    user.save()
    Membership.objects.create(user=user, area=world.areas["district"], role=Role.SECURITY_ADMIN)
    return user


def verified_login(client, user):
    """Log in with password and code (the admin must pass 2FA too)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or enrolled_device(user)
    login(client, user.username)
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302


def test_security_admin_resets_a_device(client, security_admin, township_officer):
    enrolled_device(township_officer)
    verified_login(client, security_admin)
    detail = client.get(reverse("accounts:user_detail", args=[township_officer.pk]))
    assert "重置两步验证" in detail.content.decode()
    response = client.post(reverse("accounts:user_reset_2fa", args=[township_officer.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=township_officer).exists()
    reset = events("accounts.otp_reset", township_officer).get()
    assert reset.user == security_admin
    # The officer's next login goes to enrolment again.
    client.post("/accounts/logout/")
    login(client, "township")
    follow = client.get(HOUSEHOLDS, follow=True)
    assert follow.redirect_chain[-1][0].startswith(ENROL)


def test_reset_ends_the_verified_state_of_open_sessions(client, township_officer):
    device = enrolled_device(township_officer)
    login(client, "township")
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get(HOUSEHOLDS).status_code == 200
    call_command("reset_2fa", "township")
    assert client.get(HOUSEHOLDS)["Location"].startswith(VERIFY)
    assert events("accounts.otp_reset", township_officer).get().user is None


def test_only_a_security_admin_may_reset(client, district_officer, township_officer):
    enrolled_device(township_officer)
    verified_login(client, district_officer)
    detail = client.get(reverse("accounts:user_detail", args=[township_officer.pk]))
    assert "重置两步验证" not in detail.content.decode()
    response = client.post(reverse("accounts:user_reset_2fa", args=[township_officer.pk]))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=township_officer).exists()


def test_security_admin_cannot_reset_their_own_device(client, security_admin):
    verified_login(client, security_admin)
    client.post(reverse("accounts:user_reset_2fa", args=[security_admin.pk]))
    assert TOTPDevice.objects.filter(user=security_admin).exists()

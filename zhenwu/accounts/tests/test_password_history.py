"""Password history and rotation (SECURITY.md 5): none of the last N passwords again; a
password past its maximum age forces the change page at login, like a first login."""

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from zhenwu.accounts.actions import do_change_password, do_create_user
from zhenwu.accounts.models import PasswordHistory
from zhenwu.accounts.passwords import password_is_expired
from zhenwu.core.models import AuditEvent
from zhenwu.testing.personas import PASSWORD

LOGIN = "/accounts/login/"
CHANGE = reverse("accounts:password_change")
HOUSEHOLDS = reverse("registry:household_list")
REUSED = "新密码不能与最近 5 次使用过的密码相同"


def change(client, old, new):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.fixture
def cadre(township_officer, luotian):
    return do_create_user(
        username="histcadre",
        password="Initial-Pass-2023",
        area=luotian,
        role="village_cadre",
        actor=township_officer,
        must_change_password=False,
    )


def test_creating_and_changing_a_password_keep_its_hash(cadre):
    assert PasswordHistory.objects.filter(user=cadre).count() == 1
    do_change_password(cadre, "Second-Pass-2024")
    hashes = list(PasswordHistory.objects.filter(user=cadre).values_list("password", flat=True))
    assert hashes[0] == cadre.password
    assert "Second-Pass-2024" not in "".join(hashes)


def test_change_page_refuses_a_recent_password_in_chinese(client, cadre):
    client.force_login(cadre)
    assert change(client, "Initial-Pass-2023", "Second-Pass-2024").status_code == 302
    response = change(client, "Second-Pass-2024", "Initial-Pass-2023")
    assert response.status_code == 200
    assert REUSED in response.content.decode()
    cadre.refresh_from_db()
    assert cadre.check_password("Second-Pass-2024")


def test_change_page_accepts_a_new_password_and_lists_the_rule(client, cadre):
    client.force_login(cadre)
    page = client.get(CHANGE).content.decode()
    assert "不能与最近 5 次使用过的密码相同。" in page
    assert change(client, "Initial-Pass-2023", "Brand-New-Pass-2025").status_code == 302
    cadre.refresh_from_db()
    assert cadre.check_password("Brand-New-Pass-2025")
    assert AuditEvent.objects.filter(event="accounts.password_changed", user=cadre).exists()


def test_only_the_last_n_passwords_are_refused_and_kept(cadre, settings):
    settings.PASSWORD_HISTORY_COUNT = 3
    for number in range(1, 5):
        do_change_password(cadre, f"Rotating-Pass-{number}x")
    assert PasswordHistory.objects.filter(user=cadre).count() == 3
    with pytest.raises(ValidationError) as refused:
        validate_password("Rotating-Pass-2x", cadre)
    assert refused.value.error_list[0].code == "password_reused"
    # Four changes ago: out of the history now.
    validate_password("Initial-Pass-2023", cadre)


def test_history_off_refuses_nothing_and_keeps_nothing(cadre, settings):
    settings.PASSWORD_HISTORY_COUNT = 0
    do_change_password(cadre, "Second-Pass-2024")
    assert not PasswordHistory.objects.filter(user=cadre).exists()
    validate_password("Initial-Pass-2023", cadre)


def test_expired_password_forces_the_change_page_at_login(client, luotian_cadre, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    luotian_cadre.password_changed_at = timezone.now() - datetime.timedelta(days=91)
    luotian_cadre.save(update_fields=["password_changed_at"])
    client.post(LOGIN, {"username": "luotian", "password": PASSWORD})
    response = client.get(HOUSEHOLDS)
    assert response.status_code == 302 and response["Location"] == CHANGE
    page = client.get(CHANGE).content.decode()
    assert "超过规定的使用期限" in page
    luotian_cadre.refresh_from_db()
    assert luotian_cadre.must_change_password
    assert AuditEvent.objects.filter(event="accounts.password_expired", user=luotian_cadre).exists()
    assert change(client, PASSWORD, "Fresh-Pass-2026!").status_code == 302
    assert client.get(HOUSEHOLDS).status_code == 200


def test_recent_password_is_not_expired(client, luotian_cadre, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    luotian_cadre.password_changed_at = timezone.now() - datetime.timedelta(days=89)
    luotian_cadre.save(update_fields=["password_changed_at"])
    client.post(LOGIN, {"username": "luotian", "password": PASSWORD})
    assert client.get(HOUSEHOLDS).status_code == 200


def test_rotation_off_never_expires(luotian_cadre, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0
    luotian_cadre.password_changed_at = timezone.now() - datetime.timedelta(days=3650)
    assert not password_is_expired(luotian_cadre)


def test_unknown_change_time_is_aged_from_the_account(luotian_cadre, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    luotian_cadre.password_changed_at = None
    luotian_cadre.date_joined = timezone.now() - datetime.timedelta(days=100)
    assert password_is_expired(luotian_cadre)
    luotian_cadre.date_joined = timezone.now()
    assert not password_is_expired(luotian_cadre)

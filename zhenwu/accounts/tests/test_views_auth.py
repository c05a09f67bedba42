"""Login, logout, lockout, forced password change, idle timeout, language switch and the
error pages (SECURITY.md 5, 6, 8, 9)."""

import time

import pytest
from django.urls import reverse

from zhenwu.accounts.actions import do_create_user
from zhenwu.core.models import AuditEvent, AuditOutcome
from zhenwu.testing.personas import PASSWORD

LOGIN = "/accounts/login/"


def page(response) -> str:
    return response.content.decode()


def login(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_login_page_is_chinese_and_has_no_inline_script_or_style(client, db):
    response = client.get(LOGIN)
    html = page(response)
    assert response.status_code == 200
    assert "用户名" in html and "密码" in html and 'lang="zh-hans"' in html
    assert "<script>" not in html and "style=" not in html and "<style" not in html
    assert "Content-Security-Policy" in response.headers


def test_login_logs_in_audits_and_lands_on_the_household_list(client, luotian_cadre):
    response = login(client, "luotian")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    response = client.get(response["Location"])
    assert response["Location"] == reverse("registry:household_list")
    assert AuditEvent.objects.filter(event="auth.login", user=luotian_cadre).count() == 1


def test_login_rotates_the_session_id(client, luotian_cadre):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    login(client, "luotian")
    assert client.session.session_key != before


def test_login_failure_is_generic_and_audited(client, luotian_cadre):
    wrong_password = page(login(client, "luotian", "wrong-Password-1"))
    unknown_user = page(login(client, "no-such-user", "wrong-Password-1"))
    message = "用户名或密码不正确。"
    assert message in wrong_password and message in unknown_user
    for html in (wrong_password, unknown_user):
        assert "不存在" not in html and "停用" not in html
    failures = AuditEvent.objects.filter(event="auth.login_failed")
    assert sorted(failures.values_list("username", flat=True)) == ["luotian", "no-such-user"]
    assert {e.outcome for e in failures} == {AuditOutcome.FAILURE}
    assert all("wrong-Password-1" not in str(e.data) for e in failures)


def test_inactive_user_gets_the_same_generic_error(client, luotian_cadre):
    luotian_cadre.is_active = False
    luotian_cadre.save(update_fields=["is_active"])
    html = page(login(client, "luotian"))
    assert "用户名或密码不正确。" in html


def test_lockout_after_five_failures(client, luotian_cadre):
    for _ in range(4):
        assert login(client, "luotian", "wrong-Password-1").status_code == 200
    locked = login(client, "luotian", "wrong-Password-1")
    assert locked.status_code == 429
    assert "账号已暂时锁定" in page(locked)
    # Even the right password is refused while locked.
    again = login(client, "luotian")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(event="auth.login_failed", username="luotian").count() >= 5


def test_logout_needs_post_flushes_the_session_and_is_audited(client, luotian_cadre):
    login(client, "luotian")
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(event="auth.logout", user=luotian_cadre).exists()
    assert client.get(reverse("registry:household_list")).status_code == 302


def test_nav_offers_logout_as_a_post_form(client, luotian_cadre, luotian_household):
    client.force_login(luotian_cadre)
    html = page(client.get(reverse("registry:household_list")))
    assert 'action="/accounts/logout/" method="post"' in html


@pytest.fixture
def new_user(township_officer, luotian):
    return do_create_user(
        username="newcadre",
        password="Initial-Pass-2023",
        area=luotian,
        role="village_cadre",
        actor=township_officer,
    )


def test_first_login_forces_a_password_change(client, new_user):
    assert new_user.must_change_password
    login(client, "newcadre", "Initial-Pass-2023")
    response = client.get(reverse("registry:household_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    change_page = page(client.get(reverse("accounts:password_change")))
    assert "请先设置新密码" in change_page
    assert "<li>你的密码必须包含至少 10 个字符。</li>" in change_page  # the rules, as a list

    weak = client.post(
        reverse("accounts:password_change"),
        {"old_password": "Initial-Pass-2023", "new_password1": "abc", "new_password2": "abc"},
    )
    assert weak.status_code == 200 and "errorlist" in page(weak)
    new_user.refresh_from_db()
    assert new_user.must_change_password

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Initial-Pass-2023",
            "new_password1": "Better-Pass-2024!",
            "new_password2": "Better-Pass-2024!",
        },
    )
    assert response.status_code == 302
    new_user.refresh_from_db()
    assert not new_user.must_change_password and new_user.check_password("Better-Pass-2024!")
    assert AuditEvent.objects.filter(event="accounts.password_changed", user=new_user).exists()
    # The session survives the change; the pages open now.
    assert client.get(reverse("registry:household_list")).status_code == 200


def test_password_change_needs_the_current_password(client, luotian_cadre):
    client.force_login(luotian_cadre)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "not-it",
            "new_password1": "Better-Pass-2024!",
            "new_password2": "Better-Pass-2024!",
        },
    )
    assert "当前密码不正确" in page(response)


def test_password_change_ends_other_sessions(client, luotian_cadre):
    from django.test import Client

    other = Client()
    other.force_login(luotian_cadre)
    assert other.get(reverse("registry:household_list")).status_code == 200
    client.force_login(luotian_cadre)
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Better-Pass-2024!",
            "new_password2": "Better-Pass-2024!",
        },
    )
    assert client.get(reverse("registry:household_list")).status_code == 200
    assert other.get(reverse("registry:household_list")).status_code == 302


def test_idle_timeout_logs_out(client, luotian_cadre, settings):
    client.force_login(luotian_cadre)
    assert client.get(reverse("registry:household_list")).status_code == 200
    session = client.session
    session["zhenwu_last_seen"] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    response = client.get(reverse("registry:household_list"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN + "?timeout=1"
    assert "长时间未操作" in page(client.get(response["Location"]))
    assert AuditEvent.objects.filter(event="auth.logout", user=luotian_cadre).exists()
    assert client.get(reverse("registry:household_list")).status_code == 302


def test_language_switch_to_english(client, luotian_cadre, luotian_household):
    client.force_login(luotian_cadre)
    list_url = reverse("registry:household_list")
    response = client.post("/i18n/setlang/", {"language": "en", "next": list_url})
    assert response.status_code == 302
    html = page(client.get(list_url))
    assert 'lang="en"' in html
    assert "Households" in html and "Log out" in html
    assert "农户档案" not in html


def test_landing_page_follows_the_roles(client, auditor, system_admin, no_membership_user):
    client.force_login(system_admin)
    assert client.get(reverse("accounts:home"))["Location"] == reverse("accounts:user_list")
    client.force_login(auditor)
    location = client.get(reverse("accounts:home"))["Location"]
    assert location != reverse("registry:household_list")
    client.force_login(no_membership_user)
    assert client.get(reverse("accounts:home"))["Location"] == reverse("accounts:profile")
    assert "未分配角色" in page(client.get(reverse("accounts:profile")))


def test_missing_permission_is_a_403_page(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("registry:household_list"))
    assert response.status_code == 403
    assert "无权访问" in page(response)


def test_nav_shows_only_what_the_user_may_use(client, luotian_cadre, township_officer):
    client.force_login(luotian_cadre)
    html = page(client.get(reverse("accounts:profile")))
    assert "农户档案" in html and "用户管理" not in html
    client.force_login(township_officer)
    html = page(client.get(reverse("accounts:profile")))
    assert "农户档案" in html and "用户管理" in html


def test_demo_banner_only_in_demo_mode(client, luotian_cadre, settings):
    client.force_login(luotian_cadre)
    assert "演示模式" not in page(client.get(reverse("accounts:profile")))
    settings.DEMO_MODE = True
    assert "演示模式" in page(client.get(reverse("accounts:profile")))

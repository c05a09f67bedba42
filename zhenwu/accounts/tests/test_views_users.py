"""User management pages: a manager sees and changes only accounts inside the subtree."""

import pytest
from django.urls import reverse

from zhenwu.accounts.actions import do_create_user, do_grant_membership
from zhenwu.accounts.models import Membership, User
from zhenwu.core.models import AuditEvent

USERS = "/accounts/users/"


def page(response) -> str:
    return response.content.decode()


def create_post(area_code: str, role: str = "village_cadre", **overrides) -> dict:
    data = {
        "username": "lt-cadre2",
        "display_name": "螺田村网格员",
        "area": area_code,
        "role": role,
        "password1": "Initial-Pass-2023",
        "password2": "Initial-Pass-2023",
    }
    data.update(overrides)
    return data


def test_township_officer_lists_only_users_of_the_township(
    client, township_officer, luotian_cadre, makou_cadre, district_officer, auditor, system_admin
):
    client.force_login(township_officer)
    html = page(client.get(USERS))
    assert "luotian" in html and "makou" in html and "township" in html
    for outside in ("district", "auditor", "sysadmin", "clerk"):
        assert f">{outside}<" not in html


def test_district_officer_lists_the_whole_district(
    client, district_officer, luotian_cadre, makou_cadre
):
    client.force_login(district_officer)
    html = page(client.get(USERS))
    assert ">luotian<" in html and ">makou<" in html and ">auditor<" in html


@pytest.mark.parametrize(
    "persona", ["luotian_cadre", "auditor", "department_clerk", "no_membership_user"]
)
def test_user_pages_need_manage_users(request, client, persona, luotian_cadre):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(USERS).status_code == 403
    assert client.get(reverse("accounts:user_create")).status_code == 403
    assert client.get(reverse("accounts:user_detail", args=[luotian_cadre.pk])).status_code == 403


def test_user_outside_the_subtree_is_404(client, township_officer, district_officer, auditor):
    client.force_login(township_officer)
    for user in (district_officer, auditor):
        assert client.get(reverse("accounts:user_detail", args=[user.pk])).status_code == 404
        url = reverse("accounts:user_set_active", args=[user.pk])
        assert client.post(url, {"active": "0"}).status_code == 404
    district_officer.refresh_from_db()
    assert district_officer.is_active


def test_create_user_with_initial_password(client, township_officer, luotian):
    client.force_login(township_officer)
    form = page(client.get(reverse("accounts:user_create")))
    assert "螺田村" in form and "赣县区" not in form
    response = client.post(reverse("accounts:user_create"), create_post(luotian.code))
    user = User.objects.get(username="lt-cadre2")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[user.pk])
    assert user.must_change_password and user.check_password("Initial-Pass-2023")
    membership = user.memberships.get()
    assert (membership.area, membership.role) == (luotian, "village_cadre")
    assert membership.granted_by == township_officer
    assert AuditEvent.objects.filter(event="accounts.user_created", user=township_officer).exists()

    client.logout()
    client.post("/accounts/login/", {"username": "lt-cadre2", "password": "Initial-Pass-2023"})
    response = client.get(reverse("registry:household_list"))
    assert response["Location"] == reverse("accounts:password_change")


def test_create_user_rejects_weak_password_and_duplicate_username(
    client, township_officer, luotian, luotian_cadre
):
    client.force_login(township_officer)
    weak = create_post(luotian.code, password1="short", password2="short")
    assert "errorlist" in page(client.post(reverse("accounts:user_create"), weak))
    dup = create_post(luotian.code, username="luotian")
    assert "该用户名已被使用" in page(client.post(reverse("accounts:user_create"), dup))
    assert not User.objects.filter(username="lt-cadre2").exists()


def test_grant_and_revoke_a_role(client, township_officer, luotian_cadre, makou):
    client.force_login(township_officer)
    url = reverse("accounts:user_grant", args=[luotian_cadre.pk])
    response = client.post(url, {"area": makou.code, "role": "village_cadre"})
    assert response.status_code == 302
    assert luotian_cadre.memberships.filter(area=makou).exists()
    assert AuditEvent.objects.filter(event="accounts.role_granted").exists()

    membership = luotian_cadre.memberships.get(area=makou)
    revoke = reverse("accounts:user_revoke", args=[luotian_cadre.pk, membership.pk])
    assert client.post(revoke).status_code == 302
    assert not luotian_cadre.memberships.filter(area=makou).exists()
    assert AuditEvent.objects.filter(event="accounts.role_revoked").exists()

    # The last role stays; deactivation is the way to remove all access.
    last = luotian_cadre.memberships.get()
    client.post(reverse("accounts:user_revoke", args=[luotian_cadre.pk, last.pk]))
    assert Membership.objects.filter(pk=last.pk).exists()


def test_deactivate_and_reactivate(client, township_officer, luotian_cadre):
    client.force_login(township_officer)
    url = reverse("accounts:user_set_active", args=[luotian_cadre.pk])
    assert client.post(url, {"active": "0"}).status_code == 302
    luotian_cadre.refresh_from_db()
    assert not luotian_cadre.is_active
    assert AuditEvent.objects.filter(event="accounts.user_deactivated").exists()
    assert client.post(url, {"active": "1"}).status_code == 302
    luotian_cadre.refresh_from_db()
    assert luotian_cadre.is_active


def test_deactivated_user_is_logged_out(client, township_officer, luotian_cadre):
    from django.test import Client

    cadre_client = Client()
    cadre_client.force_login(luotian_cadre)
    assert cadre_client.get(reverse("registry:household_list")).status_code == 200
    client.force_login(township_officer)
    client.post(reverse("accounts:user_set_active", args=[luotian_cadre.pk]), {"active": "0"})
    assert cadre_client.get(reverse("registry:household_list")).status_code == 302


def test_manager_cannot_deactivate_or_strip_themselves(client, township_officer, shadi):
    client.force_login(township_officer)
    client.post(reverse("accounts:user_set_active", args=[township_officer.pk]), {"active": "0"})
    township_officer.refresh_from_db()
    assert township_officer.is_active


def test_user_detail_hides_grant_form_for_own_account(client, township_officer):
    client.force_login(township_officer)
    html = page(client.get(reverse("accounts:user_detail", args=[township_officer.pk])))
    assert "授予角色" not in html and "停用账号" not in html


def test_system_admin_sees_users_but_cannot_create(client, system_admin, luotian_cadre):
    client.force_login(system_admin)
    html = page(client.get(USERS))
    assert ">luotian<" in html and "新建用户" not in html
    assert client.get(reverse("accounts:user_create")).status_code == 403


def test_user_with_a_membership_outside_stays_invisible(
    client, township_officer, district_officer, luotian, shadi
):
    """A district-level account that also holds a village role is not the township's."""
    user = do_create_user(
        username="mixed", password="Initial-Pass-2023", area=luotian, role="village_cadre"
    )
    do_grant_membership(user, area=district_officer.memberships.get().area, role="district_officer")
    client.force_login(township_officer)
    assert ">mixed<" not in page(client.get(USERS))
    assert client.get(reverse("accounts:user_detail", args=[user.pk])).status_code == 404

"""Bounded delegation and separation of duties (SECURITY.md 2, 3), through the actions and
through the user-management pages."""

import pytest
from django.urls import reverse

from zhenwu.accounts.actions import do_create_user, do_grant_membership, do_set_active
from zhenwu.accounts.models import User
from zhenwu.accounts.policy import has_perm
from zhenwu.accounts.roles import ADMIN_TRIAD, ROLE_PERMISSIONS, Perm, Role
from zhenwu.accounts.selectors import grantable_areas, grantable_roles
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.core.errors import DomainError

HIGHER_OR_ADMIN = [
    Role.DISTRICT_OFFICER,
    Role.AUDITOR,
    Role.SYSTEM_ADMIN,
    Role.SECURITY_ADMIN,
]


@pytest.fixture
def other_township(world):
    """A second township under 赣县区, outside 沙地镇."""
    district = world.areas["district"]
    township = Area.objects.create(
        code="360704102", name="江口镇", level=AreaLevel.TOWNSHIP, parent=district
    )
    return Area.objects.create(
        code="360704102201", name="江口村", level=AreaLevel.VILLAGE, parent=township
    )


@pytest.mark.parametrize("role", HIGHER_OR_ADMIN)
def test_township_officer_cannot_grant_higher_or_admin_roles(township_officer, shadi, role):
    with pytest.raises(DomainError) as caught:
        do_create_user(
            username="x1",
            password="Initial-Pass-2023",
            area=shadi,
            role=role,
            actor=township_officer,
        )
    assert caught.value.code == "role_not_grantable"
    assert not User.objects.filter(username="x1").exists()


def test_township_officer_grants_roles_up_to_their_own_inside_the_township(
    township_officer, luotian, shadi
):
    assert grantable_roles(township_officer) == [
        Role.TOWNSHIP_OFFICER,
        Role.VILLAGE_CADRE,
        Role.DEPARTMENT_CLERK,
    ]
    codes = set(grantable_areas(township_officer).values_list("code", flat=True))
    assert shadi.code in codes and luotian.code in codes and "360704" not in codes
    user = do_create_user(
        username="x2",
        password="Initial-Pass-2023",
        area=luotian,
        role=Role.VILLAGE_CADRE,
        actor=township_officer,
    )
    assert user.memberships.get().role == Role.VILLAGE_CADRE


def test_township_officer_cannot_create_users_outside_the_township(
    township_officer, world, other_township
):
    for area in (world.areas["district"], other_township):
        with pytest.raises(DomainError) as caught:
            do_create_user(
                username="x3",
                password="Initial-Pass-2023",
                area=area,
                role=Role.VILLAGE_CADRE,
                actor=township_officer,
            )
        assert caught.value.code == "role_not_grantable"


def test_village_cadre_cannot_delegate(luotian_cadre, luotian):
    assert grantable_roles(luotian_cadre) == []
    with pytest.raises(DomainError):
        do_create_user(
            username="x4",
            password="Initial-Pass-2023",
            area=luotian,
            role=Role.VILLAGE_CADRE,
            actor=luotian_cadre,
        )


def test_township_officer_cannot_deactivate_a_district_account(township_officer, district_officer):
    with pytest.raises(DomainError):
        do_set_active(district_officer, active=False, actor=township_officer)


def test_user_form_offers_no_higher_role_and_refuses_a_forged_one(
    client, township_officer, shadi, luotian, other_township
):
    client.force_login(township_officer)
    html = client.get(reverse("accounts:user_create")).content.decode()
    for role in HIGHER_OR_ADMIN:
        assert f'value="{role}"' not in html
    assert "江口" not in html and 'value="360704"' not in html

    base = {
        "username": "forged",
        "password1": "Initial-Pass-2023",
        "password2": "Initial-Pass-2023",
    }
    forged = [
        {"area": shadi.code, "role": Role.DISTRICT_OFFICER},
        {"area": shadi.code, "role": Role.SYSTEM_ADMIN},
        {"area": shadi.code, "role": Role.AUDITOR},
        {"area": other_township.code, "role": Role.VILLAGE_CADRE},
        {"area": "360704", "role": Role.VILLAGE_CADRE},
    ]
    for data in forged:
        response = client.post(reverse("accounts:user_create"), {**base, **data})
        assert response.status_code == 200
        assert "errorlist" in response.content.decode()
    assert not User.objects.filter(username="forged").exists()


def test_grant_page_refuses_a_forged_role(client, township_officer, luotian_cadre, shadi):
    client.force_login(township_officer)
    url = reverse("accounts:user_grant", args=[luotian_cadre.pk])
    for role in HIGHER_OR_ADMIN:
        assert client.post(url, {"area": shadi.code, "role": role}).status_code == 400
    assert set(luotian_cadre.memberships.values_list("role", flat=True)) == {Role.VILLAGE_CADRE}


def test_admin_triad_roles_never_combine(world):
    district = world.areas["district"]
    user = do_create_user(
        username="admin1", password="Initial-Pass-2023", area=district, role=Role.SYSTEM_ADMIN
    )
    for role in (Role.AUDITOR, Role.SECURITY_ADMIN, Role.TOWNSHIP_OFFICER):
        with pytest.raises(DomainError) as caught:
            do_grant_membership(user, area=district, role=role)
        assert caught.value.code == "separation_of_duties"


def test_officer_cannot_become_an_administrator(township_officer, world):
    with pytest.raises(DomainError) as caught:
        do_grant_membership(township_officer, area=world.areas["district"], role=Role.AUDITOR)
    assert caught.value.code == "separation_of_duties"


def test_administrators_read_no_household_data(auditor, system_admin):
    for role in ADMIN_TRIAD:
        assert not {Perm.VIEW_REGISTRY, Perm.VIEW_SENSITIVE} & ROLE_PERMISSIONS[role]
    for user in (auditor, system_admin):
        assert not has_perm(user, Perm.VIEW_REGISTRY)

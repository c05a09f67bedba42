"""Member endpoints of the API and what every response may contain: masked ID numbers
without birth digits, masked phones, protected fields left out for roles that do not
need them (SECURITY.md 4, 10)."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhenwu.accounts.roles import ROLE_PERMISSIONS, Perm, Role
from zhenwu.api.tests.helpers import client_for, error_fields, get, patch, post
from zhenwu.core.models import AuditEvent
from zhenwu.lib.ids import build_id_number, check_digit
from zhenwu.registry.actions import do_record_income, do_update_person
from zhenwu.testing.personas import test_id_number

pytestmark = pytest.mark.django_db

PROTECTED_PERSON_KEYS = {"health", "disability", "bank_account_masked"}


@pytest.fixture
def head(luotian_household, township_officer):
    """The head of LT0001 with a disability, a bank account and a phone on record."""
    person = luotian_household.members.get(relation="head")
    do_update_person(
        person,
        actor=township_officer,
        expected_version=person.version,
        changes={
            "health": "disabled",
            "disability": "肢体三级",
            "bank_account": "6217001234567890123",
            "phone": "13912345678",
        },
    )
    do_record_income(
        luotian_household,
        actor=township_officer,
        year=2023,
        components={"wage_income": "24000.00", "transfer_income": "3600.00"},
    )
    person.refresh_from_db()
    return person


@pytest.fixture
def view_only_cadres(monkeypatch):
    """A registry role without registry.view_sensitive (e.g. a helper who only visits)."""
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.VILLAGE_CADRE, frozenset({Perm.VIEW_REGISTRY}))


def responses_about(client, household, person):
    return {
        "household": get(client, f"/households/{household.public_id}"),
        "household_list": get(client, "/households"),
        "person": get(client, f"/persons/{person.public_id}"),
        "person_list": get(client, "/persons"),
    }


# --- Field-level permission (SECURITY.md 4) --------------------------------------------------


def test_officer_sees_protected_fields_with_bank_masked(request, head, luotian_household):
    client = client_for(request, "township_officer")
    body = get(client, f"/persons/{head.public_id}").json()
    assert body["health"] == "disabled"
    assert body["disability"] == "肢体三级"
    assert body["bank_account_masked"] == "***************0123"
    household = get(client, f"/households/{luotian_household.public_id}").json()
    assert household["incomes"][0]["year"] == 2023
    assert household["incomes"][0]["net_income"] == "27600.00"


def test_cadre_sees_health_and_income_but_no_bank_key(request, head, luotian_household):
    for persona in ("luotian_cadre", "luotian_token"):
        client = client_for(request, persona)
        body = get(client, f"/persons/{head.public_id}").json()
        assert body["health"] == "disabled"
        assert "bank_account_masked" not in body
        household = get(client, f"/households/{luotian_household.public_id}").json()
        assert "incomes" in household
        assert all("bank_account_masked" not in m for m in household["members"])


def test_protected_keys_are_absent_without_view_sensitive(
    request, head, luotian_household, view_only_cadres
):
    client = client_for(request, "luotian_cadre")
    found = responses_about(client, luotian_household, head)
    household = found["household"].json()
    assert "incomes" not in household
    members = household["members"] + found["person_list"].json()["items"]
    members.append(found["person"].json())
    for member in members:
        assert PROTECTED_PERSON_KEYS.isdisjoint(member)
    for response in found.values():
        text = response.content.decode()
        assert "肢体三级" not in text and "disabled" not in text and "27600" not in text


def test_writing_a_protected_field_needs_the_right_to_read_it(request, head):
    client = client_for(request, "luotian_cadre")
    response = patch(
        client,
        f"/persons/{head.public_id}",
        {"version": head.version, "bank_account": "6222000011112222"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    head.refresh_from_db()
    assert head.bank_account == "6217001234567890123"


def test_without_view_sensitive_health_cannot_be_written(request, head, view_only_cadres):
    client = client_for(request, "luotian_cadre")
    response = patch(
        client, f"/persons/{head.public_id}", {"version": head.version, "health": "healthy"}
    )
    assert response.status_code == 403
    head.refresh_from_db()
    assert head.health == "disabled"


# --- Masking (SECURITY.md 10) -----------------------------------------------------------------


def test_no_response_shows_a_full_id_number_phone_or_birth_date(request, head, luotian_household):
    members = list(luotian_household.members.all())
    for persona in ("township_officer", "luotian_cadre", "luotian_token"):
        client = client_for(request, persona)
        for name, response in responses_about(client, luotian_household, head).items():
            assert response.status_code == 200, name
            text = response.content.decode()
            assert "13912345678" not in text and "6217001234567890123" not in text
            for member in members:
                assert member.id_number not in text
                assert member.birth_date.strftime("%Y%m%d") not in text
                assert member.birth_date.isoformat() not in text
    body = get(client_for(request, "township_officer"), f"/persons/{head.public_id}").json()
    assert body["id_masked"] == head.id_number[:3] + "*" * 11 + head.id_number[-4:]
    assert body["phone_masked"] == "139****5678"
    assert "id_number" not in body and "birth_date" not in body


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    birth_date=st.dates(datetime.date(1930, 1, 1), datetime.date(2020, 12, 31)),
    sequence=st.integers(0, 999),
)
def test_created_member_never_shows_birth_digits(request, luotian_household, birth_date, sequence):
    id_number = build_id_number("360721", birth_date, sequence)
    client = client_for(request, "township_officer")
    created = post(
        client,
        f"/households/{luotian_household.public_id}/persons",
        {"name": "测试", "id_number": id_number, "relation": "other"},
    )
    if created.status_code == 400:  # the same number drawn twice
        assert created.json()["code"] == "duplicate_id_number"
        return
    assert created.status_code == 201, created.content
    shown = [created, get(client, f"/persons/{created.json()['public_id']}")]
    for response in shown:
        body = response.json()
        assert body["id_masked"] == id_number[:3] + "*" * 11 + id_number[-4:]
        assert id_number[6:14] not in body["id_masked"]
        assert id_number not in response.content.decode()
        assert id_number[6:14] not in response.content.decode()


# --- Member endpoints -------------------------------------------------------------------------


def test_add_member_derives_sex_and_age_from_the_id_number(request, luotian_household):
    id_number = test_id_number(datetime.date(2000, 6, 1))
    response = post(
        client_for(request, "luotian_cadre"),
        f"/households/{luotian_household.public_id}/persons",
        {
            "name": "张小红",
            "id_number": id_number.lower(),
            "relation": "daughter",
            "health": "chronic",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["household_number"] == "LT0001"
    assert body["sex"] == ("1" if int(id_number[16]) % 2 else "2")
    assert body["age"] >= 25
    assert body["health"] == "chronic"
    assert luotian_household.members.get(name="张小红").id_number == id_number


def with_check_digit(first17: str) -> str:
    return first17 + check_digit(first17)


@pytest.mark.parametrize(
    ("id_number", "fragment"),
    [
        ("36072120000601123", "18"),
        ("360721200006011230", "校验"),
        (with_check_digit("36072120991301123"), "出生"),
    ],
)
def test_bad_id_number_is_a_422_on_the_field(request, luotian_household, id_number, fragment):
    response = post(
        client_for(request, "luotian_cadre"),
        f"/households/{luotian_household.public_id}/persons",
        {"name": "某人", "id_number": id_number, "relation": "other"},
    )
    assert response.status_code == 422
    assert error_fields(response) == {"id_number"}
    assert fragment in response.json()["errors"][0]["message"]


def test_a_blank_name_is_refused(request, luotian_household):
    response = post(
        client_for(request, "luotian_cadre"),
        f"/households/{luotian_household.public_id}/persons",
        {
            "name": "   ",
            "id_number": test_id_number(datetime.date(1990, 1, 1)),
            "relation": "other",
        },
    )
    assert response.status_code == 422
    assert error_fields(response) == {"name"}


def test_duplicate_id_number_is_refused(request, luotian_household, makou_household):
    taken = makou_household.members.first().id_number
    response = post(
        client_for(request, "luotian_cadre"),
        f"/households/{luotian_household.public_id}/persons",
        {"name": "某人", "id_number": taken, "relation": "other"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_id_number"
    assert not luotian_household.members.filter(name="某人").exists()


def test_person_stale_version_is_a_409(request, head):
    client = client_for(request, "luotian_cadre")
    path = f"/persons/{head.public_id}"
    assert patch(client, path, {"version": head.version, "work_months": 3}).status_code == 200
    stale = patch(client, path, {"version": head.version, "work_months": 9})
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    head.refresh_from_db()
    assert head.work_months == 3


def test_person_rename_updates_search(request, head):
    client = client_for(request, "luotian_cadre")
    response = patch(
        client, f"/persons/{head.public_id}", {"version": head.version, "name": "张三峰"}
    )
    assert response.status_code == 200
    found = get(client, "/persons", {"q": "张三峰"}).json()["items"]
    assert [p["public_id"] for p in found] == [str(head.public_id)]


def test_person_detail_and_search_are_audited(request, head, luotian_household):
    client = client_for(request, "luotian_cadre")
    get(client, f"/persons/{head.public_id}")
    viewed = AuditEvent.objects.filter(event="registry.person_viewed").last()
    assert (viewed.username, viewed.object_id) == ("luotian", str(head.public_id))

    get(client, "/persons", {"q": head.id_last4, "household": str(luotian_household.public_id)})
    search = AuditEvent.objects.filter(event="registry.search").last()
    assert search.object_type == "registry.person"
    assert search.data == {
        "query_kind": "last4:" + head.id_last4,
        "filters": {"household": str(luotian_household.public_id)},
        "count": 1,
    }


def test_person_filter_by_household_of_another_village_is_empty(request, makou_household):
    response = get(
        client_for(request, "luotian_cadre"),
        "/persons",
        {"household": str(makou_household.public_id)},
    )
    assert response.status_code == 200
    assert response.json()["items"] == []

"""Registry actions: invariants, optimistic locking, encryption at rest, audit rows."""

import datetime

import pytest
from django.db import connection

from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.registry.actions import (
    do_add_person,
    do_create_household,
    do_record_income,
    do_reveal,
    do_update_household,
    do_update_person,
)
from zhenwu.registry.models import Household, Person
from zhenwu.testing.personas import test_id_number


def events(name):
    return list(AuditEvent.objects.filter(event=name).order_by("id"))


def test_create_household_writes_one_masked_audit_row(township_officer, luotian):
    household = do_create_household(
        actor=township_officer, village=luotian, data={"number": "LT9001", "phone": "13812345678"}
    )
    [row] = events("registry.household_created")
    assert row.object_id == str(household.public_id)
    assert row.user == township_officer
    assert row.data["after"]["phone"] == "138****5678"
    assert "13812345678" not in str(row.data)


def test_cadre_cannot_create_in_another_village_and_nothing_is_written(luotian_cadre, makou):
    with pytest.raises(DomainError) as error:
        do_create_household(actor=luotian_cadre, village=makou, data={"number": "MK9001"})
    assert error.value.code == "out_of_scope"
    assert not Household.objects.filter(number="MK9001").exists()


@pytest.mark.parametrize("persona", ["auditor", "system_admin", "no_membership_user"])
def test_roles_without_registry_rights_cannot_write(persona, request, luotian):
    user = request.getfixturevalue(persona)
    with pytest.raises(DomainError) as error:
        do_create_household(actor=user, village=luotian, data={"number": "X1"})
    assert error.value.code == "permission_denied"


def test_household_must_be_in_a_village_not_the_township(township_officer, shadi):
    with pytest.raises(DomainError) as error:
        do_create_household(actor=township_officer, village=shadi, data={"number": "T1"})
    assert error.value.code == "area_level"


def test_cadre_cannot_move_a_household_out_of_scope(luotian_household, luotian_cadre, makou):
    with pytest.raises(DomainError) as error:
        do_update_household(
            luotian_household,
            actor=luotian_cadre,
            expected_version=luotian_household.version,
            changes={},
            village=makou,
        )
    assert error.value.code == "out_of_scope"
    luotian_household.refresh_from_db()
    assert luotian_household.village.name == "螺田村"


def test_stale_edit_gets_a_conflict_not_a_silent_overwrite(
    luotian_household, township_officer, luotian_cadre
):
    first_view = Household.objects.get(pk=luotian_household.pk)
    second_view = Household.objects.get(pk=luotian_household.pk)
    do_update_household(
        first_view,
        actor=township_officer,
        expected_version=first_view.version,
        changes={"address": "上屋1号"},
    )
    with pytest.raises(DomainError) as error:
        do_update_household(
            second_view,
            actor=luotian_cadre,
            expected_version=second_view.version,
            changes={"address": "下屋2号"},
        )
    assert error.value.code == "conflict"
    luotian_household.refresh_from_db()
    assert luotian_household.address == "上屋1号"
    assert luotian_household.version == 2


def test_update_audit_row_lists_only_changed_fields(luotian_household, township_officer):
    do_update_household(
        luotian_household,
        actor=township_officer,
        expected_version=luotian_household.version,
        changes={"address": "上屋3号", "no_labour": False},
    )
    [row] = events("registry.household_updated")
    assert row.data["changes"] == {"address": ["", "上屋3号"]}


def test_id_number_is_encrypted_at_rest_and_unique_through_the_blind_index(
    luotian_household, makou_household, township_officer
):
    head = luotian_household.members.get(relation="head")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, health FROM registry_person WHERE id = %s", [head.pk])
        stored_id, stored_health = cursor.fetchone()
    assert head.id_number not in stored_id and stored_id.startswith("v1:")
    assert stored_health != "healthy"
    with pytest.raises(DomainError) as error:
        do_add_person(
            makou_household,
            actor=township_officer,
            name="冒名",
            id_number=head.id_number.lower(),
            data={"relation": "other"},
        )
    assert error.value.code == "duplicate_id_number"


def test_invalid_id_number_is_refused_with_its_reason(luotian_household, township_officer):
    with pytest.raises(DomainError) as error:
        do_add_person(
            luotian_household,
            actor=township_officer,
            name="错号",
            id_number="360721196803051000",
            data={"relation": "other"},
        )
    assert error.value.code == "invalid_id_number"
    assert error.value.params["reason"] == "checksum"


def test_person_update_logs_protected_fields_without_their_values(
    luotian_household, township_officer
):
    person = luotian_household.members.get(relation="spouse")
    do_update_person(
        person,
        actor=township_officer,
        expected_version=person.version,
        changes={"health": "serious", "bank_account": "6217001234567890123"},
    )
    [row] = events("registry.person_updated")
    assert set(row.data["changes"]) == {"health", "bank_account"}
    assert "serious" not in str(row.data) and "6217001234567890123" not in str(row.data)


def test_changing_the_id_number_rederives_sex_birth_date_and_mask(
    luotian_household, township_officer
):
    person = luotian_household.members.get(relation="son")
    new_number = test_id_number(datetime.date(2011, 12, 24))
    do_update_person(
        person,
        actor=township_officer,
        expected_version=person.version,
        changes={},
        id_number=new_number,
    )
    person = Person.objects.get(pk=person.pk)
    assert person.birth_date == datetime.date(2011, 12, 24)
    assert person.id_masked == new_number[:3] + "*" * 11 + new_number[-4:]
    assert person.id_number == new_number


def test_reveal_needs_permission_and_reason_and_is_audited(
    luotian_household, township_officer, luotian_cadre
):
    head = luotian_household.members.get(relation="head")
    with pytest.raises(DomainError) as error:
        do_reveal(head, actor=luotian_cadre, field="id_number", reason="入户核实需要")
    assert error.value.code == "permission_denied"
    with pytest.raises(DomainError) as error:
        do_reveal(head, actor=township_officer, field="id_number", reason=" ")
    assert error.value.code == "reason_required"
    assert (
        do_reveal(head, actor=township_officer, field="id_number", reason="核对医保数据")
        == head.id_number
    )
    [row] = events("registry.value_revealed")
    assert row.data == {"field": "id_number", "reason": "核对医保数据"}


def test_income_record_computes_net_and_per_capita(luotian_household, township_officer):
    record = do_record_income(
        luotian_household,
        actor=township_officer,
        year=2022,
        components={
            "wage_income": 24000,
            "business_income": 6000,
            "property_income": 0,
            "transfer_income": 1500,
            "production_cost": 2000,
        },
    )
    assert str(record.net_income) == "29500.00"
    assert str(record.per_capita_net_income) == "9833.33"
    again = do_record_income(
        luotian_household, actor=township_officer, year=2022, components={"wage_income": 30000}
    )
    assert again.pk == record.pk and str(again.net_income) == "35500.00"


def test_when_the_audit_row_cannot_be_written_the_change_fails(
    township_officer, luotian, monkeypatch
):
    from zhenwu.core import audit

    def broken_record(*args, **kwargs):
        raise RuntimeError("audit storage unavailable")

    monkeypatch.setattr(audit, "record", broken_record)
    with pytest.raises(RuntimeError):
        do_create_household(actor=township_officer, village=luotian, data={"number": "LT7777"})
    assert not Household.objects.filter(number="LT7777").exists()

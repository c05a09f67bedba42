"""农户自主申报 (action): ID validation, matching by blind index, dedup without telling the
declarant, rate limits per IP and per ID number, audit rows with a masked ID only."""

import datetime

import pytest

from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent, RateLimitEvent
from zhenwu.monitoring.actions import clues as clue_actions
from zhenwu.monitoring.actions.clues import do_report_clue, do_submit_self_declaration
from zhenwu.monitoring.models import Clue
from zhenwu.testing.personas import test_id_number

pytestmark = pytest.mark.django_db


def head_id(household):
    """The full ID number of the household head (tests may read the encrypted field)."""
    return household.members.get(relation="head").id_number


def declare(village, id_number, ip="10.0.0.1", **extra):
    data = {
        "name": "张三丰",
        "id_number": id_number,
        "village": village,
        "phone": "13800001234",
        "risk_types": ["illness"],
        "description": "住院花费大",
        "ip": ip,
        **extra,
    }
    return do_submit_self_declaration(**data)


def test_valid_id_creates_a_clue_matched_to_the_household(luotian, luotian_household):
    number = head_id(luotian_household)
    clue = declare(luotian, number.lower())  # a lowercase x or spaces are normalised
    assert clue.channel == "self_declared" and clue.status == "new"
    assert clue.household == luotian_household
    assert clue.person.relation == "head"
    assert clue.declarant_id_number == number and clue.declarant_name == "张三丰"
    assert clue.declarant_id_hash and clue.declarant_id_hash == clue.person.id_hash
    assert clue.created_by is None


def test_declarant_elsewhere_gives_an_unmatched_clue(makou, luotian_household):
    """Registered in 螺田村 but declaring for 马口村: staff match it; no household attached."""
    clue = declare(makou, head_id(luotian_household))
    assert clue.household is None and clue.person is None and clue.village == makou


def test_unknown_id_still_creates_a_clue(luotian):
    clue = declare(luotian, test_id_number(datetime.date(1980, 1, 1)))
    assert clue.household is None and clue.channel == "self_declared"


@pytest.mark.parametrize("bad", ["", "12345", "36072119800101001X", "3607211980010100AB"])
def test_invalid_id_is_refused_and_nothing_is_written(luotian, bad):
    audits, limits = AuditEvent.objects.count(), RateLimitEvent.objects.count()
    with pytest.raises(DomainError) as error:
        declare(luotian, bad)
    assert error.value.code == "invalid_id_number"
    assert error.value.params["reason"] in {"length", "format", "checksum", "birth_date"}
    assert not Clue.objects.exists()
    assert AuditEvent.objects.count() == audits
    assert RateLimitEvent.objects.count() == limits


def test_a_town_is_not_a_village(shadi):
    with pytest.raises(DomainError) as error:
        declare(shadi, test_id_number(datetime.date(1980, 1, 1)))
    assert error.value.code == "area_level"


def test_audit_row_has_only_the_masked_id(luotian, luotian_household):
    number = head_id(luotian_household)
    clue = declare(luotian, number)
    row = AuditEvent.objects.get(event="monitoring.self_declaration_received")
    assert row.object_id == str(clue.public_id) and row.user is None
    assert row.data["id_masked"] != number and row.data["id_masked"].endswith(number[-4:])
    text = str(row.data)
    assert number not in text and "13800001234" not in text and "张三丰" not in text


def test_duplicate_declaration_adds_a_note_not_a_clue(luotian, luotian_household):
    number = head_id(luotian_household)
    first = declare(luotian, number)
    again = declare(luotian, number, description="又生病了", ip="10.0.0.2")
    assert again.pk == first.pk and Clue.objects.count() == 1
    first.refresh_from_db()
    assert "又生病了" in first.description
    assert AuditEvent.objects.filter(event="monitoring.self_declaration_duplicate").count() == 1


def test_declaration_for_a_household_with_an_open_cadre_clue_joins_it(
    luotian_cadre, luotian, luotian_household
):
    cadre_clue = do_report_clue(
        actor=luotian_cadre,
        village=luotian,
        channel="cadre_screening",
        reported_on=datetime.date(2023, 3, 1),
        household=luotian_household,
    )
    assert declare(luotian, head_id(luotian_household)).pk == cadre_clue.pk
    assert Clue.objects.count() == 1


def test_unmatched_duplicate_is_recognised_by_the_id_hash(luotian):
    number = test_id_number(datetime.date(1975, 5, 5))
    first = declare(luotian, number)
    assert declare(luotian, number, ip="10.0.0.9").pk == first.pk


def test_rate_limit_per_ip(luotian):
    for _ in range(clue_actions.DECLARATIONS_PER_IP):
        declare(luotian, test_id_number(datetime.date(1980, 1, 1)), ip="10.9.9.9")
    with pytest.raises(DomainError) as error:
        declare(luotian, test_id_number(datetime.date(1980, 1, 1)), ip="10.9.9.9")
    assert error.value.code == "rate_limited"
    assert Clue.objects.count() == clue_actions.DECLARATIONS_PER_IP
    refused = AuditEvent.objects.get(event="monitoring.self_declaration_refused")
    assert refused.outcome == "denied" and refused.data["limit"] == "declare_ip"
    # Another address is not affected.
    declare(luotian, test_id_number(datetime.date(1980, 1, 1)), ip="10.9.9.10")


def test_rate_limit_per_id_number(luotian):
    number = test_id_number(datetime.date(1980, 1, 1))
    for index in range(clue_actions.DECLARATIONS_PER_ID):
        declare(luotian, number, ip=f"10.1.1.{index}")
    with pytest.raises(DomainError) as error:
        declare(luotian, number, ip="10.1.1.200")
    assert error.value.code == "rate_limited"
    refused = AuditEvent.objects.get(event="monitoring.self_declaration_refused")
    assert refused.data["limit"] == "declare_id" and number not in str(refused.data)


def test_staff_on_behalf_is_not_rate_limited_but_scoped(luotian_cadre, luotian, makou):
    for _ in range(clue_actions.DECLARATIONS_PER_IP + 1):
        clue = declare(
            luotian, test_id_number(datetime.date(1980, 1, 1)), ip="10.2.2.2", actor=luotian_cadre
        )
    assert clue.created_by == luotian_cadre
    with pytest.raises(DomainError) as error:
        declare(makou, test_id_number(datetime.date(1980, 1, 1)), actor=luotian_cadre)
    assert error.value.code == "out_of_scope"


def test_name_is_required(luotian):
    with pytest.raises(DomainError) as error:
        declare(luotian, test_id_number(datetime.date(1980, 1, 1)), name="  ")
    assert error.value.code == "declarant_name_missing"

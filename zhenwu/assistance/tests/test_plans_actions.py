"""Helpers, one plan per household-year, the measure lifecycle, scoping and audit rows."""

import datetime
from decimal import Decimal

import pytest

from zhenwu.assistance.actions.plans import (
    do_add_measure,
    do_assign_helper,
    do_cancel_measure,
    do_create_helper,
    do_create_plan,
    do_implement_measure,
    do_update_helper,
)
from zhenwu.assistance.models import HelperAssignment
from zhenwu.assistance.selectors import current_pairings, implemented_development_measures
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent

D = datetime.date


def events(name):
    return AuditEvent.objects.filter(event=name)


@pytest.fixture
def helper(township_officer, shadi):
    return do_create_helper(
        actor=township_officer,
        area=shadi,
        data={"name": "刘帮扶", "unit": "沙地镇人民政府", "phone": "13800000000"},
    )


@pytest.fixture
def plan(luotian_cadre, luotian_household):
    return do_create_plan(luotian_household, 2023, actor=luotian_cadre)


def add(plan, actor, category="100A39", **kwargs):
    values = {"description": "发展脐橙种植", "amount": "1200", "planned_on": D(2023, 3, 1)}
    values.update(kwargs)
    return do_add_measure(plan, actor=actor, category=category, **values)


@pytest.mark.django_db
def test_one_plan_per_household_and_year(plan, luotian_cadre, township_officer, luotian_household):
    assert plan.status == "active"
    with pytest.raises(DomainError) as error:
        do_create_plan(luotian_household, 2023, actor=township_officer)
    assert error.value.code == "duplicate_plan"
    assert do_create_plan(luotian_household, 2024, actor=luotian_cadre).year == 2024
    assert events("assistance.plan_created").filter(user=luotian_cadre).count() == 2


@pytest.mark.django_db
def test_cadre_cannot_plan_for_another_village(makou_household, luotian_cadre, auditor):
    with pytest.raises(DomainError) as error:
        do_create_plan(makou_household, 2023, actor=luotian_cadre)
    assert error.value.code == "out_of_scope"
    with pytest.raises(DomainError) as error:
        do_create_plan(makou_household, 2023, actor=auditor)
    assert error.value.code == "permission_denied"
    assert not events("assistance.plan_created").exists()


@pytest.mark.django_db
def test_measure_lifecycle(plan, luotian_cadre, luotian_household):
    measure = add(plan, luotian_cadre, amount="1200.005")
    assert measure.amount == Decimal("1200.01")  # ROUND_HALF_UP to cents
    assert measure.status == "planned" and measure.household == luotian_household
    assert implemented_development_measures(luotian_household) == 0
    do_implement_measure(measure, actor=luotian_cadre, implemented_on=D(2023, 4, 2))
    measure.refresh_from_db()
    assert (measure.status, measure.implemented_on, measure.version) == (
        "implemented",
        D(2023, 4, 2),
        2,
    )
    assert implemented_development_measures(luotian_household) == 1
    assert implemented_development_measures(luotian_household, D(2023, 4, 1)) == 0
    with pytest.raises(DomainError) as error:
        do_cancel_measure(measure, actor=luotian_cadre, reason="重复")
    assert error.value.code == "measure_not_planned"
    assert events("assistance.measure_added").count() == 1
    assert events("assistance.measure_implemented").count() == 1


@pytest.mark.django_db
def test_cancel_needs_a_reason_and_a_fresh_version(plan, luotian_cadre):
    measure = add(plan, luotian_cadre, category="100A45")
    with pytest.raises(DomainError) as error:
        do_cancel_measure(measure, actor=luotian_cadre, reason=" ")
    assert error.value.code == "reason_missing"
    with pytest.raises(DomainError) as error:
        do_cancel_measure(measure, actor=luotian_cadre, reason="不再需要", expected_version=7)
    assert error.value.code == "conflict"
    do_cancel_measure(measure, actor=luotian_cadre, reason="不再需要", expected_version=1)
    measure.refresh_from_db()
    assert measure.status == "cancelled"
    assert events("assistance.measure_cancelled").get().data["reason"] == "不再需要"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("category", "description", "amount", "code"),
    [
        ("100A99", "x", "1", "invalid_measure"),
        ("100A39", "", "1", "invalid_measure"),
        ("100A39", "x", "-1", "invalid_measure"),
        ("100A39", "x", "abc", "invalid_measure"),
    ],
)
def test_invalid_measures(plan, luotian_cadre, category, description, amount, code):
    with pytest.raises(DomainError) as error:
        add(plan, luotian_cadre, category=category, description=description, amount=amount)
    assert error.value.code == code


@pytest.mark.django_db
def test_measure_person_must_belong_to_the_household(plan, luotian_cadre, makou_household):
    stranger = makou_household.members.first()
    with pytest.raises(DomainError) as error:
        add(plan, luotian_cadre, person=stranger)
    assert error.value.code == "not_a_member"
    member = plan.household.members.first()
    assert add(plan, luotian_cadre, person=member).person == member


@pytest.mark.django_db
def test_makou_cadre_cannot_touch_luotian_measures(plan, luotian_cadre, makou_cadre):
    measure = add(plan, luotian_cadre)
    with pytest.raises(DomainError) as error:
        do_implement_measure(measure, actor=makou_cadre, implemented_on=D(2023, 4, 1))
    assert error.value.code == "out_of_scope"
    with pytest.raises(DomainError):
        add(plan, makou_cadre)


@pytest.mark.django_db
def test_pairing_ends_the_previous_one(
    helper, township_officer, luotian_cadre, shadi, luotian_household
):
    first = do_assign_helper(helper, luotian_household, actor=luotian_cadre, start_on=D(2023, 1, 1))
    assert (
        do_assign_helper(helper, luotian_household, actor=luotian_cadre, start_on=D(2023, 2, 1))
        == first
    )
    other = do_create_helper(
        actor=township_officer, area=shadi, data={"name": "陈二", "unit": "区林业局"}
    )
    with pytest.raises(DomainError) as error:
        do_assign_helper(other, luotian_household, actor=luotian_cadre, start_on=D(2023, 1, 1))
    assert error.value.code == "date_order"
    second = do_assign_helper(other, luotian_household, actor=luotian_cadre, start_on=D(2023, 7, 1))
    first.refresh_from_db()
    assert first.end_on == D(2023, 6, 30)
    assert (
        HelperAssignment.objects.filter(household=luotian_household, end_on__isnull=True).get()
        == second
    )
    assert list(current_pairings(luotian_cadre)) == [second]
    assert (
        events("assistance.helper_assigned").order_by("id").last().data["ended"]["end_on"]
        == "2023-06-30"
    )


@pytest.mark.django_db
def test_helpers_are_scoped(
    helper, luotian_cadre, makou_cadre, makou, luotian_household, makou_household
):
    # A township helper serves every village below, but a cadre pairs only their own households.
    with pytest.raises(DomainError) as error:
        do_assign_helper(helper, makou_household, actor=luotian_cadre, start_on=D(2023, 1, 1))
    assert error.value.code == "out_of_scope"
    makou_helper = do_create_helper(
        actor=makou_cadre, area=makou, data={"name": "马一", "unit": "马口村委"}
    )
    with pytest.raises(DomainError) as error:
        do_assign_helper(
            makou_helper, luotian_household, actor=luotian_cadre, start_on=D(2023, 1, 1)
        )
    assert error.value.code == "out_of_scope"
    assert list(current_pairings(makou_cadre)) == []
    with pytest.raises(DomainError) as error:
        do_create_helper(actor=luotian_cadre, area=makou, data={"name": "x", "unit": "y"})
    assert error.value.code == "out_of_scope"


@pytest.mark.django_db
def test_update_helper(helper, township_officer):
    with pytest.raises(DomainError) as error:
        do_update_helper(helper, actor=township_officer, expected_version=1, data={"name": "刘"})
    assert error.value.code == "helper_incomplete"
    do_update_helper(
        helper, actor=township_officer, expected_version=1, data={"name": "刘", "unit": "沙地镇"}
    )
    helper.refresh_from_db()
    assert (helper.name, helper.version) == ("刘", 2)
    assert events("assistance.helper_updated").get().data["changes"]

"""plan_warnings and scope_warnings build the rules' data from the database, scoped."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhenwu.assistance.actions.plans import do_add_measure, do_create_plan, do_implement_measure
from zhenwu.assistance.selectors import plan_warnings, scope_warnings
from zhenwu.registry.actions import do_record_income, do_update_household, do_update_person

D = datetime.date
ON = D(2023, 6, 30)


def codes(warnings):
    return [w.code for w in warnings]


@pytest.mark.django_db
def test_labour_household_needs_a_development_measure(luotian_household, luotian_cadre):
    assert codes(plan_warnings(luotian_household, ON)) == ["no_development_measure"]
    plan = do_create_plan(luotian_household, 2023, actor=luotian_cadre)
    measure = do_add_measure(
        plan,
        actor=luotian_cadre,
        category="100A42",
        description="护林员",
        amount=0,
        planned_on=D(2023, 2, 1),
    )
    assert codes(plan_warnings(luotian_household, ON)) == ["no_development_measure"]
    do_implement_measure(measure, actor=luotian_cadre, implemented_on=D(2023, 3, 1))
    assert plan_warnings(luotian_household, ON) == []


@pytest.mark.django_db
def test_no_labour_household_is_not_warned(luotian_household, township_officer):
    for person in luotian_household.members.all():
        do_update_person(
            person,
            actor=township_officer,
            expected_version=person.version,
            changes={"labour_capacity": "lost"},
        )
    assert plan_warnings(luotian_household, ON) == []


@pytest.mark.django_db
def test_illness_schooling_monitoring_and_wage(luotian_household, township_officer, luotian_cadre):
    household = do_update_household(
        luotian_household,
        actor=township_officer,
        expected_version=luotian_household.version,
        changes={
            "risks": ["illness", "schooling"],
            "category": "monitored",
            "monitoring_since": D(2023, 5, 1),
        },
    )
    assert codes(plan_warnings(household, ON)) == [
        "no_development_measure",
        "illness_without_health_aid",
        "schooling_without_education_aid",
        "no_measure_after_identification",
    ]
    plan = do_create_plan(household, 2023, actor=luotian_cadre)
    for category in ("100A45", "100A46", "100A40"):
        measure = do_add_measure(
            plan,
            actor=luotian_cadre,
            category=category,
            description="措施",
            amount=0,
            planned_on=D(2023, 5, 5),
        )
        do_implement_measure(measure, actor=luotian_cadre, implemented_on=D(2023, 5, 20))
    assert plan_warnings(household, ON) == []
    do_record_income(
        household,
        actor=township_officer,
        year=2022,
        components={"wage_income": "0", "transfer_income": "9000"},
    )
    assert codes(plan_warnings(household, ON)) == ["job_without_wage_income"]


@pytest.mark.django_db
def test_general_household_has_no_warnings(makou_household):
    assert plan_warnings(makou_household, ON) == []


@pytest.mark.django_db
def test_scope_warnings_counts_and_filters(
    luotian_household, makou_household, township_officer, luotian_cadre, makou_cadre, makou
):
    do_update_household(
        makou_household,
        actor=township_officer,
        expected_version=makou_household.version,
        changes={
            "category": "lifted",
            "lifted_year": 2019,
            "lifted_subtype": "ordinary",
            "risks": ["illness"],
        },
    )
    rows, counts = scope_warnings(township_officer, ON)
    assert sorted(h.number for h, _w in rows) == ["LT0001", "MK0001"]
    assert counts["no_development_measure"] == 2 and counts["illness_without_health_aid"] == 1
    rows, counts = scope_warnings(township_officer, ON, code="illness_without_health_aid")
    assert [h.number for h, _w in rows] == ["MK0001"]
    assert counts["no_development_measure"] == 2
    rows, _counts = scope_warnings(township_officer, ON, village=makou)
    assert [h.number for h, _w in rows] == ["MK0001"]
    rows, counts = scope_warnings(luotian_cadre, ON)
    assert [h.number for h, _w in rows] == ["LT0001"] and counts["illness_without_health_aid"] == 0
    with CaptureQueriesContext(connection) as queries:
        scope_warnings(makou_cadre, ON)
    assert len(queries) <= 6

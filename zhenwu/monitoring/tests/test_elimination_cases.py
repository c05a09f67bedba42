"""风险消除 cases: who may start one, the stored criteria, refusal when criteria fail, and
approval marking the household's risk eliminated."""

import pytest

from zhenwu.core.errors import DomainError
from zhenwu.monitoring.actions import cases
from zhenwu.monitoring.actions.problems import do_open_problem
from zhenwu.monitoring.tests.cases_helpers import D, parameters, run_to
from zhenwu.registry.actions import do_apply_monitoring_decision, do_record_income
from zhenwu.registry.models import Household

pytestmark = pytest.mark.django_db
__all__ = ["parameters"]
START = D(2023, 10, 9)


@pytest.fixture
def people(luotian_cadre, township_officer, district_officer):
    return {"cadre": luotian_cadre, "township": township_officer, "district": district_officer}


@pytest.fixture
def monitored(parameters, luotian_household, district_officer, township_officer):
    """Monitored since 2023-03, income 2023 above the line (7000)."""
    household = do_apply_monitoring_decision(
        luotian_household,
        actor=district_officer,
        expected_version=luotian_household.version,
        changes={
            "category": "monitored",
            "monitoring_category": "100A03001",
            "monitoring_since": D(2023, 3, 1),
            "risk_status": "unresolved",
            "risks": ["illness"],
        },
        case_id="test",
    )
    do_record_income(
        household,
        actor=township_officer,
        year=2023,
        components={"wage_income": 30000, "production_cost": 0},
        member_count=3,
    )
    return household


def code_of(call) -> str:
    with pytest.raises(DomainError) as raised:
        call()
    return raised.value.code


def test_open_stores_the_criteria(monitored, luotian_cadre):
    case = cases.do_open_elimination_case(
        monitored, actor=luotian_cadre, way="natural", started_on=START
    )
    assert case.kind == "elimination" and case.elimination_way == "natural"
    results = case.criteria_results
    assert results["checked_on"] == "2023-10-09" and results["failed"] == []
    assert {i["code"]: i["passed"] for i in results["items"]}["income_above_line"] is True


def test_assisted_way_needs_an_implemented_development_measure(monitored, luotian_cadre):
    """The criterion reads the assistance ledgers: none implemented → it fails."""
    case = cases.do_open_elimination_case(
        monitored, actor=luotian_cadre, way="assisted", started_on=START
    )
    assert "development_assistance" in case.criteria_results["failed"]


def test_an_implemented_industry_measure_passes_the_assistance_criterion(monitored, luotian_cadre):
    from zhenwu.assistance.actions.plans import (
        do_add_measure,
        do_create_plan,
        do_implement_measure,
    )

    plan = do_create_plan(monitored, START.year, actor=luotian_cadre)
    measure = do_add_measure(
        plan,
        actor=luotian_cadre,
        category="100A39",
        description="油茶种植补助",
        amount="3000",
        planned_on=START,
    )
    do_implement_measure(measure, actor=luotian_cadre, implemented_on=START)
    case = cases.do_open_elimination_case(
        monitored, actor=luotian_cadre, way="assisted", started_on=START
    )
    items = {item["code"]: item for item in case.criteria_results["items"]}
    assert items["development_assistance"]["passed"] is True


def test_no_labour_household_is_refused_with_the_message(monitored, luotian_cadre):
    Household.objects.filter(pk=monitored.pk).update(no_labour=True)
    with pytest.raises(DomainError) as raised:
        cases.do_open_elimination_case(monitored, actor=luotian_cadre, way="natural")
    assert raised.value.code == "no_labour_household"
    assert "整户无劳动力" in raised.value.message


def test_only_monitored_households(parameters, luotian_household, luotian_cadre):
    assert (
        code_of(
            lambda: cases.do_open_elimination_case(
                luotian_household, actor=luotian_cadre, way="natural"
            )
        )
        == "not_monitored"
    )


def test_one_open_elimination_case(monitored, luotian_cadre):
    cases.do_open_elimination_case(monitored, actor=luotian_cadre, way="natural", started_on=START)
    assert (
        code_of(
            lambda: cases.do_open_elimination_case(monitored, actor=luotian_cadre, way="natural")
        )
        == "open_case_exists"
    )


def test_approval_marks_the_risk_eliminated(monitored, people):
    case = cases.do_open_elimination_case(
        monitored, actor=people["cadre"], way="natural", started_on=START
    )
    run_to(case, "approved", start=START, **people)
    household = Household.objects.get(pk=monitored.pk)
    assert household.risk_status == "eliminated"
    assert household.risk_eliminated_on == D(2023, 10, 19)
    assert household.category == "monitored"  # stays in the database and monitored


def test_township_review_refused_when_a_criterion_fails(monitored, people):
    case = cases.do_open_elimination_case(
        monitored, actor=people["cadre"], way="natural", started_on=START
    )
    run_to(case, "notice_posted", start=START, **people)
    do_open_problem(
        monitored,
        actor=people["cadre"],
        kind="housing",
        description="屋顶漏雨",
        owner="刘一",
        found_on=D(2023, 10, 12),
        deadline_on=D(2023, 11, 12),
    )
    assert (
        code_of(
            lambda: cases.do_township_review(
                case, actor=people["township"], reviewed_on=D(2023, 10, 20)
            )
        )
        == "criteria_not_met"
    )
    assert Household.objects.get(pk=monitored.pk).risk_status == "unresolved"


def test_too_early_elimination_is_refused(monitored, people):
    case = cases.do_open_elimination_case(
        monitored, actor=people["cadre"], way="natural", started_on=D(2023, 6, 1)
    )
    assert case.criteria_results["failed"] == ["monitoring_months"]
    run_to(case, "notice_posted", start=D(2023, 6, 1), **people)
    assert (
        code_of(
            lambda: cases.do_township_review(
                case, actor=people["township"], reviewed_on=D(2023, 6, 9)
            )
        )
        == "criteria_not_met"
    )

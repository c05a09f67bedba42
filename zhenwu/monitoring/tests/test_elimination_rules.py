"""风险消除条件, table-driven without the database: each criterion failing alone."""

import dataclasses
import datetime
from decimal import Decimal

import pytest

from zhenwu.monitoring.rules.elimination import (
    CRITERIA_LABELS,
    EliminationFacts,
    check_criteria,
    describe,
    failed,
    months_between,
    unchecked,
)

D = datetime.date

PASSING = EliminationFacts(
    way="natural",
    on=D(2023, 9, 1),
    monitoring_since=D(2023, 3, 1),
    elimination_months=6,
    has_labour=True,
    no_labour_flag=False,
    income_year=2023,
    per_capita_income=Decimal("9000.00"),
    income_line=Decimal("7000"),
    open_problem_count=0,
)


def results(facts) -> dict:
    return {c.code: c.passed for c in check_criteria(facts)}


def test_all_criteria_pass():
    criteria = check_criteria(PASSING)
    assert [c.code for c in criteria] == list(CRITERIA_LABELS)
    assert failed(criteria) == [] and unchecked(criteria) == []


@pytest.mark.parametrize(
    "change, code",
    [
        ({"on": D(2023, 8, 31)}, "monitoring_months"),
        ({"monitoring_since": None}, "monitoring_months"),
        ({"elimination_months": 7}, "monitoring_months"),
        ({"way": "assisted", "development_measures": 0}, "development_assistance"),
        ({"per_capita_income": Decimal("6999.99")}, "income_above_line"),
        ({"per_capita_income": None, "income_year": None}, "income_above_line"),
        ({"income_line": None}, "income_above_line"),
        ({"open_problem_count": 1}, "no_open_problems"),
        ({"no_labour_flag": True}, "has_labour"),
    ],
)
def test_each_criterion_fails_alone(change, code):
    criteria = check_criteria(dataclasses.replace(PASSING, **change))
    assert failed(criteria) == [code]


def test_income_equal_to_line_passes():
    facts = dataclasses.replace(PASSING, per_capita_income=Decimal("7000.00"))
    assert results(facts)["income_above_line"] is True


@pytest.mark.parametrize(
    "way, has_labour, measures, expected",
    [
        ("assisted", True, None, None),  # assistance module not there yet: not checkable
        ("assisted", True, 0, False),
        ("assisted", True, 1, True),
        ("assisted", False, None, True),  # no one able to work: development aid not required
        ("natural", True, None, True),
    ],
)
def test_development_assistance(way, has_labour, measures, expected):
    facts = dataclasses.replace(
        PASSING, way=way, has_labour=has_labour, development_measures=measures
    )
    assert results(facts)["development_assistance"] is expected


def test_not_checkable_is_not_a_failure_but_is_listed():
    criteria = check_criteria(dataclasses.replace(PASSING, way="assisted"))
    assert failed(criteria) == [] and unchecked(criteria) == ["development_assistance"]


@pytest.mark.parametrize(
    "start, end, months",
    [
        (D(2023, 1, 1), D(2023, 7, 1), 6),
        (D(2023, 1, 1), D(2023, 6, 30), 5),
        (D(2022, 11, 15), D(2023, 5, 15), 6),
        (D(2022, 11, 15), D(2023, 5, 14), 5),
    ],
)
def test_months_between(start, end, months):
    assert months_between(start, end) == months


@pytest.mark.parametrize(
    "code, detail, text",
    [
        ("monitoring_months", "7/6", "已监测 7 个月，要求 6 个月"),
        ("monitoring_months", "monitoring_since=none", "无识别监测时间"),
        ("development_assistance", "assistance_module_missing", "帮扶措施模块尚未上线，须人工核实"),
        ("development_assistance", "2", "已实施 2 项"),
        (
            "income_above_line",
            "2023:9000.00/7000",
            "2023 年人均纯收入 9000.00 元，监测范围 7000 元",
        ),
        ("income_above_line", "2023:line_missing", "2023 年监测范围未配置"),
        ("income_above_line", "no_income_record", "未登记年度收入"),
        ("no_open_problems", "1", "未清零问题 1 项"),
        ("has_labour", "", ""),
        ("monitoring_months", "garbled", "garbled"),
    ],
)
def test_describe(code, detail, text):
    assert describe(code, detail) == text


def test_every_detail_of_the_checks_can_be_described():
    for facts in (PASSING, dataclasses.replace(PASSING, way="assisted", income_line=None)):
        for criterion in check_criteria(facts):
            described = describe(criterion.code, criterion.detail)
            assert "=" not in described and "_" not in described

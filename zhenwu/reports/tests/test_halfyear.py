"""The half-year report on hand-built rows: computed figures with the URL of their list,
"no data" wording, a new loan changing the loan figure, scoping and the audit."""

import datetime
from decimal import Decimal

import pytest

from zhenwu.assistance.tests.stats_data import _loan, build_ledger
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent, AuditOutcome
from zhenwu.lib.document.model import H1, H2
from zhenwu.lib.periods import parse_period
from zhenwu.reports.halfyear import (
    ReportError,
    half_year_report,
    half_year_report_for,
    next_period,
)
from zhenwu.reports.tests.halfyear_data import add_garbage_rate, add_plan, add_project

H1_2023 = parse_period("2023H1")


@pytest.fixture
def ledger(luotian_household, makou_household, shadi, luotian):
    return build_ledger(luotian_household, makou_household, shadi, luotian)


def figure(report, key):
    return report.figures[key]


def test_assistance_figures_and_their_lists(ledger, shadi):
    report = half_year_report(shadi, H1_2023)
    text = report.as_text()
    loans = figure(report, "loan_borrowers")
    assert (loans.text, figure(report, "loan_amount").text) == ("2人", "8.50万元")
    assert "发放“产业振兴信贷通”贷款2人，贷款金额8.50万元" in text
    assert (
        loans.url == "/assistance/loans/?area=360704101&issued_from=2023-01-01&issued_to=2023-06-30"
    )
    assert figure(report, "job_people").text == "3人"
    assert figure(report, "job_people").url == "/assistance/jobs/"
    transport = figure(report, "transport_people")
    assert transport.text == "2名"
    assert transport.url == "/assistance/payments/?kind=transport&status=paid&period=2023"


def test_a_new_loan_changes_the_loan_figure(ledger, shadi):
    before = half_year_report(shadi, H1_2023)
    _loan(ledger["wang"], "L-NEW", "30000", datetime.date(2023, 3, 1), datetime.date(2026, 3, 1))
    after = half_year_report(shadi, H1_2023)
    assert figure(before, "loan_borrowers").value + 1 == figure(after, "loan_borrowers").value
    assert figure(after, "loan_amount").value == figure(before, "loan_amount").value + 30000
    assert "贷款3人，贷款金额11.50万元" in after.as_text()


def test_figures_without_data_say_so(world, shadi):
    report = half_year_report(shadi, H1_2023)
    text = report.as_text()
    for key in (
        "loan_borrowers",
        "job_people",
        "transport_people",
        "garbage_collection_rate",
        "sanitary_toilet_coverage",
        "fund_projects",
        "industries",
        "relocated_households",
        "next_plan",
    ):
        assert not figure(report, key).has_data, key
        assert figure(report, key).text == "暂无数据", key
    assert "“产业振兴信贷通”贷款：暂无数据" in text
    assert "农村生活垃圾收运率暂无数据" in text
    assert "2023年下半年工作计划暂无数据（工作计划模块中没有沙地镇2023H2的计划）" in text
    assert "0人" not in text  # no invented zero in place of a missing ledger


def test_projects_indicators_and_next_plan(world, shadi, luotian):
    add_project(shadi, "T-1", "圩镇示范街改造", budget="2500000", paid="1375000")
    add_project(luotian, "T-2", "螺田村组级道路硬化", budget="400000", paid="100000")
    add_garbage_rate(luotian, "2023-05", 10, 10)
    add_garbage_rate(luotian, "2023-06", 12, 12)
    plan = add_plan(shadi)
    report = half_year_report(shadi, H1_2023)
    text = report.as_text()

    assert figure(report, "fund_projects").text == "2个"
    assert figure(report, "fund_budget").text == "290.00万元"
    assert figure(report, "fund_paid").text == "147.50万元"  # the August payment is later
    assert figure(report, "fund_ratio").text == "50.86%"
    assert "圩镇示范街改造（实施中，预算250.00万元，已拨付137.50万元，拨付进度55%）" in text
    assert "螺田村组级道路硬化（实施中，预算40.00万元，已拨付10.00万元，拨付进度25%）" in text
    town = figure(report, "town_T-1")
    assert (
        town.url.startswith("/projects/library/") and str(town.value.project.public_id) in town.url
    )

    garbage = figure(report, "garbage_collection_rate")
    assert garbage.text == "100%"
    assert garbage.url == f"/workplans/indicators/?area={shadi.code}&period=2023H1"

    headings = [(b.kind, b.text) for b in report.blocks if b.kind in (H1, H2)]
    assert (H1, "二、2023年下半年工作安排") in headings
    assert (H2, "（一）坚持产业主导，推进乡村振兴") in headings  # the plan's own （一） replaced
    assert (H2, "（二）坚持绿色发展") in headings
    assert (
        "1. 做优板鸭特色产业。支持螺田板鸭厂扩产（牵头单位：农业农村办；完成时限：2023年12月15日）。"
        in text
    )
    assert figure(report, "next_plan").url == f"/workplans/plans/{plan.public_id}/"
    assert report.title == "沙地镇2023年上半年工作总结及下半年工作计划"


def test_periods(world, shadi, luotian):
    assert next_period(parse_period("2023H1")).code == "2023H2"
    assert next_period(parse_period("2023H2")).code == "2024H1"
    assert next_period(parse_period("2023")).code == "2024"
    assert half_year_report(shadi, parse_period("2023")).title == (
        "沙地镇2023年工作总结及2024年工作计划"
    )
    assert half_year_report(shadi, parse_period("2023H2")).title == (
        "沙地镇2023年下半年工作总结及2024年上半年工作计划"
    )
    with pytest.raises(ReportError):
        half_year_report(shadi, parse_period("2023Q2"))
    with pytest.raises(ReportError):
        half_year_report(luotian, H1_2023)  # a village, not a township


def test_scoping_and_audit(world, shadi, luotian_cadre, makou_cadre, township_officer, auditor):
    for user in (luotian_cadre, makou_cadre, auditor):
        with pytest.raises(DomainError):
            half_year_report_for(user, shadi, H1_2023)
    report = half_year_report_for(township_officer, shadi, H1_2023)
    assert report.area == shadi
    event = AuditEvent.objects.filter(event="reports.generated").latest("id")
    assert event.username == township_officer.username
    assert event.outcome == AuditOutcome.SUCCESS
    assert event.data == {
        "report": "half-year",
        "area": shadi.code,
        "period": "2023H1",
        "as": "html",
    }


def test_money_is_exact(ledger, shadi):
    amount = figure(half_year_report(shadi, H1_2023), "loan_amount").value
    assert amount == Decimal("85000.00")

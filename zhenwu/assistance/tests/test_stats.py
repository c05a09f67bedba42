"""assistance_figures on a hand-built ledger: exact numbers, period boundaries, scoping."""

from decimal import Decimal

import pytest

from zhenwu.assistance.stats import assistance_figures, assistance_figures_for
from zhenwu.assistance.tests.stats_data import build_ledger
from zhenwu.core.errors import DomainError
from zhenwu.lib.periods import parse_period


@pytest.fixture
def ledger(luotian_household, makou_household, shadi, luotian):
    return build_ledger(luotian_household, makou_household, shadi, luotian)


def values(area, period: str) -> dict:
    figures = assistance_figures(area, parse_period(period))
    return {key: item["value"] for key, item in figures["figures"].items()}


def village(figures: dict, code: str) -> dict:
    keys = [column["key"] for column in figures["columns"]]
    row = next(row for row in figures["villages"] if row["code"] == code)
    return dict(zip(keys, row["values"], strict=True))


def test_half_year_totals(ledger, shadi):
    assert values(shadi, "2023H1") == {
        "loan_borrowers": 2,  # 张三丰 (two loans) and 李秀英 (issued 06-30)
        "loan_amount": Decimal("85000.00"),
        "loans_outstanding": 4,  # L-1, L-2, L-3, L-5; L-4 later, L-6 repaid
        "loan_balance": Decimal("91000.00"),
        "loans_overdue": 1,  # L-5 due 2022-01-10
        "job_people": 3,  # 张三丰, 李秀英 (from 06-30), 王五 (to 01-01)
        # Jan 1,100 (its reversal sits in an unpaid correction batch) + Feb 1,100 − 600
        # (reversal in the paid correction batch 2023-02R); March approved but not paid.
        "job_paid": Decimal("1600.00"),
        "transport_people": 2,  # 李秀英, 赵六; 张三丰 reversed; 张小明's batch unpaid
        "transport_amount": Decimal("800.00"),
        "measures_planned": 2,  # cancelled and H2 measures excluded
        "measures_implemented": 1,
    }


def test_by_village_and_rates(ledger, shadi, luotian, makou):
    figures = assistance_figures(shadi, parse_period("2023H1"))
    assert figures["job_rates"] == [Decimal("500.00"), Decimal("600.00")]
    lt, mk = village(figures, luotian.code), village(figures, makou.code)
    assert (lt["loan_borrowers"], lt["loan_amount"]) == (2, Decimal("85000.00"))
    assert (mk["loan_borrowers"], mk["loans_overdue"], mk["loan_balance"]) == (0, 1, 6000)
    # 螺田 500 + 500; 马口 600 in January, 600 − 600 (reversal) in February.
    assert (lt["job_paid"], mk["job_paid"]) == (Decimal("1000.00"), Decimal("600.00"))
    assert str(mk["job_paid"]) == "600.00"
    assert (lt["transport_people"], mk["transport_people"]) == (1, 1)
    assert sum(village(figures, row["code"])["job_people"] for row in figures["villages"]) == 3
    by_category = {
        m["code"]: (m["planned"], m["implemented"]) for m in figures["measures_by_category"]
    }
    assert by_category["100A39"] == (1, 1)
    assert by_category["100A45"] == (1, 0)
    assert by_category["100A40"] == (0, 0)


def test_village_area_counts_only_that_village(ledger, makou):
    got = values(makou, "2023H1")
    assert (got["loan_borrowers"], got["job_people"], got["transport_people"]) == (0, 1, 1)
    assert got["transport_amount"] == Decimal("500.00")


@pytest.mark.parametrize(
    ("period", "borrowers", "amount", "paid", "people"),
    [
        ("2023-06", 1, "30000", "0", 2),  # 李秀英's loan and start on the last day
        ("2023-01", 1, "5000", "1100", 2),  # L-2 on the first day; 王五 ends on 01-01
        ("2023Q1", 1, "55000", "1600", 2),  # L-1 and L-2: one borrower
        ("2023Q3", 1, "20000", "500", 3),  # L-4 on 07-01; 赵六 from 07-01
        ("2023", 3, "105000", "2100", 4),
        ("2022H2", 0, "0", "500", 2),
    ],
)
def test_period_boundaries(ledger, shadi, period, borrowers, amount, paid, people):
    got = values(shadi, period)
    assert got["loan_borrowers"] == borrowers
    assert got["loan_amount"] == Decimal(amount)
    assert got["job_paid"] == Decimal(paid)
    assert got["job_people"] == people


def test_outstanding_at_period_end(ledger, shadi):
    # At the end of 2022: L-5 (6,000 left, overdue); L-6 repaid on 2022-12-31.
    got = values(shadi, "2022")
    assert (got["loans_outstanding"], got["loan_balance"], got["loans_overdue"]) == (
        1,
        Decimal("6000.00"),
        1,
    )


def test_transport_counts_the_periods_year(ledger, shadi):
    assert values(shadi, "2023-02")["transport_people"] == 2
    assert values(shadi, "2022H1")["transport_people"] == 1  # 王五, 2022 batch


def test_has_data_and_filters(ledger, shadi, luotian_household):
    figures = assistance_figures(shadi, parse_period("2023H1"))["figures"]
    assert all(item["has_data"] for item in figures.values())
    assert figures["job_paid"]["filter"] == {
        "list": "payment_lines",
        "kind": "job_payroll",
        "area": shadi.code,
        "from": "2023-01-01",
        "to": "2023-06-30",
        "batch_status": "paid",
    }
    assert figures["loans_overdue"]["filter"]["overdue"] == "1"


def test_empty_area_has_no_data(db, shadi):
    figures = assistance_figures(shadi, parse_period("2023H1"))["figures"]
    assert not any(item["has_data"] for item in figures.values())
    assert figures["loan_amount"]["value"] == Decimal("0.00")


def test_scoped_figures(ledger, luotian_cadre, township_officer, makou, luotian, shadi):
    assert assistance_figures_for(luotian_cadre, luotian, parse_period("2023H1"))
    assert assistance_figures_for(township_officer, shadi, parse_period("2023H1"))
    with pytest.raises(DomainError) as refused:
        assistance_figures_for(luotian_cadre, makou, parse_period("2023H1"))
    assert refused.value.code == "out_of_scope"
    with pytest.raises(DomainError):
        assistance_figures_for(luotian_cadre, shadi, parse_period("2023H1"))


def test_no_permission_refused(ledger, no_membership_user, luotian):
    with pytest.raises(DomainError):
        assistance_figures_for(no_membership_user, luotian, parse_period("2023H1"))

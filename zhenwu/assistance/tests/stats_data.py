"""A hand-built ledger for the statistics tests: rows written directly in set-up (the
figures are what is under test, not the actions). Expected figures are in the tests."""

import datetime
from decimal import Decimal

from zhenwu.assistance.choices import BatchStatus, MeasureCategory, MeasureStatus, PaymentKind
from zhenwu.assistance.models import (
    AssistancePlan,
    JobAssignment,
    Loan,
    LoanRepayment,
    Measure,
    PaymentBatch,
    PaymentLine,
    PublicWelfarePost,
)

D = datetime.date


def _members(household) -> dict:
    return {person.name: person for person in household.members.all()}


def _loan(person, number, amount, issued_on, due_on):
    return Loan.objects.create(
        household=person.household,
        borrower=person,
        bank="赣州农商银行",
        contract_number=number,
        amount=Decimal(amount),
        issued_on=issued_on,
        term_months=36,
        due_on=due_on,
        annual_rate=Decimal("0.0435"),
        purpose="脐橙种植",
    )


def _batch(kind, area, period, status):
    return PaymentBatch.objects.create(kind=kind, area=area, period=period, status=status)


def _line(batch, person, amount, reverses=None):
    """A reversal keeps its original's period and sits in a correction batch (…R)."""
    return PaymentLine.objects.create(
        batch=batch,
        kind=batch.kind,
        period=reverses.period if reverses else batch.period,
        person=person,
        household=person.household,
        amount=Decimal(amount),
        reverses=reverses,
    )


def build_ledger(luotian_household, makou_household, shadi, luotian) -> dict:
    lt, mk = _members(luotian_household), _members(makou_household)
    zhang, li, xiaoming = lt["张三丰"], lt["李秀英"], lt["张小明"]
    wang, zhao = mk["王五"], mk["赵六"]
    _loans(zhang, li, wang, zhao)
    _jobs(luotian_household, makou_household, zhang, li, wang, zhao)
    _payroll(shadi, zhang, wang)
    _transport(shadi, luotian, zhang, li, xiaoming, wang, zhao)
    _measures(luotian_household, zhang)
    return {"zhang": zhang, "li": li, "wang": wang, "zhao": zhao}


def _loans(zhang, li, wang, zhao):
    _loan(zhang, "L-1", "50000", D(2023, 3, 1), D(2026, 3, 1))
    _loan(zhang, "L-2", "5000", D(2023, 1, 1), D(2024, 1, 1))  # same borrower: one person
    _loan(li, "L-3", "30000", D(2023, 6, 30), D(2024, 6, 30))  # last day of H1
    _loan(wang, "L-4", "20000", D(2023, 7, 1), D(2025, 7, 1))  # first day of H2
    old = _loan(zhao, "L-5", "10000", D(2021, 1, 10), D(2022, 1, 10))  # overdue
    LoanRepayment.objects.create(loan=old, paid_on=D(2022, 5, 1), principal=Decimal("4000"))
    repaid = _loan(wang, "L-6", "8000", D(2022, 1, 1), D(2023, 1, 1))
    LoanRepayment.objects.create(loan=repaid, paid_on=D(2022, 12, 31), principal=Decimal("8000"))


def _jobs(luotian_household, makou_household, zhang, li, wang, zhao):
    cleaner = PublicWelfarePost.objects.create(
        village=luotian_household.village,
        post_type="保洁员",
        funding_level="district",
        monthly_subsidy=Decimal("500"),
        capacity=5,
    )
    ranger = PublicWelfarePost.objects.create(
        village=makou_household.village,
        post_type="护林员",
        funding_level="province",
        monthly_subsidy=Decimal("600"),
        capacity=5,
    )
    for post, person, start, end, status in (
        (cleaner, zhang, D(2022, 5, 1), None, "active"),
        (cleaner, li, D(2023, 6, 30), None, "active"),  # overlaps by one day
        (ranger, wang, D(2022, 3, 1), D(2023, 1, 1), "ended"),  # overlaps by one day
        (ranger, zhao, D(2023, 7, 1), None, "active"),  # after H1
    ):
        JobAssignment.objects.create(
            post=post,
            person=person,
            household=person.household,
            start_on=start,
            end_on=end,
            status=status,
        )


def _payroll(shadi, zhang, wang):
    kind = PaymentKind.JOB_PAYROLL
    january = _batch(kind, shadi, "2023-01", BatchStatus.PAID)
    zhang_january = _line(january, zhang, "500")
    _line(january, wang, "600")
    february = _batch(kind, shadi, "2023-02", BatchStatus.PAID)
    _line(february, zhang, "500")
    wang_february = _line(february, wang, "600")
    _line(_batch(kind, shadi, "2023-02R", BatchStatus.PAID), wang, "-600", wang_february)
    _line(_batch(kind, shadi, "2023-01R", BatchStatus.DRAFT), zhang, "-500", zhang_january)
    _line(_batch(kind, shadi, "2023-03", BatchStatus.APPROVED), zhang, "500")  # not paid
    _line(_batch(kind, shadi, "2023-07", BatchStatus.PAID), zhang, "500")  # H2
    _line(_batch(kind, shadi, "2022-12", BatchStatus.PAID), zhang, "500")  # last year


def _transport(shadi, luotian, zhang, li, xiaoming, wang, zhao):
    kind = PaymentKind.TRANSPORT
    paid = _batch(kind, shadi, "2023", BatchStatus.PAID)
    _line(paid, li, "300")
    _line(paid, zhao, "500")
    zhang_line = _line(paid, zhang, "500")
    _line(_batch(kind, shadi, "2023R", BatchStatus.PAID), zhang, "-500", zhang_line)  # net 0
    _line(_batch(kind, shadi, "2022", BatchStatus.PAID), wang, "300")  # last year
    _line(_batch(kind, luotian, "2023", BatchStatus.DRAFT), xiaoming, "300")  # not paid


def _measures(household, zhang):
    plan = AssistancePlan.objects.create(household=household, year=2023)
    for category, planned_on, status, implemented_on in (
        (MeasureCategory.INDUSTRY, D(2023, 2, 1), MeasureStatus.IMPLEMENTED, D(2023, 5, 1)),
        (MeasureCategory.HEALTH, D(2023, 3, 1), MeasureStatus.PLANNED, None),
        (MeasureCategory.OTHER_EDUCATION, D(2023, 8, 1), MeasureStatus.PLANNED, None),
        (MeasureCategory.EMPLOYMENT, D(2023, 4, 1), MeasureStatus.CANCELLED, None),
    ):
        Measure.objects.create(
            plan=plan,
            household=household,
            person=zhang,
            category=category,
            description="措施",
            status=status,
            planned_on=planned_on,
            implemented_on=implemented_on,
        )

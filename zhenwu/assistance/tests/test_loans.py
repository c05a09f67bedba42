"""小额信贷: eligibility refusals, repayments, extension, overdue, write-off, interest subsidy."""

import datetime
from decimal import Decimal

import pytest

from zhenwu.assistance import selectors
from zhenwu.assistance.actions import loans
from zhenwu.assistance.choices import LoanStatus, PaymentKind
from zhenwu.assistance.models import Loan, LoanRepayment, PaymentLine
from zhenwu.assistance.tests.support_loans import household_with, load_settings, member
from zhenwu.core.errors import DomainError, NotFound
from zhenwu.core.models import AuditEvent

D = datetime.date


@pytest.fixture
def settings_loaded(shadi):
    load_settings(shadi)


@pytest.fixture
def borrower(settings_loaded, luotian_household):
    return luotian_household.head  # 张三丰, born 1968-03-05


def issue(actor, borrower, **overrides):
    values = {
        "bank": "赣州农商银行沙地支行",
        "contract_number": "GX-2023-001",
        "amount": Decimal("50000"),
        "issued_on": D(2023, 1, 1),
        "term_months": 36,
        "annual_rate": Decimal("0.0435"),
        "purpose": "脐橙种植",
    }
    values.update(overrides)
    return loans.do_issue_loan(actor=actor, borrower=borrower, **values)


def refusal(actor, borrower, **overrides) -> DomainError:
    with pytest.raises(DomainError) as caught:
        issue(actor, borrower, **overrides)
    return caught.value


# --- issuing -------------------------------------------------------------------------------


def test_issue_sets_due_date_and_audits(township_officer, borrower):
    loan = issue(township_officer, borrower, issued_on=D(2023, 1, 31), term_months=1)
    assert loan.due_on == D(2023, 2, 28)
    assert loan.status == LoanStatus.ACTIVE
    assert loan.household == borrower.household
    event = AuditEvent.objects.filter(event="assistance.loan_issued").latest("id")
    assert event.object_id == str(loan.public_id)
    assert event.data["contract_number"] == "GX-2023-001"


@pytest.mark.parametrize(
    ("born", "age"), [(D(2005, 6, 2), 17), (D(1957, 5, 31), 66)], ids=["17", "66"]
)
def test_age_outside_18_to_65_is_refused(township_officer, settings_loaded, luotian, born, age):
    household = household_with(township_officer, luotian, "LT-AGE", [born])
    error = refusal(township_officer, member(household), issued_on=D(2023, 6, 1))
    assert error.code == "loan_age"
    assert f"{age}岁" in error.message and "18至65岁" in error.message


def test_ages_18_and_65_are_accepted(township_officer, settings_loaded, luotian):
    household = household_with(township_officer, luotian, "LT-EDGE", [D(2005, 6, 1)])
    issue(township_officer, member(household), issued_on=D(2023, 6, 1), amount=Decimal("1000"))
    old = household_with(township_officer, luotian, "LT-OLD", [D(1957, 6, 2)])
    issue(
        township_officer,
        member(old),
        issued_on=D(2023, 6, 1),
        contract_number="GX-2023-065",
        amount=Decimal("1000"),
    )


def test_general_household_is_refused(township_officer, settings_loaded, luotian):
    household = household_with(
        township_officer, luotian, "LT-GEN", [D(1980, 1, 1)], category="general"
    )
    error = refusal(township_officer, member(household))
    assert error.code == "loan_household_ineligible"
    assert "不是脱贫户或监测户" in error.message


def test_monitored_household_is_eligible(township_officer, settings_loaded, luotian):
    household = household_with(
        township_officer, luotian, "LT-MON", [D(1980, 1, 1)], category="monitored"
    )
    assert issue(township_officer, member(household)).pk


def test_amount_over_limit_is_refused(township_officer, borrower):
    error = refusal(township_officer, borrower, amount=Decimal("50000.01"))
    assert error.code == "loan_over_limit"
    assert "50,000.00元" in error.message


def test_second_loan_over_the_household_limit_is_refused(township_officer, borrower):
    first = issue(township_officer, borrower, amount=Decimal("30000"))
    spouse = member(borrower.household, 1)
    error = refusal(township_officer, spouse, contract_number="GX-2", amount=Decimal("30000"))
    assert error.code == "loan_over_limit"
    assert "30,000.00元" in error.message
    # Once 10,000 is repaid the household's balance leaves room for 30,000.
    loans.do_record_repayment(
        first, actor=township_officer, paid_on=D(2023, 3, 1), principal=Decimal("10000")
    )
    assert issue(township_officer, spouse, contract_number="GX-2", amount=Decimal("30000")).pk


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"term_months": 37}, "loan_term"),
        ({"term_months": 0}, "loan_term"),
        ({"amount": Decimal("0")}, "loan_amount_invalid"),
        ({"annual_rate": Decimal("4.35")}, "loan_rate_invalid"),
        ({"contract_number": " "}, "loan_fields_missing"),
    ],
)
def test_terms_are_checked(township_officer, borrower, overrides, code):
    assert refusal(township_officer, borrower, **overrides).code == code


def test_term_message_names_the_maximum(township_officer, borrower):
    assert "1至36个月" in refusal(township_officer, borrower, term_months=37).message


def test_contract_number_is_unique(township_officer, borrower):
    issue(township_officer, borrower, amount=Decimal("1000"))
    error = refusal(township_officer, borrower, amount=Decimal("1000"))
    assert error.code == "loan_duplicate_contract"
    assert "GX-2023-001" in error.message


def test_cadre_cannot_issue_and_officer_of_other_area_is_out_of_scope(
    luotian_cadre, borrower, makou_cadre
):
    assert refusal(luotian_cadre, borrower).code == "permission_denied"
    assert not Loan.objects.exists()


def test_missing_setting_is_refused(township_officer, luotian_household):
    assert refusal(township_officer, luotian_household.head).code == "setting_missing"


# --- repayments, extension, overdue, write-off ---------------------------------------------


def test_repayments_append_and_repay_in_full(township_officer, borrower):
    loan = issue(township_officer, borrower, amount=Decimal("20000"))
    loans.do_record_repayment(
        loan, actor=township_officer, paid_on=D(2023, 6, 1), principal="5000", interest="120.50"
    )
    assert loan.principal_repaid == Decimal("5000") and loan.status == LoanStatus.ACTIVE
    with pytest.raises(DomainError) as caught:
        loans.do_record_repayment(
            loan, actor=township_officer, paid_on=D(2023, 7, 1), principal="15000.01"
        )
    assert caught.value.code == "repayment_exceeds" and "15,000.00元" in caught.value.message
    loans.do_record_repayment(
        loan, actor=township_officer, paid_on=D(2023, 12, 1), principal="15000"
    )
    loan.refresh_from_db()
    assert loan.principal_repaid == Decimal("20000.00")
    assert loan.status == LoanStatus.REPAID
    assert LoanRepayment.objects.filter(loan=loan).count() == 2
    assert AuditEvent.objects.filter(event="assistance.loan_repaid").count() == 2
    with pytest.raises(DomainError) as closed:
        loans.do_record_repayment(
            loan, actor=township_officer, paid_on=D(2024, 1, 1), principal=0, interest=1
        )
    assert closed.value.code == "loan_closed"


def test_repayment_must_be_positive(township_officer, borrower):
    loan = issue(township_officer, borrower)
    for principal, interest in [("0", "0"), ("-1", "5")]:
        with pytest.raises(DomainError) as caught:
            loans.do_record_repayment(
                loan,
                actor=township_officer,
                paid_on=D(2023, 2, 1),
                principal=principal,
                interest=interest,
            )
        assert caught.value.code == "repayment_invalid"


def test_extend_then_overdue_refresh(township_officer, borrower):
    loan = issue(township_officer, borrower, issued_on=D(2021, 1, 1), term_months=24)
    with pytest.raises(DomainError) as caught:
        loans.do_extend_loan(loan, actor=township_officer, extended_to=D(2022, 12, 1), reason="x")
    assert caught.value.code == "loan_extension_date"
    with pytest.raises(DomainError) as missing:
        loans.do_extend_loan(loan, actor=township_officer, extended_to=D(2023, 6, 30), reason=" ")
    assert missing.value.code == "reason_missing"
    loans.do_extend_loan(
        loan, actor=township_officer, extended_to=D(2023, 6, 30), reason="受灾延期"
    )
    assert loan.status == LoanStatus.EXTENDED
    assert loans.refresh_loan_statuses(D(2023, 6, 30)) == 0
    assert loans.refresh_loan_statuses(D(2023, 7, 1)) == 1
    loan.refresh_from_db()
    assert loan.status == LoanStatus.OVERDUE
    event = AuditEvent.objects.filter(event="assistance.loans_overdue_refreshed").latest("id")
    assert event.data["changed"] == 1 and event.data["contracts"] == ["GX-2023-001"]


def test_refresh_skips_repaid_and_is_scoped_for_an_officer(township_officer, borrower):
    loan = issue(township_officer, borrower, issued_on=D(2021, 1, 1), term_months=12)
    assert loans.refresh_loan_statuses(D(2023, 1, 1), actor=township_officer) == 1
    loan.refresh_from_db()
    assert loan.status == LoanStatus.OVERDUE
    loans.do_record_repayment(
        loan, actor=township_officer, paid_on=D(2023, 2, 1), principal="50000"
    )
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REPAID
    assert loans.refresh_loan_statuses(D(2023, 3, 1)) == 0


def test_warnings_list_overdue_and_due_soon(township_officer, borrower):
    soon = issue(
        township_officer,
        borrower,
        issued_on=D(2022, 7, 10),
        term_months=12,
        amount=Decimal("10000"),
    )
    late = issue(
        township_officer,
        borrower,
        contract_number="GX-LATE",
        issued_on=D(2022, 5, 1),
        term_months=12,
        amount=Decimal("10000"),
    )
    issue(township_officer, borrower, contract_number="GX-FAR", amount=Decimal("10000"))
    rows = loans.loan_warnings(selectors.visible_loans(township_officer), D(2023, 6, 20))
    assert [(row["loan"].pk, row["kind"], row["days"]) for row in rows] == [
        (late.pk, "overdue", 50),
        (soon.pk, "due_soon", 20),
    ]


def test_write_off_needs_reason_and_closes(township_officer, borrower):
    loan = issue(township_officer, borrower)
    with pytest.raises(DomainError):
        loans.do_write_off(loan, actor=township_officer, reason="")
    loans.do_write_off(loan, actor=township_officer, reason="借款人死亡，银行核销")
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.WRITTEN_OFF
    assert AuditEvent.objects.filter(event="assistance.loan_written_off").exists()


# --- interest subsidy ----------------------------------------------------------------------


def unsaved(amount, issued_on, rate, term=36):
    return Loan(
        amount=Decimal(amount),
        issued_on=issued_on,
        term_months=term,
        due_on=loans.add_months(issued_on, term),
        annual_rate=Decimal(rate),
    )


@pytest.mark.parametrize(
    ("loan", "repayments", "expected"),
    [
        # 50,000 × 4.35% × 90 / 360 = 543.75 (Q1 2023 has 90 days)
        (unsaved("50000", D(2023, 1, 1), "0.0435"), [], "543.75"),
        # issued mid-quarter: Feb 15 - Mar 31 = 45 days; 30,000 × 3.85% × 45 / 360 = 144.375
        (unsaved("30000", D(2023, 2, 15), "0.0385"), [], "144.38"),
        # 20,000 for 31 days, then 10,000 for 59 days: 0.0435 × 1,210,000 / 360 = 146.2083
        (unsaved("20000", D(2022, 12, 1), "0.0435"), [(D(2023, 2, 1), Decimal("10000"))], "146.21"),
        # due on Feb 1: no subsidy for the overdue days (31 days × 10,000 × 3.6% / 360 = 31.00)
        (unsaved("10000", D(2022, 2, 1), "0.036", term=12), [], "31.00"),
    ],
)
def test_quarter_interest_by_hand(loan, repayments, expected):
    interest = loans.loan_interest(loan, D(2023, 1, 1), D(2023, 3, 31), repayments)
    assert loans.round_cent(interest) == Decimal(expected)


def test_build_subsidy_one_line_per_borrower_and_idempotent(township_officer, borrower, shadi):
    issue(township_officer, borrower, amount=Decimal("20000"))  # Q2: 91 days
    issue(
        township_officer,
        borrower,
        contract_number="GX-B",
        amount=Decimal("10000"),
        annual_rate=Decimal("0.0385"),
        issued_on=D(2023, 5, 1),
    )  # 61 days in Q2
    batch = loans.do_build_interest_subsidy(shadi, "2023q2", actor=township_officer)
    # 20,000 × 0.0435 × 91/360 = 219.9167; 10,000 × 0.0385 × 61/360 = 65.2361 → 285.15
    assert (batch.kind, batch.period, batch.line_count) == (
        PaymentKind.INTEREST_SUBSIDY,
        "2023Q2",
        1,
    )
    line = PaymentLine.objects.get(batch=batch)
    assert line.amount == Decimal("285.15") and line.person == borrower
    again = loans.do_build_interest_subsidy(shadi, "2023Q2", actor=township_officer)
    assert again.pk == batch.pk and again.line_count == 1
    assert PaymentLine.objects.filter(kind=PaymentKind.INTEREST_SUBSIDY).count() == 1


def test_subsidy_ratio_from_2024(township_officer, borrower, shadi):
    issue(township_officer, borrower)
    batch = loans.do_build_interest_subsidy(shadi, "2024Q1", actor=township_officer)
    # 50,000 × 0.0435 × 91/360 = 549.7917; × 0.7 = 384.854 → 384.85
    assert PaymentLine.objects.get(batch=batch).amount == Decimal("384.85")


def test_subsidy_refuses_bad_quarter_and_cadre(township_officer, luotian_cadre, shadi, borrower):
    with pytest.raises(DomainError) as caught:
        loans.do_build_interest_subsidy(shadi, "2023-06", actor=township_officer)
    assert caught.value.code == "invalid_quarter"
    with pytest.raises(DomainError) as denied:
        loans.do_build_interest_subsidy(shadi, "2023Q2", actor=luotian_cadre)
    assert denied.value.code == "permission_denied"


# --- scoping -------------------------------------------------------------------------------


def test_makou_cadre_sees_no_luotian_loans(township_officer, luotian_cadre, makou_cadre, borrower):
    loan = issue(township_officer, borrower)
    assert list(selectors.visible_loans(luotian_cadre)) == [loan]
    assert not selectors.visible_loans(makou_cadre).exists()
    with pytest.raises(NotFound):
        selectors.access_loan(makou_cadre, loan.public_id)
    with pytest.raises(NotFound):
        selectors.access_loan(luotian_cadre, "not-a-uuid")

"""产业振兴信贷通 / 脱贫人口小额信贷: issuing, repayments, extension, overdue, write-off and
the quarterly interest subsidy (贴息) paid through a payment batch (DOMAIN.md §6).

Rules (thresholds are effective-dated settings, ``assistance.parameters``):
- borrower: an active member of an active 脱贫户 or 监测户, aged ``loan_min_age`` to
  ``loan_max_age`` on the issue date (18-65);
- amount > 0 and, with the household's outstanding principal of its open loans (active,
  overdue, extended), ≤ ``loan_limit`` (50,000): "户贷款余额不超过5万元";
- term 1 to ``loan_max_term_months`` (36); due_on = issued_on + term months (month-end clamp);
- contract numbers are unique.

Interest subsidy day count: **actual/360**, interest accrues from the issue date (counted) to
the repayment date (not counted), "算头不算尾", on the principal outstanding each day. A loan
earns subsidy only up to its due date (or the extension date): overdue time is not
subsidised, nor is a written-off loan. Per borrower and quarter the loans' interest is
summed, multiplied by ``interest_subsidy_ratio`` effective on the quarter's last day and
rounded once, ROUND_HALF_UP to the cent.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F, Q, Sum

from zhenwu.accounts.policy import require_area, require_perm, scoped
from zhenwu.accounts.roles import Perm
from zhenwu.assistance.actions.payments import add_lines, do_open_batch
from zhenwu.assistance.choices import LoanStatus, PaymentKind, SettingKey
from zhenwu.assistance.models import Loan, LoanRepayment, PaymentLine
from zhenwu.assistance.parameters import setting_value
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.lib.ids import age_on
from zhenwu.lib.money import CENT
from zhenwu.lib.periods import PeriodError, parse_period
from zhenwu.registry.choices import HouseholdCategory, HouseholdStatus, PersonStatus

ZERO = Decimal("0")
OPEN_STATUSES = (LoanStatus.ACTIVE, LoanStatus.OVERDUE, LoanStatus.EXTENDED)
CLOSED_STATUSES = (LoanStatus.REPAID, LoanStatus.WRITTEN_OFF)
ELIGIBLE_CATEGORIES = (HouseholdCategory.LIFTED, HouseholdCategory.MONITORED)
DAY_COUNT_BASIS = Decimal("360")
WARNING_DAYS = 30
MAX_RATE = Decimal("1")
LOAN_SOURCE = "assistance.loan"


# --- settings ------------------------------------------------------------------------------


def setting(area, key: str, on: datetime.date) -> Decimal:
    """The effective setting; DomainError("setting_missing") when not configured."""
    return setting_value(area, key, on)


# --- helpers -------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """2023-01-31 + 1 month → 2023-02-28 (the day is clamped to the month's end)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def effective_due_on(loan: Loan) -> datetime.date:
    return loan.extended_to or loan.due_on


def outstanding(loan: Loan) -> Decimal:
    return loan.amount - loan.principal_repaid


def _audit_view(loan: Loan) -> dict:
    return {
        "contract_number": loan.contract_number,
        "household": loan.household.number,
        "amount": loan.amount,
        "status": loan.status,
        "principal_repaid": loan.principal_repaid,
    }


def _require_loan_scope(loan: Loan, actor) -> None:
    require_perm(actor, Perm.MANAGE_LOANS)
    require_area(actor, loan.household.village, Perm.MANAGE_LOANS)


def _lock(loan: Loan, expected_version: int | None = None) -> Loan:
    """The loan row locked for this transaction; conflict when it moved on."""
    locked = (
        Loan.objects.select_for_update(of=("self",))
        .select_related("household__village")
        .get(pk=loan.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise DomainError("conflict")
    return locked


def _save(loan: Loan, actor, fields: list[str]) -> None:
    loan.updated_by = actor
    loan.version += 1
    loan.save(update_fields=[*fields, "updated_by", "version", "updated_at"])


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise DomainError("reason_missing")
    return text[:200]


# --- eligibility ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LoanTerms:
    amount: Decimal
    issued_on: datetime.date
    term_months: int
    annual_rate: Decimal


def check_eligibility(borrower, terms: LoanTerms, *, contract_number: str) -> None:
    """Raise DomainError with the first rule the loan breaks (the import runs it per row)."""
    household = borrower.household
    village = household.village
    if borrower.status != PersonStatus.ACTIVE or household.status != HouseholdStatus.ACTIVE:
        raise DomainError("loan_borrower_inactive")
    if household.category not in ELIGIBLE_CATEGORIES:
        raise DomainError("loan_household_ineligible")
    low = int(setting(village, SettingKey.LOAN_MIN_AGE, terms.issued_on))
    high = int(setting(village, SettingKey.LOAN_MAX_AGE, terms.issued_on))
    age = age_on(borrower.birth_date, terms.issued_on)
    if not low <= age <= high:
        raise DomainError("loan_age", age=age, low=low, high=high)
    max_term = int(setting(village, SettingKey.LOAN_MAX_TERM_MONTHS, terms.issued_on))
    if not 1 <= terms.term_months <= max_term:
        raise DomainError("loan_term", max=max_term)
    if not ZERO <= terms.annual_rate < MAX_RATE:
        raise DomainError("loan_rate_invalid")
    _check_amount(household, terms, village)
    if Loan.objects.filter(contract_number=contract_number).exists():
        raise DomainError("loan_duplicate_contract", number=contract_number)


def _check_amount(household, terms: LoanTerms, village) -> None:
    if terms.amount <= ZERO:
        raise DomainError("loan_amount_invalid")
    limit = setting(village, SettingKey.LOAN_LIMIT, terms.issued_on)
    open_loans = Loan.objects.filter(household=household, status__in=OPEN_STATUSES)
    balance = open_loans.aggregate(total=Sum(F("amount") - F("principal_repaid"), default=ZERO))[
        "total"
    ]
    if balance + terms.amount > limit:
        raise DomainError(
            "loan_over_limit",
            balance=_yuan(balance),
            amount=_yuan(terms.amount),
            limit=_yuan(limit),
        )


def _decimal(value) -> Decimal:
    """Via str, so that a float 0.0435 stays 0.0435; DomainError for anything not a number."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError("invalid_amount") from None
    if not number.is_finite():
        raise DomainError("invalid_amount")
    return number


def _yuan(value: Decimal) -> str:
    return f"{Decimal(value).quantize(CENT):,}"


# --- issuing and repaying ------------------------------------------------------------------


@transaction.atomic
def do_issue_loan(
    *,
    actor,
    borrower,
    bank: str,
    contract_number: str,
    amount,
    issued_on: datetime.date,
    term_months: int,
    annual_rate,
    purpose: str,
) -> Loan:
    """Register a loan contract (放款登记). Perm.MANAGE_LOANS in the borrower's village."""
    require_perm(actor, Perm.MANAGE_LOANS)
    require_area(actor, borrower.household.village, Perm.MANAGE_LOANS)
    contract_number = (contract_number or "").strip()
    if not contract_number or not (bank or "").strip() or not (purpose or "").strip():
        raise DomainError("loan_fields_missing")
    amount = round_cent(_decimal(amount))
    terms = LoanTerms(amount, issued_on, int(term_months), _decimal(annual_rate))
    return register_loan(actor, borrower, terms, contract_number, bank.strip(), purpose.strip())


def register_loan(
    actor, borrower, terms: LoanTerms, contract_number, bank, purpose, *, audited=True
) -> Loan:
    """Shared by the form and the bank-list import (which audits once for the file)."""
    check_eligibility(borrower, terms, contract_number=contract_number)
    loan = Loan.objects.create(
        household=borrower.household,
        borrower=borrower,
        bank=bank[:100],
        contract_number=contract_number[:64],
        amount=terms.amount.quantize(CENT, rounding=ROUND_HALF_UP),
        issued_on=terms.issued_on,
        term_months=terms.term_months,
        due_on=add_months(terms.issued_on, terms.term_months),
        annual_rate=terms.annual_rate,
        purpose=purpose[:200],
        created_by=actor,
        updated_by=actor,
    )
    if audited:
        audit.record("assistance.loan_issued", actor=actor, obj=loan, data=_audit_view(loan))
    return loan


@transaction.atomic
def do_record_repayment(
    loan: Loan, *, actor, paid_on: datetime.date, principal, interest=ZERO
) -> LoanRepayment:
    """Append a repayment (还款); the loan is repaid (已结清) when no principal is left."""
    _require_loan_scope(loan, actor)
    locked = _lock(loan)
    principal, interest = round_cent(_decimal(principal or 0)), round_cent(_decimal(interest or 0))
    if locked.status in CLOSED_STATUSES:
        raise DomainError("loan_closed")
    if principal < ZERO or interest < ZERO or principal + interest <= ZERO:
        raise DomainError("repayment_invalid")
    if principal > outstanding(locked):
        raise DomainError("repayment_exceeds", outstanding=_yuan(outstanding(locked)))
    if paid_on < locked.issued_on:
        raise DomainError("date_order")
    repayment = LoanRepayment.objects.create(
        loan=locked, paid_on=paid_on, principal=principal, interest=interest, created_by=actor
    )
    Loan.objects.filter(pk=locked.pk).update(principal_repaid=F("principal_repaid") + principal)
    locked.refresh_from_db(fields=["principal_repaid"])
    fields = []
    if outstanding(locked) <= ZERO:
        locked.status = LoanStatus.REPAID
        fields.append("status")
    _save(locked, actor, fields)
    audit.record(
        "assistance.loan_repaid",
        actor=actor,
        obj=locked,
        data={
            **_audit_view(locked),
            "paid_on": paid_on,
            "principal": principal,
            "interest": interest,
        },
    )
    _sync(loan, locked)
    return repayment


def _sync(original: Loan, locked: Loan) -> None:
    for name in ("status", "principal_repaid", "extended_to", "version"):
        setattr(original, name, getattr(locked, name))


@transaction.atomic
def do_extend_loan(
    loan: Loan, *, actor, extended_to: datetime.date, reason: str, expected_version=None
) -> Loan:
    """展期: a later due date for an open loan; status extended."""
    _require_loan_scope(loan, actor)
    locked = _lock(loan, expected_version)
    reason = _reason(reason)
    if locked.status in CLOSED_STATUSES:
        raise DomainError("loan_closed")
    if extended_to <= effective_due_on(locked):
        raise DomainError("loan_extension_date")
    before = locked.status
    locked.extended_to, locked.status = extended_to, LoanStatus.EXTENDED
    _save(locked, actor, ["extended_to", "status"])
    audit.record(
        "assistance.loan_extended",
        actor=actor,
        obj=locked,
        data={**_audit_view(locked), "from": before, "extended_to": extended_to, "reason": reason},
    )
    _sync(loan, locked)
    return loan


@transaction.atomic
def do_write_off(loan: Loan, *, actor, reason: str, expected_version=None) -> Loan:
    """核销: an open loan the bank has written off; no further repayments or subsidy."""
    _require_loan_scope(loan, actor)
    locked = _lock(loan, expected_version)
    reason = _reason(reason)
    if locked.status in CLOSED_STATUSES:
        raise DomainError("loan_closed")
    before = locked.status
    locked.status = LoanStatus.WRITTEN_OFF
    _save(locked, actor, ["status"])
    audit.record(
        "assistance.loan_written_off",
        actor=actor,
        obj=locked,
        data={**_audit_view(locked), "from": before, "reason": reason},
    )
    _sync(loan, locked)
    return loan


# --- overdue -------------------------------------------------------------------------------


def _past_due(on: datetime.date) -> Q:
    return Q(status=LoanStatus.ACTIVE, due_on__lt=on) | Q(
        status=LoanStatus.EXTENDED, extended_to__lt=on
    )


@transaction.atomic
def refresh_loan_statuses(on: datetime.date, *, actor=None) -> int:
    """Active or extended loans past their (extended) due date with principal outstanding
    become overdue (逾期). The nightly job passes no actor (all loans); an officer's run
    covers their scope. One audit row with the summary; returns the number changed."""
    qs = Loan.objects.filter(_past_due(on), principal_repaid__lt=F("amount"))
    if actor is not None:
        require_perm(actor, Perm.MANAGE_LOANS)
        qs = scoped(qs, actor, Perm.MANAGE_LOANS, "household__village")
    contracts = list(qs.select_for_update(of=("self",)).values_list("contract_number", flat=True))
    changed = Loan.objects.filter(contract_number__in=contracts).update(
        status=LoanStatus.OVERDUE, version=F("version") + 1
    )
    audit.record(
        "assistance.loans_overdue_refreshed",
        actor=actor,
        object_type="assistance.loan",
        username="" if actor is not None else "system",
        data={"on": on, "changed": changed, "contracts": contracts[:100]},
    )
    return changed


def loan_warnings(loans, on: datetime.date) -> list[dict]:
    """逾期预警: open loans with principal left that are overdue or due within 30 days.
    ``loans`` is an already scoped queryset (``selectors.visible_loans``)."""
    horizon = on + datetime.timedelta(days=WARNING_DAYS)
    rows = []
    for loan in loans.filter(status__in=OPEN_STATUSES, principal_repaid__lt=F("amount")):
        due = effective_due_on(loan)
        if due < on or loan.status == LoanStatus.OVERDUE:
            rows.append({"loan": loan, "kind": "overdue", "due_on": due, "days": (on - due).days})
        elif due <= horizon:
            rows.append({"loan": loan, "kind": "due_soon", "due_on": due, "days": (due - on).days})
    return sorted(rows, key=lambda row: (row["kind"] != "overdue", row["due_on"]))


# --- interest subsidy (贴息) ----------------------------------------------------------------


def loan_interest(loan: Loan, start: datetime.date, end: datetime.date, repayments) -> Decimal:
    """Unrounded interest for the days start..end (inclusive) on the principal outstanding
    each day, actual/360, up to the (extended) due date. ``repayments``: (paid_on, principal)
    of the loan, any order."""
    first = max(start, loan.issued_on)
    stop = min(end + datetime.timedelta(days=1), effective_due_on(loan))  # exclusive
    if first >= stop:
        return ZERO
    balance = loan.amount - sum((p for day, p in repayments if day <= first), ZERO)
    total, cursor = ZERO, first
    for day, principal in sorted(r for r in repayments if first < r[0] < stop):
        total += balance * (day - cursor).days
        balance -= principal
        cursor = day
    total += balance * (stop - cursor).days
    return total * loan.annual_rate / DAY_COUNT_BASIS


def round_cent(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def quarter_subsidies(area, quarter: str) -> tuple[str, dict]:
    """(period code, {borrower: (amount, [loans])}) for loans of ``area``'s subtree."""
    try:
        period = parse_period(quarter)
    except PeriodError:
        raise DomainError("invalid_quarter") from None
    if period.kind != "quarter":
        raise DomainError("invalid_quarter")
    ratio = setting(area, SettingKey.INTEREST_SUBSIDY_RATIO, period.end)
    loans = (
        Loan.objects.filter(
            household__village__path__startswith=area.path,
            issued_on__lte=period.end,
        )
        .exclude(status=LoanStatus.WRITTEN_OFF)
        .select_related("borrower", "household")
        .prefetch_related("repayments")
        .order_by("id")
    )
    by_borrower: dict = {}
    for loan in loans:
        repayments = [(r.paid_on, r.principal) for r in loan.repayments.all()]
        interest = loan_interest(loan, period.start, period.end, repayments)
        if interest > ZERO:
            total, items = by_borrower.get(loan.borrower, (ZERO, []))
            by_borrower[loan.borrower] = (total + interest, [*items, loan])
    return period.code, {
        person: (round_cent(total * ratio), items)
        for person, (total, items) in by_borrower.items()
        if round_cent(total * ratio) > ZERO
    }


@transaction.atomic
def do_build_interest_subsidy(area, quarter: str, *, actor):
    """The quarter's 贴息 batch (kind interest_subsidy, period ``2023Q2``): one line per
    borrower. Building again adds only borrowers not yet in it (idempotent)."""
    require_perm(actor, Perm.PREPARE_PAYMENTS)
    require_area(actor, area, Perm.PREPARE_PAYMENTS)
    code, subsidies = quarter_subsidies(area, quarter)
    batch = do_open_batch(actor=actor, kind=PaymentKind.INTEREST_SUBSIDY, area=area, period=code)
    paid = set(
        PaymentLine.objects.filter(
            kind=PaymentKind.INTEREST_SUBSIDY, period=code, reverses__isnull=True
        ).values_list("person_id", flat=True)
    )
    items = [
        {
            "person": person,
            "amount": amount,
            "note": ("贴息 " + "、".join(loan.contract_number for loan in loans))[:200],
            "source_type": LOAN_SOURCE,
            "source_id": loans[0].pk,
        }
        for person, (amount, loans) in subsidies.items()
        if person.pk not in paid
    ]
    if items:
        add_lines(batch, actor=actor, items=items)
    batch.refresh_from_db()
    return batch

"""小额信贷, read-only, at /api/v1/assistance/loans.

Scoped like the pages (404 for missing and out of scope alike). A loan carries the
borrower's name and masked ID number, never the full number."""

import datetime
from decimal import Decimal
from uuid import UUID

from ninja import Field, Query, Router, Schema

from zhenwu.api.auth import request_user
from zhenwu.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from zhenwu.assistance import selectors
from zhenwu.assistance.actions.loans import effective_due_on, outstanding
from zhenwu.assistance.choices import LoanStatus

router = Router(tags=["小额信贷"])


class LoanListQuery(Schema):
    status: LoanStatus | None = None
    village: str | None = Field(None, max_length=20, description="行政村代码")
    bank: str | None = Field(None, max_length=100)
    issued_from: datetime.date | None = None
    issued_to: datetime.date | None = None
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class RepaymentOut(Schema):
    paid_on: datetime.date
    principal: Decimal
    interest: Decimal


class LoanOut(Schema):
    id: UUID
    contract_number: str
    household: UUID
    household_number: str
    village: str
    borrower_name: str
    borrower_id_masked: str
    bank: str
    amount: Decimal
    issued_on: datetime.date
    term_months: int
    due_on: datetime.date
    extended_to: datetime.date | None
    annual_rate: Decimal
    purpose: str
    status: str
    principal_repaid: Decimal
    outstanding: Decimal
    version: int
    repayments: list[RepaymentOut] | None = None


class LoanPage(Schema):
    items: list[LoanOut]
    next_cursor: str | None


def loan_out(loan, *, repayments: bool = False) -> dict:
    out = {
        "id": loan.public_id,
        "contract_number": loan.contract_number,
        "household": loan.household.public_id,
        "household_number": loan.household.number,
        "village": loan.household.village.code,
        "borrower_name": loan.borrower.name,
        "borrower_id_masked": loan.borrower.id_masked,
        "bank": loan.bank,
        "amount": loan.amount,
        "issued_on": loan.issued_on,
        "term_months": loan.term_months,
        "due_on": effective_due_on(loan),
        "extended_to": loan.extended_to,
        "annual_rate": loan.annual_rate,
        "purpose": loan.purpose,
        "status": loan.status,
        "principal_repaid": loan.principal_repaid,
        "outstanding": outstanding(loan),
        "version": loan.version,
    }
    if repayments:
        out["repayments"] = [
            {"paid_on": r.paid_on, "principal": r.principal, "interest": r.interest}
            for r in loan.repayments.order_by("paid_on", "id")
        ]
    return out


@router.get("/assistance/loans", response=LoanPage, summary="小额信贷列表")
def list_loans(request, params: Query[LoanListQuery]):
    """Loans in the caller's scope, in id order, one page at a time (``next_cursor``)."""
    qs = selectors.visible_loans(request_user(request))
    if params.status:
        qs = qs.filter(status=params.status.value)
    if params.village:
        qs = qs.filter(household__village__code=params.village)
    if params.bank:
        qs = qs.filter(bank__icontains=params.bank)
    if params.issued_from:
        qs = qs.filter(issued_on__gte=params.issued_from)
    if params.issued_to:
        qs = qs.filter(issued_on__lte=params.issued_to)
    rows, next_cursor = keyset_page(qs, cursor=params.cursor, limit=params.limit)
    return {"items": [loan_out(loan) for loan in rows], "next_cursor": next_cursor}


@router.get("/assistance/loans/{public_id}", response=LoanOut, summary="小额信贷详情")
def get_loan(request, public_id: str):
    """One loan with its repayments."""
    loan = selectors.access_loan(request_user(request), public_id)
    return loan_out(loan, repayments=True)

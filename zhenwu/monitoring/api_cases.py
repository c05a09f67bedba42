"""识别纳入 / 风险消除 cases, read-only, at /api/v1/monitoring/cases.

Scoped like the pages (404 for missing and out of scope alike). A case carries the
household's number and village but no personal data of its members."""

import datetime
from uuid import UUID

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from zhenwu.accounts.policy import area_in_scope
from zhenwu.accounts.roles import Perm
from zhenwu.api.auth import request_user
from zhenwu.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from zhenwu.core import audit
from zhenwu.monitoring import selectors
from zhenwu.monitoring.choices import CaseKind, CaseStatus

router = Router(tags=["监测程序"])
VIEW_SENSITIVE = Perm.VIEW_SENSITIVE


class CaseListQuery(Schema):
    kind: CaseKind | None = None
    status: CaseStatus | None = None
    village: str | None = Field(None, max_length=20, description="行政村代码")
    overdue: bool = False
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class CaseEventOut(Schema):
    at: datetime.datetime
    action: str
    from_status: str
    to_status: str
    reason: str


class CaseOut(Schema):
    id: UUID
    kind: str
    status: str
    household: UUID
    household_number: str
    village: str
    category: str
    risk_types: list[str]
    started_on: datetime.date
    deadline_on: datetime.date
    overdue: bool
    version: int
    verified_on: datetime.date | None = None
    review_meeting_on: datetime.date | None = None
    notice_posted_on: datetime.date | None = None
    notice_ends_on: datetime.date | None = None
    township_reviewed_on: datetime.date | None = None
    approved_on: datetime.date | None = None
    elimination_way: str = ""
    criteria_results: dict = {}
    closing_reason: str = ""
    events: list[CaseEventOut] | None = None


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None


def _criteria_for(case, sees_income: bool) -> dict:
    """Stored criteria; the income figures only for callers who may see incomes."""
    results = dict(case.criteria_results or {})
    if not sees_income and results.get("items"):
        results["items"] = [
            {**item, "detail": ""} if item["code"] == "income_above_line" else item
            for item in results["items"]
        ]
    return results


def case_out(case, today, *, sees_income: bool, events: bool = False) -> dict:
    out = {
        "id": case.public_id,
        "kind": case.kind,
        "status": case.status,
        "household": case.household.public_id,
        "household_number": case.household.number,
        "village": case.household.village.code,
        "category": case.category,
        "risk_types": case.risk_types,
        "started_on": case.started_on,
        "deadline_on": case.deadline_on,
        "overdue": case.is_overdue(today),
        "version": case.version,
        "verified_on": case.verified_on,
        "review_meeting_on": case.review_meeting_on,
        "notice_posted_on": case.notice_posted_on,
        "notice_ends_on": case.notice_ends_on,
        "township_reviewed_on": case.township_reviewed_on,
        "approved_on": case.approved_on,
        "elimination_way": case.elimination_way,
        "criteria_results": _criteria_for(case, sees_income),
        "closing_reason": case.closing_reason,
    }
    if events:
        out["events"] = [
            {
                "at": e.at,
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "reason": e.reason,
            }
            for e in case.events.all()
        ]
    return out


@router.get("/monitoring/cases", response=CasePage, summary="监测程序列表")
def list_cases(request, params: Query[CaseListQuery]):
    """Cases in the caller's scope, in id order, one page at a time (``next_cursor``)."""
    user = request_user(request)
    today = timezone.localdate()
    filters = {
        "kind": params.kind.value if params.kind else "",
        "status": params.status.value if params.status else "",
        "village": params.village or "",
        "overdue": params.overdue,
    }
    qs = selectors.filter_cases(selectors.visible_cases(user), filters, today=today)
    rows, next_cursor = keyset_page(qs, cursor=params.cursor, limit=params.limit)
    items = [
        case_out(c, today, sees_income=area_in_scope(user, c.household.village, VIEW_SENSITIVE))
        for c in rows
    ]
    return {"items": items, "next_cursor": next_cursor}


@router.get("/monitoring/cases/{public_id}", response=CaseOut, summary="监测程序详情")
def get_case(request, public_id: str):
    """One case with its steps (``events``)."""
    user = request_user(request)
    case = selectors.access_case(user, public_id)
    audit.record("monitoring.case_viewed", actor=user, obj=case)
    sees_income = area_in_scope(user, case.household.village, VIEW_SENSITIVE)
    return case_out(case, timezone.localdate(), sees_income=sees_income, events=True)

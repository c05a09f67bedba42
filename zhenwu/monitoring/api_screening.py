"""每月一排查 endpoints for the cadres' mobile entry, at /api/v1/monitoring/.

Same rules as the pages: rounds and targets through ``monitoring.selectors`` (the caller's
scope; out of scope is a 404), visits through ``actions.screening.do_record_visit`` (the
same validation as the form; permission, area, audit)."""

import datetime
import uuid
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from zhenwu.accounts.roles import Perm
from zhenwu.api.auth import request_user
from zhenwu.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.monitoring.actions.screening import MAX_PROBLEMS_PER_VISIT, do_record_visit
from zhenwu.monitoring.choices import IncomeChange, ProblemKind, RoundStatus
from zhenwu.monitoring.forms_screening import parse_month
from zhenwu.monitoring.models import ScreeningVisit
from zhenwu.monitoring.selectors import access_round, round_progress, round_targets, visible_rounds
from zhenwu.registry.choices import RiskType
from zhenwu.registry.selectors import query_kind

router = Router(tags=["每月排查"])


# --- schemas ---------------------------------------------------------------------------------


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RoundOut(Schema):
    id: uuid.UUID
    village_code: str
    village_name: str
    month: str = Field(description="YYYY-MM")
    status: str
    target_groups: list[str]
    targets: int
    visited: int
    rate: float


class RoundPage(Schema):
    items: list[RoundOut]
    next_cursor: str | None


class RoundListQuery(Schema):
    month: str | None = Field(None, pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")
    status: RoundStatus | None = None
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class VisitRef(Schema):
    id: uuid.UUID
    version: int
    visited_on: datetime.date


class TargetOut(Schema):
    id: uuid.UUID
    number: str
    head_name: str
    category: str
    members: int
    visited: bool
    visit: VisitRef | None


class TargetPage(Schema):
    items: list[TargetOut]
    next_cursor: str | None


class TargetQuery(Schema):
    q: str | None = Field(None, max_length=40)
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class Checks(StrictSchema):
    """两不愁三保障 + 饮水: true = 有保障 (the default), false = 有问题."""

    food: bool = True
    clothing: bool = True
    education: bool = True
    medical: bool = True
    housing: bool = True
    water: bool = True


class ProblemIn(StrictSchema):
    kind: ProblemKind
    description: str = Field(min_length=1, max_length=500)
    owner: str = Field(min_length=1, max_length=50)
    deadline_on: datetime.date


class VisitIn(StrictSchema):
    household: uuid.UUID
    visited_on: datetime.date
    visitors: list[str] = Field(min_length=1, max_length=10)
    checks: Checks = Field(default_factory=Checks)
    income_change: IncomeChange = IncomeChange.STABLE
    rigid_spending: Decimal = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=2)
    notes: str = Field("", max_length=2000)
    report_clue: bool = False
    risk_types: list[RiskType] = Field(default_factory=list, max_length=5)
    problems: list[ProblemIn] = Field(default_factory=list, max_length=MAX_PROBLEMS_PER_VISIT)
    version: int | None = Field(None, description="修改已有走访记录时必填（乐观锁）")


class VisitOut(Schema):
    id: uuid.UUID
    household: uuid.UUID
    version: int
    visited_on: datetime.date
    has_problem: bool
    clue: uuid.UUID | None
    clue_duplicate: bool = Field(description="该户已有未办结线索或程序，未重复报告")
    problems: list[uuid.UUID]


# --- helpers --------------------------------------------------------------------------------


def _round_out(round_) -> dict:
    visited, targets, rate = round_progress(round_)
    return {
        "id": round_.public_id,
        "village_code": round_.village.code,
        "village_name": round_.village.name,
        "month": round_.month.strftime("%Y-%m"),
        "status": round_.status,
        "target_groups": round_.target_groups,
        "targets": targets,
        "visited": visited,
        "rate": round(rate, 4),
    }


def _target_out(household, visits: dict) -> dict:
    head = household.head
    visit = visits.get(household.pk)
    return {
        "id": household.public_id,
        "number": household.number,
        "head_name": head.name if head else "",
        "category": household.category,
        "members": len(household.active_members()),
        "visited": household.visited,
        "visit": (
            {"id": visit.public_id, "version": visit.version, "visited_on": visit.visited_on}
            if visit
            else None
        ),
    }


# --- endpoints ------------------------------------------------------------------------------


@router.get("/monitoring/rounds", response=RoundPage, summary="排查轮次列表")
def list_rounds(request, params: Query[RoundListQuery]):
    """Rounds of the villages in the caller's scope, newest first within a page."""
    user = request_user(request)
    qs = visible_rounds(user)
    if params.month:
        month = parse_month(params.month)
        qs = qs.filter(month=month) if month else qs.none()
    if params.status:
        qs = qs.filter(status=params.status)
    rows, next_cursor = keyset_page(qs, cursor=params.cursor, limit=params.limit)
    return {"items": [_round_out(r) for r in rows], "next_cursor": next_cursor}


@router.get("/monitoring/rounds/{public_id}", response=RoundOut, summary="排查轮次")
def get_round(request, public_id: str):
    return _round_out(access_round(request_user(request), public_id))


@router.get("/monitoring/rounds/{public_id}/targets", response=TargetPage, summary="本轮排查对象")
def list_targets(request, public_id: str, params: Query[TargetQuery]):
    """Target households with their visit (if any); ``q`` searches the head's name,
    pinyin or initials, ID digits or the household number (audited)."""
    user = request_user(request)
    round_ = access_round(user, public_id)
    qs = round_targets(round_, query=params.q or "")
    if params.q:
        audit.record(
            "monitoring.round_search",
            actor=user,
            obj=round_,
            data={"query_kind": query_kind(params.q), "count": qs.count()},
        )
    rows, next_cursor = keyset_page(qs, cursor=params.cursor, limit=params.limit)
    visits = {
        v.household_id: v
        for v in ScreeningVisit.objects.filter(round=round_, household__in=[h.pk for h in rows])
    }
    return {"items": [_target_out(h, visits) for h in rows], "next_cursor": next_cursor}


@router.post(
    "/monitoring/rounds/{public_id}/visits",
    response={200: VisitOut, 201: VisitOut},
    summary="录入或修改走访记录",
)
def record_visit(request, public_id: str, payload: VisitIn):
    """One visit per household and round: the first POST creates it (201); a later one
    must carry the ``version`` it read and updates it (200; 409 when stale). A household
    outside the round is ``not_a_target``; a duplicate clue keeps the visit
    (``clue_duplicate``)."""
    user = request_user(request)
    round_ = access_round(user, public_id, Perm.SCREEN_HOUSEHOLDS)
    household = round_targets(round_).filter(public_id=payload.household).first()
    if household is None:
        raise DomainError("not_a_target")
    existed = ScreeningVisit.objects.filter(round=round_, household=household).exists()
    visit = do_record_visit(
        round_,
        household,
        actor=user,
        visited_on=payload.visited_on,
        visitors=payload.visitors,
        checks=payload.checks.model_dump(),
        income_change=payload.income_change.value,
        rigid_spending=payload.rigid_spending,
        notes=payload.notes,
        report_clue=payload.report_clue,
        risk_types=[r.value for r in payload.risk_types],
        problems=[{**p.model_dump(), "kind": p.kind.value} for p in payload.problems],
        expected_version=payload.version,
    )
    body = {
        "id": visit.public_id,
        "household": household.public_id,
        "version": visit.version,
        "visited_on": visit.visited_on,
        "has_problem": visit.has_problem,
        "clue": visit.clue.public_id if visit.clue else None,
        "clue_duplicate": visit.clue_duplicate,
        "problems": [p.public_id for p in visit.new_problems],
    }
    return Status(200 if existed else 201, body)

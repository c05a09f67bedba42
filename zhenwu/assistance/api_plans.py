"""一户一策 plans with their measures, read-only, at /api/v1/assistance/plans.

Scoped like the pages (404 for missing and out of scope alike). A plan carries the
household's number and village; a measure names its member by public id only."""

import datetime
from decimal import Decimal
from uuid import UUID

from django.db.models import Prefetch
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from zhenwu.accounts.policy import require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.api.auth import request_user
from zhenwu.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from zhenwu.assistance import selectors
from zhenwu.assistance.models import Measure

router = Router(tags=["一户一策"])


class PlanListQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    village: str | None = Field(None, max_length=20, description="行政村代码")
    household: UUID | None = Field(None, description="农户 public id")
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class MeasureOut(Schema):
    id: UUID
    category: str
    description: str
    status: str
    amount: Decimal
    planned_on: datetime.date
    implemented_on: datetime.date | None = None
    person: UUID | None = None
    version: int


class WarningOut(Schema):
    code: str
    label: str


class PlanOut(Schema):
    id: UUID
    year: int
    status: str
    goals: str
    household: UUID
    household_number: str
    village: str
    measures: list[MeasureOut]
    warnings: list[WarningOut] | None = None


class PlanPage(Schema):
    items: list[PlanOut]
    next_cursor: str | None


def _with_measures(qs):
    measures = Measure.objects.select_related("person").order_by("category", "planned_on", "id")
    return qs.prefetch_related(Prefetch("measures", queryset=measures))


def plan_out(plan, *, warnings=None) -> dict:
    out = {
        "id": plan.public_id,
        "year": plan.year,
        "status": plan.status,
        "goals": plan.goals,
        "household": plan.household.public_id,
        "household_number": plan.household.number,
        "village": plan.household.village.code,
        "measures": [
            {
                "id": m.public_id,
                "category": m.category,
                "description": m.description,
                "status": m.status,
                "amount": m.amount,
                "planned_on": m.planned_on,
                "implemented_on": m.implemented_on,
                "person": m.person.public_id if m.person_id else None,
                "version": m.version,
            }
            for m in plan.measures.all()
        ],
    }
    if warnings is not None:
        out["warnings"] = [{"code": w.code, "label": w.label} for w in warnings]
    return out


@router.get("/assistance/plans", response=PlanPage, summary="一户一策计划列表")
def list_plans(request, params: Query[PlanListQuery]):
    """Plans in the caller's scope with their measures, in id order (``next_cursor``)."""
    user = request_user(request)
    require_perm(user, Perm.VIEW_ASSISTANCE)
    qs = selectors.visible_plans(user)
    if params.year:
        qs = qs.filter(year=params.year)
    if params.village:
        qs = qs.filter(household__village__code=params.village)
    if params.household:
        qs = qs.filter(household__public_id=params.household)
    rows, next_cursor = keyset_page(_with_measures(qs), cursor=params.cursor, limit=params.limit)
    return {"items": [plan_out(p) for p in rows], "next_cursor": next_cursor}


@router.get("/assistance/plans/{public_id}", response=PlanOut, summary="一户一策计划详情")
def get_plan(request, public_id: str):
    """One plan with its measures and the household's current warnings."""
    user = request_user(request)
    plan = selectors.access_plan(user, public_id)
    plan = _with_measures(selectors.visible_plans(user)).get(pk=plan.pk)
    warnings = selectors.plan_warnings(plan.household, timezone.localdate())
    return plan_out(plan, warnings=warnings)

"""工作计划, read-only, at /api/v1/workplans/plans and /api/v1/workplans/tasks.

Scoped like the pages: plans of the caller's areas and of the areas above them (a village
cadre reads the township plan); 404 for missing and out of scope alike. Attachments are
not served here: a progress update says whether it has one (download through the page)."""

import datetime
from uuid import UUID

from django.db.models import Prefetch
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from zhenwu.api.auth import request_user
from zhenwu.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from zhenwu.workplans import selectors
from zhenwu.workplans.actions.plans import is_overdue
from zhenwu.workplans.choices import PlanStatus
from zhenwu.workplans.models import Task

router = Router(tags=["工作计划"])


class PlanListQuery(Schema):
    status: PlanStatus | None = None
    period: str | None = Field(None, max_length=10, description="如 2023H2")
    area: str | None = Field(None, max_length=20, description="区域代码")
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class UpdateOut(Schema):
    id: UUID
    reported_on: datetime.date
    progress: int
    note: str
    has_attachment: bool


class TaskOut(Schema):
    id: UUID
    title: str
    description: str
    lead_unit: str
    responsible: str
    deadline_on: datetime.date | None
    status: str
    progress: int
    overdue: bool
    indicator: str | None = Field(None, description="指标代码")
    updates: list[UpdateOut] | None = None


class SectionOut(Schema):
    order: int
    title: str
    tasks: list[TaskOut]


class PlanOut(Schema):
    id: UUID
    area: str
    area_name: str
    period: str
    title: str
    status: str
    task_count: int
    done_count: int
    overdue_count: int
    sections: list[SectionOut] | None = None


class PlanPage(Schema):
    items: list[PlanOut]
    next_cursor: str | None


def task_out(task, today, *, updates: bool = False) -> dict:
    out = {
        "id": task.public_id,
        "title": task.title,
        "description": task.description,
        "lead_unit": task.lead_unit,
        "responsible": task.responsible,
        "deadline_on": task.deadline_on,
        "status": task.status,
        "progress": task.progress,
        "overdue": is_overdue(task, today),
        "indicator": task.indicator.code if task.indicator_id else None,
    }
    if updates:
        out["updates"] = [
            {
                "id": u.public_id,
                "reported_on": u.reported_on,
                "progress": u.progress,
                "note": u.note,
                "has_attachment": bool(u.attachment),
            }
            for u in task.updates.all()
        ]
    return out


def plan_out(plan, *, sections: bool = False) -> dict:
    out = {
        "id": plan.public_id,
        "area": plan.area.code,
        "area_name": plan.area.name,
        "period": plan.period,
        "title": plan.title,
        "status": plan.status,
        "task_count": plan.task_count,
        "done_count": plan.done_count,
        "overdue_count": plan.overdue_count,
    }
    if sections:
        today = timezone.localdate()
        tasks = Prefetch("tasks", queryset=Task.objects.select_related("indicator"))
        out["sections"] = [
            {
                "order": s.order,
                "title": s.title,
                "tasks": [task_out(t, today) for t in s.tasks.all()],
            }
            for s in plan.sections.prefetch_related(tasks)
        ]
    return out


@router.get("/workplans/plans", response=PlanPage, summary="工作计划列表")
def list_plans(request, params: Query[PlanListQuery]):
    """Plans the caller may read, with task, done and overdue counts."""
    qs = selectors.visible_plans(request_user(request))
    if params.status:
        qs = qs.filter(status=params.status.value)
    if params.period:
        qs = qs.filter(period=params.period.strip().upper())
    if params.area:
        qs = qs.filter(area__code=params.area)
    rows, next_cursor = keyset_page(qs, cursor=params.cursor, limit=params.limit)
    return {"items": [plan_out(plan) for plan in rows], "next_cursor": next_cursor}


@router.get("/workplans/plans/{public_id}", response=PlanOut, summary="工作计划详情")
def get_plan(request, public_id: str):
    """One plan by section, with its tasks (status, progress, overdue, indicator code)."""
    plan = selectors.access_plan(request_user(request), public_id)
    return plan_out(plan, sections=True)


@router.get("/workplans/tasks/{public_id}", response=TaskOut, summary="工作任务详情")
def get_task(request, public_id: str):
    """One task with its progress updates."""
    task = selectors.access_task(request_user(request), public_id)
    return task_out(task, timezone.localdate(), updates=True)

"""项目库, read-only, at /api/v1/projects/projects.

Scoped like the pages (404 for missing and out of scope alike): a village cadre sees the
projects of their village. A project comes with its budget, disbursed total and progress;
the detail adds funding sources, disbursements, milestones, performance targets and
warnings."""

import datetime
from decimal import Decimal
from uuid import UUID

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from zhenwu.api.auth import request_user
from zhenwu.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from zhenwu.projects import selectors
from zhenwu.projects.choices import ProjectStatus, ProjectType

router = Router(tags=["项目库"])


class ProjectListQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    status: ProjectStatus | None = None
    project_type: ProjectType | None = None
    area: str | None = Field(None, max_length=20, description="实施地点区划代码")
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class FundingOut(Schema):
    id: UUID
    source: str
    budget_item: str
    amount: Decimal


class DisbursementOut(Schema):
    paid_on: datetime.date
    amount: Decimal
    voucher: str
    note: str
    over_budget_reason: str


class MilestoneOut(Schema):
    title: str
    due_on: datetime.date
    done_on: datetime.date | None


class TargetOut(Schema):
    id: UUID
    dimension: str
    indicator: str
    target_value: str
    actual_value: str
    unit: str
    weight: Decimal
    score: Decimal | None


class WarningOut(Schema):
    code: str
    message: str


class ProjectOut(Schema):
    id: UUID
    code: str
    name: str
    project_type: str
    area: str
    area_name: str
    lead_unit: str
    year: int
    status: str
    planned_start_on: datetime.date | None
    planned_end_on: datetime.date | None
    started_on: datetime.date | None
    completed_on: datetime.date | None
    accepted_on: datetime.date | None
    budget: Decimal
    disbursed: Decimal
    disbursement_ratio: Decimal | None
    households_benefiting: int
    lifted_households_benefiting: int
    jobs_for_lifted: int
    linkage_mechanism: str
    self_evaluation_score: Decimal | None
    version: int
    funding: list[FundingOut] | None = None
    disbursements: list[DisbursementOut] | None = None
    milestones: list[MilestoneOut] | None = None
    targets: list[TargetOut] | None = None
    warnings: list[WarningOut] | None = None


class ProjectPage(Schema):
    items: list[ProjectOut]
    next_cursor: str | None


def project_out(project, *, detail: bool = False) -> dict:
    disbursed, budget, ratio = selectors.disbursement_progress(project)
    out = {
        "id": project.public_id,
        "area": project.area.code,
        "area_name": project.area.name,
        "budget": budget,
        "disbursed": disbursed,
        "disbursement_ratio": None if ratio is None else ratio.quantize(Decimal("0.0001")),
        **{
            field: getattr(project, field)
            for field in (
                "code",
                "name",
                "project_type",
                "lead_unit",
                "year",
                "status",
                "planned_start_on",
                "planned_end_on",
                "started_on",
                "completed_on",
                "accepted_on",
                "households_benefiting",
                "lifted_households_benefiting",
                "jobs_for_lifted",
                "linkage_mechanism",
                "self_evaluation_score",
                "version",
            )
        },
    }
    if detail:
        out["funding"] = [
            {
                "id": f.public_id,
                "source": f.source,
                "budget_item": f.budget_item,
                "amount": f.amount,
            }
            for f in project.funding_sources.order_by("id")
        ]
        out["disbursements"] = list(
            project.disbursements.values(
                "paid_on", "amount", "voucher", "note", "over_budget_reason"
            )
        )
        out["milestones"] = list(project.milestones.values("title", "due_on", "done_on"))
        out["targets"] = [
            {
                "id": t.public_id,
                "dimension": t.dimension,
                "indicator": t.indicator,
                "target_value": t.target_value,
                "actual_value": t.actual_value,
                "unit": t.unit,
                "weight": t.weight,
                "score": t.score,
            }
            for t in project.performance_targets.order_by("dimension", "id")
        ]
        out["warnings"] = [
            {"code": w["code"], "message": str(w["message"])}
            for w in selectors.project_warnings(project, timezone.localdate())
        ]
    return out


@router.get("/projects/projects", response=ProjectPage, summary="项目库列表")
def list_projects(request, params: Query[ProjectListQuery]):
    """Projects in the caller's scope, in id order, one page at a time (``next_cursor``)."""
    qs = selectors.visible_projects(request_user(request))
    if params.year:
        qs = qs.filter(year=params.year)
    if params.status:
        qs = qs.filter(status=params.status.value)
    if params.project_type:
        qs = qs.filter(project_type=params.project_type.value)
    if params.area:
        qs = qs.filter(area__code=params.area)
    rows, next_cursor = keyset_page(qs, cursor=params.cursor, limit=params.limit)
    return {"items": [project_out(p) for p in rows], "next_cursor": next_cursor}


@router.get("/projects/projects/{public_id}", response=ProjectOut, summary="项目详情")
def get_project(request, public_id: str):
    """One project with funding, disbursements, milestones, performance targets, warnings."""
    return project_out(selectors.access_project(request_user(request), public_id), detail=True)

"""公益性岗位 for the mobile app, at /api/v1/assistance/jobs/…: read posts and assignments
(scoped like the pages; 404 for missing and out of scope alike) and POST a month's
attendance. No personal data beyond the name and the masked ID number."""

import datetime
from uuid import UUID

from ninja import Field, Query, Router, Schema, Status

from zhenwu.accounts.roles import Perm
from zhenwu.api.auth import request_user
from zhenwu.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from zhenwu.assistance import selectors
from zhenwu.assistance.actions.jobs import do_record_attendance, first_of_month
from zhenwu.assistance.choices import JobStatus
from zhenwu.assistance.models import Attendance

router = Router(tags=["公益性岗位"])


class PostQuery(Schema):
    village: str | None = Field(None, max_length=20, description="行政村代码")
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class PostOut(Schema):
    id: UUID
    village: str
    village_name: str
    post_type: str
    funding_level: str
    monthly_subsidy: str
    capacity: int
    is_active: bool


class PostPage(Schema):
    items: list[PostOut]
    next_cursor: str | None


class AssignmentQuery(Schema):
    post: UUID | None = None
    village: str | None = Field(None, max_length=20, description="行政村代码")
    status: JobStatus | None = None
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class AssignmentOut(Schema):
    id: UUID
    post: UUID
    post_type: str
    village: str
    person_name: str
    person_id_masked: str
    household_number: str
    start_on: datetime.date
    end_on: datetime.date | None
    status: str


class AssignmentPage(Schema):
    items: list[AssignmentOut]
    next_cursor: str | None


class AttendanceIn(Schema):
    month: str = Field(..., max_length=7, description="月份，如 2023-06")
    days_worked: int = Field(..., ge=0, le=31)
    is_qualified: bool = True


class AttendanceOut(Schema):
    assignment: UUID
    month: str
    days_worked: int
    is_qualified: bool
    version: int


def _post_out(post) -> dict:
    return {
        "id": post.public_id,
        "village": post.village.code,
        "village_name": post.village.name,
        "post_type": post.post_type,
        "funding_level": post.funding_level,
        "monthly_subsidy": str(post.monthly_subsidy),
        "capacity": post.capacity,
        "is_active": post.is_active,
    }


def _assignment_out(a) -> dict:
    return {
        "id": a.public_id,
        "post": a.post.public_id,
        "post_type": a.post.post_type,
        "village": a.post.village.code,
        "person_name": a.person.name,
        "person_id_masked": a.person.id_masked,
        "household_number": a.household.number,
        "start_on": a.start_on,
        "end_on": a.end_on,
        "status": a.status,
    }


@router.get("/assistance/jobs/posts", response=PostPage, summary="公益性岗位列表")
def list_posts(request, params: Query[PostQuery]):
    qs = selectors.visible_posts(request_user(request))
    if params.village:
        qs = qs.filter(village__code=params.village)
    rows, next_cursor = keyset_page(qs, cursor=params.cursor, limit=params.limit)
    return {"items": [_post_out(p) for p in rows], "next_cursor": next_cursor}


@router.get("/assistance/jobs/posts/{public_id}", response=PostOut, summary="公益性岗位")
def get_post(request, public_id: str):
    return _post_out(selectors.access_post(request_user(request), public_id))


@router.get("/assistance/jobs/assignments", response=AssignmentPage, summary="岗位安置列表")
def list_assignments(request, params: Query[AssignmentQuery]):
    qs = selectors.visible_job_assignments(request_user(request))
    if params.post:
        qs = qs.filter(post__public_id=params.post)
    if params.village:
        qs = qs.filter(post__village__code=params.village)
    if params.status:
        qs = qs.filter(status=params.status.value)
    rows, next_cursor = keyset_page(qs, cursor=params.cursor, limit=params.limit)
    return {"items": [_assignment_out(a) for a in rows], "next_cursor": next_cursor}


@router.post(
    "/assistance/jobs/assignments/{public_id}/attendance",
    response={200: AttendanceOut, 201: AttendanceOut},
    summary="录入或修改月度考勤",
)
def record_attendance(request, public_id: str, payload: AttendanceIn):
    """One row per assignment and month: the first POST creates it (201), a later one
    updates it (200) until the payroll has a line for it (``attendance_paid``)."""
    user = request_user(request)
    assignment = selectors.access_job_assignment(user, public_id, Perm.EDIT_ASSISTANCE)
    first = first_of_month(payload.month)
    existed = Attendance.objects.filter(assignment=assignment, month=first).exists()
    row = do_record_attendance(
        assignment,
        actor=user,
        month=first,
        days_worked=payload.days_worked,
        is_qualified=payload.is_qualified,
    )
    body = {
        "assignment": assignment.public_id,
        "month": first.strftime("%Y-%m"),
        "days_worked": row.days_worked,
        "is_qualified": row.is_qualified,
        "version": row.version,
    }
    return Status(200 if existed else 201, body)

"""部门数据推送: ``POST /api/v1/monitoring/department/{department}/records``.

A department system pushes JSON rows for an area and a month; they pass the same validation
as an uploaded file (all or nothing) and the same content is stored once. Token or session
auth (the API root); the caller needs the right to load department data in the area."""

from ninja import Router, Schema, Status
from pydantic import Field

from zhenwu.api.auth import request_user
from zhenwu.api.errors import validation_failed
from zhenwu.areas.selectors import current
from zhenwu.lib.periods import PeriodError, parse_period
from zhenwu.monitoring.actions.department import import_department_rows
from zhenwu.monitoring.department.spec import TEMPLATES

router = Router(tags=["部门数据"])
MAX_ROWS = 50_000


class RecordsIn(Schema):
    area: str = Field(description="区划代码（县、乡镇或村）")
    period: str = Field(description="数据月份，如 2023-06")
    rows: list[dict] = Field(
        max_length=MAX_ROWS,
        description="行：id_number, name, month, kind, amount, total, detail（或模板列名）",
    )


class IssueOut(Schema):
    row: int | None
    column: str
    message: str
    value: str


class RecordsOut(Schema):
    ok: bool
    dataset: str | None = None
    records: int = 0
    same_as_earlier: bool = False
    error_count: int = 0
    errors: list[IssueOut] = []


@router.post(
    "/monitoring/department/{department}/records",
    response={201: RecordsOut, 200: RecordsOut, 422: RecordsOut},
    summary="推送部门数据",
)
def push_records(request, department: str, payload: RecordsIn):
    """201 stored; 200 the same rows were stored before; 422 with the row errors (nothing
    stored). Rows are numbered from 2, as in a template with a header row."""
    user = request_user(request)
    if department not in TEMPLATES:
        raise validation_failed("department", "未知的部门：" + ", ".join(TEMPLATES), "unknown")
    area = current().filter(code=payload.area).first()
    if area is None:
        raise validation_failed("area", "区划代码不存在。", "unknown_area")
    try:
        month = parse_period(payload.period)
    except PeriodError:
        month = None
    if month is None or month.kind != "month":
        raise validation_failed("period", "月份格式应为如 2023-06。", "period")
    result = import_department_rows(
        payload.rows, department=department, area=area, period=month.start, actor=user
    )
    if not result.ok:
        errors = [
            {"row": e.row, "column": e.column, "message": e.message, "value": e.value}
            for e in result.errors[:200]
        ]
        return Status(422, {"ok": False, "error_count": result.error_count, "errors": errors})
    body = {
        "ok": True,
        "dataset": str(result.dataset.public_id),
        "records": result.dataset.row_count,
        "same_as_earlier": result.same_file_as is not None,
    }
    return Status(200 if result.same_file_as else 201, body)

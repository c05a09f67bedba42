"""指标 at /api/v1/workplans/...: the catalogue, targets and measurements (read, scoped),
indicator values with target status for an area and period (read), and ``POST
/workplans/measurements`` (write, Perm.ENTER_MEASUREMENTS in the area's scope)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from zhenwu.accounts.policy import require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.api.auth import request_user
from zhenwu.api.errors import validation_failed
from zhenwu.core.errors import MESSAGES, DomainError, NotFound
from zhenwu.lib.periods import PeriodError, parse_period
from zhenwu.workplans import selectors
from zhenwu.workplans.actions.indicators import do_record_measurement
from zhenwu.workplans.figures import board_data
from zhenwu.workplans.models import Indicator

router = Router(tags=["指标"])
UNKNOWN_INDICATOR = _("未知的指标代码。")


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    aggregation: str
    direction: str
    source: str
    computed_key: str
    description: str


class FilterQuery(Schema):
    indicator: str | None = Field(None, max_length=40)
    area: str | None = Field(None, max_length=20, description="区划代码")
    period: str | None = Field(None, max_length=10)


class TargetOut(Schema):
    indicator: str
    area: str
    period: str
    value: Decimal
    version: int


class MeasurementOut(Schema):
    indicator: str
    area: str
    period: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    note: str
    version: int


class MeasurementIn(Schema):
    indicator: str = Field(..., max_length=40)
    area: str = Field(..., max_length=20, description="区划代码（村）")
    period: str = Field(..., max_length=10, description="如 2023-06")
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    note: str = Field("", max_length=200)
    version: int | None = Field(None, description="更新时带上读到的版本号（乐观锁）")


class ValuesQuery(Schema):
    area: str = Field(..., max_length=20)
    period: str = Field(..., max_length=10)


class ValueOut(Schema):
    indicator: str
    area: str
    actual: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    target: Decimal | None
    target_period: str
    status: str


def _filtered(qs, params: FilterQuery):
    if params.indicator:
        qs = qs.filter(indicator__code=params.indicator)
    if params.area:
        qs = qs.filter(area__code=params.area)
    if params.period:
        qs = qs.filter(period=params.period)
    return qs[:2000]


@router.get("/workplans/indicators", response=list[IndicatorOut], summary="指标目录")
def list_indicators(request):
    require_perm(request_user(request), Perm.VIEW_PLANS)
    return list(Indicator.objects.all())


@router.get("/workplans/targets", response=list[TargetOut], summary="指标目标值")
def list_targets(request, params: Query[FilterQuery]):
    qs = _filtered(selectors.visible_targets(request_user(request)), params)
    return [
        {
            "indicator": t.indicator.code,
            "area": t.area.code,
            "period": t.period,
            "value": t.value,
            "version": t.version,
        }
        for t in qs
    ]


def _measurement_out(m) -> dict:
    return {
        "indicator": m.indicator.code,
        "area": m.area.code,
        "period": m.period,
        "value": m.value,
        "numerator": m.numerator,
        "denominator": m.denominator,
        "note": m.note,
        "version": m.version,
    }


@router.get("/workplans/measurements", response=list[MeasurementOut], summary="指标实际值")
def list_measurements(request, params: Query[FilterQuery]):
    qs = _filtered(selectors.visible_measurements(request_user(request)), params)
    return [_measurement_out(m) for m in qs]


@router.post(
    "/workplans/measurements",
    response={200: MeasurementOut, 201: MeasurementOut},
    summary="填报指标实际值",
)
def record_measurement(request, payload: MeasurementIn):
    """Create or update the value of an entered indicator for a village and period. 403
    outside the caller's scope; 400 ``measurement_ratio_required`` / ``_invalid`` for a
    ratio without a valid numerator and denominator; 409 when ``version`` is stale."""
    user = request_user(request)
    require_perm(user, Perm.ENTER_MEASUREMENTS)
    try:
        indicator = selectors.access_indicator(payload.indicator)
    except NotFound:
        raise validation_failed("indicator", UNKNOWN_INDICATOR, "unknown_indicator") from None
    try:
        area = selectors.access_indicator_area(user, payload.area, Perm.ENTER_MEASUREMENTS)
    except NotFound:
        raise DomainError("out_of_scope") from None
    existed = indicator.measurements.filter(area=area, period=_period(payload.period)).exists()
    row = do_record_measurement(
        actor=user,
        indicator=indicator,
        area=area,
        period=payload.period,
        value=payload.value,
        numerator=payload.numerator,
        denominator=payload.denominator,
        note=payload.note,
        expected_version=payload.version,
    )
    return Status(200 if existed else 201, _measurement_out(row))


def _period(text: str) -> str:
    try:
        return parse_period(text).code
    except PeriodError:
        raise validation_failed("period", MESSAGES["invalid_period"], "invalid_period") from None


@router.get("/workplans/indicator-values", response=list[ValueOut], summary="指标完成情况")
def indicator_values(request, params: Query[ValuesQuery]):
    """Actual, target and status of every indicator for the area and each child area."""
    user = request_user(request)
    area = selectors.access_indicator_area(user, params.area)
    table = board_data(area, parse_period(_period(params.period)))
    out = []
    for row in table["rows"]:
        for cell in row["cells"]:
            status = cell["status"]
            out.append(
                {
                    "indicator": row["indicator"].code,
                    "area": cell["area"].code,
                    "actual": status.actual,
                    "numerator": cell["numerator"],
                    "denominator": cell["denominator"],
                    "target": status.target,
                    "target_period": status.target_period,
                    "status": status.status,
                }
            )
    return out

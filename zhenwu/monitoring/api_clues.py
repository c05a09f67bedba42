"""风险线索 REST endpoints at /api/v1/monitoring/clues: the scoped inbox (keyset pages),
one clue, and reporting a clue (cadre screening, or a self-declaration entered on a
resident's behalf). Reads through ``monitoring.selectors`` (404 for missing and out of
scope alike), writes through ``monitoring.actions.clues``."""

import datetime
import re
from typing import Literal
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from zhenwu.accounts.roles import Perm
from zhenwu.api.auth import request_user
from zhenwu.api.errors import validation_failed
from zhenwu.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from zhenwu.areas.selectors import current
from zhenwu.core import audit
from zhenwu.core.errors import NotFound
from zhenwu.core.middleware import client_ip
from zhenwu.lib.masking import mask_id_number, mask_phone
from zhenwu.monitoring import selectors
from zhenwu.monitoring.actions.clues import (
    OPEN_CLUE_STATUSES,
    do_report_clue,
    do_submit_self_declaration,
)
from zhenwu.monitoring.choices import Channel, ClueStatus
from zhenwu.registry.choices import RiskType
from zhenwu.registry.selectors import access_household

router = Router(tags=["风险线索"])

AREA_CODE = r"^\d{6,20}$"
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
UNKNOWN_VILLAGE = _("区划代码不存在。")
UNKNOWN_HOUSEHOLD = _("农户不存在或不在您的管辖范围内。")
DECLARANT_REQUIRED = _("自主申报须填写申报人姓名、身份证号和电话。")


class VillageOut(Schema):
    code: str
    name: str


class ClueOut(Schema):
    public_id: UUID
    village: VillageOut
    household: UUID | None = Field(description="已匹配的农户公开编号")
    household_number: str
    channel: Channel
    status: ClueStatus
    reported_on: datetime.date
    risk_types: list[str]
    description: str
    dismissed_reason: str
    age_days: int = Field(description="自发现日期起的天数")
    deadline_days: int = Field(description="识别纳入时限（天，政策参数）")
    overdue: bool = Field(description="仍待核实/核实中且已超过识别纳入时限")
    declarant_name: str
    declarant_id_masked: str = Field(description="申报人脱敏身份证号；完整号码不输出")
    declarant_phone_masked: str
    version: int
    created_at: datetime.datetime


class CluePage(Schema):
    items: list[ClueOut]
    next_cursor: str | None = Field(description="下一页游标；为 null 表示已是最后一页")


class ClueListQuery(Schema):
    channel: Channel | None = None
    status: ClueStatus | None = None
    village: str | None = Field(None, pattern=AREA_CODE, description="行政村区划代码")
    month: str | None = Field(None, pattern=MONTH, description="发现月份，如 2023-06")
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class ClueCreate(Schema):
    """A cadre's clue (``cadre_screening``) or a resident's declaration entered by staff
    (``self_declared``, with the declarant's name, ID number and phone)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    village: str = Field(pattern=AREA_CODE, description="行政村区划代码，须在调用者管辖范围内")
    channel: Literal["cadre_screening", "self_declared"] = "cadre_screening"
    reported_on: datetime.date | None = Field(None, description="发现日期，默认今天")
    household: UUID | None = Field(None, description="农户公开编号（基层干部排查）")
    risk_types: list[RiskType] = Field(default_factory=list, max_length=5)
    description: str = Field("", max_length=2000)
    declarant_name: str = Field("", max_length=50)
    declarant_id_number: str = Field("", max_length=30, description="只写；输出仅脱敏")
    declarant_phone: str = Field("", max_length=20, pattern=r"^[0-9+\- ]*$")


def clue_out(clue, days: int) -> dict:
    age = (timezone.localdate() - clue.reported_on).days
    household = clue.household
    return {
        "public_id": clue.public_id,
        "village": {"code": clue.village.code, "name": clue.village.name},
        "household": household.public_id if household else None,
        "household_number": household.number if household else "",
        "channel": clue.channel,
        "status": clue.status,
        "reported_on": clue.reported_on,
        "risk_types": clue.risk_types,
        "description": clue.description,
        "dismissed_reason": clue.dismissed_reason,
        "age_days": age,
        "deadline_days": days,
        "overdue": clue.status in OPEN_CLUE_STATUSES and age > days,
        "declarant_name": clue.declarant_name,
        "declarant_id_masked": mask_id_number(clue.declarant_id_number)
        if clue.declarant_id_hash
        else "",
        "declarant_phone_masked": mask_phone(clue.declarant_phone),
        "version": clue.version,
        "created_at": clue.created_at,
    }


def _month(text: str | None):
    match = re.match(r"^(\d{4})-(\d{2})$", text or "")
    return datetime.date(int(match.group(1)), int(match.group(2)), 1) if match else None


@router.get("/monitoring/clues", response=CluePage, summary="风险线索列表")
def list_clues(request, params: Query[ClueListQuery]):
    """Clues in the caller's scope, in id order, one page at a time (``next_cursor``)."""
    user = request_user(request)
    filters = {
        key: getattr(value, "value", value)
        for key, value in params.model_dump(include=set(selectors.CLUE_FILTERS)).items()
        if value
    }
    qs = selectors.filter_clues(
        selectors.visible_clues(user), filters=filters, month=_month(params.month)
    )
    rows, next_cursor = keyset_page(qs, cursor=params.cursor, limit=params.limit)
    days = selectors.clue_deadline_days(rows)
    return {"items": [clue_out(c, days[c.pk]) for c in rows], "next_cursor": next_cursor}


@router.get("/monitoring/clues/{public_id}", response=ClueOut, summary="风险线索详情")
def get_clue(request, public_id: str):
    user = request_user(request)
    clue = selectors.access_clue(user, public_id)
    audit.record("monitoring.clue_viewed", actor=user, obj=clue)
    return clue_out(clue, selectors.clue_deadline_days([clue])[clue.pk])


def _village(code: str):
    area = current().filter(code=code).first()
    if area is None:
        raise validation_failed("village", UNKNOWN_VILLAGE, "unknown_area")
    return area


def _household(user, public_id):
    if public_id is None:
        return None
    try:
        return access_household(user, public_id, Perm.VIEW_REGISTRY)
    except NotFound:
        raise validation_failed("household", UNKNOWN_HOUSEHOLD, "unknown_household") from None


@router.post("/monitoring/clues", response={201: ClueOut}, summary="登记风险线索")
def create_clue(request, payload: ClueCreate):
    """Report a clue. 403 out of scope; 400 ``duplicate_clue`` when the household already
    has an open clue or case. A ``self_declared`` clue that joins an open one returns it."""
    user = request_user(request)
    village = _village(payload.village)
    risk_types = [r.value for r in payload.risk_types]
    if payload.channel == Channel.SELF_DECLARED:
        clue = _declare(request, user, village, payload, risk_types)
    else:
        clue = do_report_clue(
            actor=user,
            village=village,
            channel=payload.channel,
            reported_on=payload.reported_on or timezone.localdate(),
            household=_household(user, payload.household),
            risk_types=risk_types,
            description=payload.description,
        )
    return Status(201, clue_out(clue, selectors.clue_deadline_days([clue])[clue.pk]))


def _declare(request, user, village, payload, risk_types):
    if not (payload.declarant_name and payload.declarant_id_number and payload.declarant_phone):
        raise validation_failed("declarant_id_number", DECLARANT_REQUIRED, "missing")
    clue = do_submit_self_declaration(
        name=payload.declarant_name,
        id_number=payload.declarant_id_number,
        village=village,
        phone=payload.declarant_phone,
        risk_types=risk_types,
        description=payload.description,
        ip=client_ip(request),
        reported_on=payload.reported_on,
        actor=user,
    )
    if clue is None:  # the household has an open case: nothing new to show
        raise validation_failed("household", _("该户已有未办结的监测程序。"), "open_case")
    return clue

"""National-style export of monitored households (防返贫监测对象信息导出, .xlsx).

Two sheets in a column layout like the national monitoring system's: 监测对象户信息 and
成员信息. Needs ``registry.export`` in the area (scoped through accounts.policy like any
read of personal data); ID numbers and phones are masked unless the user may reveal them
and types a reason; health is left out without ``registry.view_sensitive``. The data-quality
checks run first: with errors the export is refused unless the user exports anyway. Text
cells are formula-escaped (lib.xlsx); every attempt is audited as ``monitoring.export``."""

import io
from dataclasses import dataclass, field

from django.utils import translation

from zhenwu.accounts.policy import area_in_scope, has_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditOutcome
from zhenwu.lib.masking import mask_phone
from zhenwu.lib.xlsx import XlsxWriter
from zhenwu.monitoring.choices import CaseKind, CaseStatus, EliminationWay
from zhenwu.monitoring.models import MonitoringCase
from zhenwu.monitoring.quality import QualityReport, run_quality_checks, scoped_households
from zhenwu.registry.choices import (
    Education,
    Health,
    LabourCapacity,
    MedicalInsurance,
    MonitoringCategory,
    Relation,
    RiskStatus,
    RiskType,
    SchoolStatus,
    Sex,
    WorkPlace,
)
from zhenwu.registry.models import Person

HOUSEHOLD_SHEET = "监测对象户信息"
MEMBER_SHEET = "成员信息"
MAX_RISKS = 5
MIN_REASON = 4
LEVEL_COLUMNS = [
    (AreaLevel.PROVINCE, "省"),
    (AreaLevel.CITY, "市"),
    (AreaLevel.COUNTY, "县"),
    (AreaLevel.TOWNSHIP, "乡"),
    (AreaLevel.VILLAGE, "村"),
]
HOUSEHOLD_HEADERS = [
    *(label for _level, label in LEVEL_COLUMNS),
    "户编号",
    "户主姓名",
    "户主身份证号",
    "家庭人口数",
    "联系电话",
    "监测对象类别",
    "识别监测时间",
    *(f"风险类型{i}" for i in range(1, MAX_RISKS + 1)),
    "风险是否消除",
    "风险消除时间",
    "消除方式",
    "脱贫年度",
    "整户无劳动力",
    "易地扶贫搬迁",
]
MEMBER_HEADERS = [
    "户编号",
    "姓名",
    "身份证号",
    "性别",
    "与户主关系",
    "民族",
    "文化程度",
    "在校生状况",
    "健康状况",
    "劳动技能",
    "务工区域",
    "务工时间（月）",
    "基本医疗保险",
    "大病保险",
    "养老保险",
    "享受低保",
    "特困供养",
]
SENSITIVE_HEADERS = {"健康状况"}


class QualityBlocked(DomainError):
    """The checks found errors and the user did not choose to export anyway."""

    def __init__(self, report: QualityReport):
        super().__init__("quality_errors")
        self.report = report


@dataclass
class MonitoredExport:
    area: Area
    report: QualityReport
    masked: bool = True
    forced: bool = False
    rows: dict = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    content: bytes = b""


def export_monitored(
    *, actor, area: Area, unmasked: bool = False, reason: str = "", export_anyway: bool = False
) -> MonitoredExport:
    sensitive = _authorize(actor, area, unmasked, reason)
    report = run_quality_checks(actor, area, perm=Perm.EXPORT_REGISTRY, monitored_only=True)
    result = MonitoredExport(area=area, report=report, masked=not unmasked)
    if report.errors and not export_anyway:
        _audit(actor, result, AuditOutcome.FAILURE)
        raise QualityBlocked(report)
    result.forced = bool(report.errors)
    buffer = io.BytesIO()
    with translation.override("zh-hans"), XlsxWriter(buffer) as writer:
        _write_households(writer, actor, result)
        _write_members(writer, actor, result, sensitive)
    result.content = buffer.getvalue()
    _audit(actor, result, AuditOutcome.SUCCESS, reason if unmasked else "")
    return result


def _authorize(actor, area: Area, unmasked: bool, reason: str) -> bool:
    code = None
    if not has_perm(actor, Perm.EXPORT_REGISTRY):
        code = "permission_denied"
    elif not area_in_scope(actor, area, Perm.EXPORT_REGISTRY):
        code = "out_of_scope"
    elif unmasked and not area_in_scope(actor, area, Perm.REVEAL_IDENTITY):
        code = "permission_denied"
    elif unmasked and len((reason or "").strip()) < MIN_REASON:
        raise DomainError("reason_required")
    if code is not None:
        denied = MonitoredExport(area=area, report=QualityReport(area=area, checked_on=None))
        _audit(actor, denied, AuditOutcome.DENIED)
        raise DomainError(code)
    return area_in_scope(actor, area, Perm.VIEW_SENSITIVE)


def _audit(actor, result: MonitoredExport, outcome: str, reason: str = "") -> None:
    data = {
        "area": result.area.code,
        "format": "xlsx",
        "layout": "national",
        "rows": result.rows,
        "columns": result.columns,
        "masked": result.masked,
        "quality_errors": len(result.report.errors),
        "export_anyway": result.forced,
    }
    if reason:
        data["reason"] = reason.strip()[:200]
    audit.record(
        "monitoring.export",
        actor=actor,
        outcome=outcome,
        object_type="areas.area",
        object_id=result.area.code,
        data=data,
    )


# --- sheets -----------------------------------------------------------------------------------


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices.choices}


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


def _levels(village: Area, cache: dict) -> list[str]:
    """The village's 省/市/县/乡/村 names, from the codes in its area path."""
    if village.pk not in cache:
        codes = [code for code in village.path.strip("/").split("/") if code]
        ancestors = {a.level: a.name for a in Area.objects.filter(code__in=codes)}
        cache[village.pk] = [ancestors.get(level, "") for level, _label in LEVEL_COLUMNS]
    return cache[village.pk]


def _elimination_ways(households) -> dict[int, str]:
    cases = MonitoringCase.objects.filter(
        household__in=households, kind=CaseKind.ELIMINATION, status=CaseStatus.APPROVED
    ).order_by("approved_on", "pk")
    ways = _labels(EliminationWay)
    return {case.household_id: ways.get(case.elimination_way, "") for case in cases}


def _write_households(writer: XlsxWriter, actor, result: MonitoredExport) -> None:
    households = list(
        scoped_households(actor, result.area, perm=Perm.EXPORT_REGISTRY, monitored_only=True)
        .prefetch_related("members")
        .select_related("village")
    )
    sheet = writer.add_sheet(HOUSEHOLD_SHEET, HOUSEHOLD_HEADERS)
    result.columns += [f"{HOUSEHOLD_SHEET}.{h}" for h in HOUSEHOLD_HEADERS]
    categories, risks = _labels(MonitoringCategory), _labels(RiskType)
    ways, cache = _elimination_ways(households), {}
    for household in households:
        head = household.head
        risk_cells = [risks.get(r, r) for r in (household.risks or [])[:MAX_RISKS]]
        sheet.append(
            [
                *_levels(household.village, cache),
                household.number,
                head.name if head else "",
                _id(head, result) if head else "",
                len(household.active_members()),
                household.phone if not result.masked else mask_phone(household.phone),
                categories.get(household.monitoring_category, household.monitoring_category),
                household.monitoring_since,
                *(risk_cells + [""] * (MAX_RISKS - len(risk_cells))),
                _yes_no(household.risk_status == RiskStatus.ELIMINATED),
                household.risk_eliminated_on,
                ways.get(household.pk, ""),
                household.lifted_year,
                _yes_no(household.no_labour),
                _yes_no(household.relocated),
            ]
        )
    result.rows["households"] = len(households)


def _id(person, result: MonitoredExport) -> str:
    return person.id_masked if result.masked else person.id_number


def _write_members(writer: XlsxWriter, actor, result: MonitoredExport, sensitive: bool) -> None:
    headers = [h for h in MEMBER_HEADERS if sensitive or h not in SENSITIVE_HEADERS]
    sheet = writer.add_sheet(MEMBER_SHEET, headers)
    result.columns += [f"{MEMBER_SHEET}.{h}" for h in headers]
    households = scoped_households(
        actor, result.area, perm=Perm.EXPORT_REGISTRY, monitored_only=True
    )
    deferred = ["bank_account", "disability"] + ([] if not result.masked else ["id_number"])
    if not sensitive:
        deferred.append("health")
    persons = (
        Person.objects.filter(household__in=households, status="active")
        .select_related("household")
        .defer(*deferred)
        .order_by("household__village__code", "household__number", "pk")
    )
    labels = {
        "sex": _labels(Sex),
        "relation": _labels(Relation),
        "education": _labels(Education),
        "school": _labels(SchoolStatus),
        "health": _labels(Health),
        "labour": _labels(LabourCapacity),
        "place": _labels(WorkPlace),
        "insurance": _labels(MedicalInsurance),
    }
    count = 0
    for person in persons.iterator(2000):
        row = {
            "户编号": person.household.number,
            "姓名": person.name,
            "身份证号": _id(person, result),
            "性别": labels["sex"].get(person.sex, person.sex),
            "与户主关系": labels["relation"].get(person.relation, person.relation),
            "民族": person.ethnicity,
            "文化程度": labels["education"].get(person.education, person.education),
            "在校生状况": labels["school"].get(person.school_status, person.school_status),
            "劳动技能": labels["labour"].get(person.labour_capacity, person.labour_capacity),
            "务工区域": labels["place"].get(person.work_place, "") if person.work_place else "",
            "务工时间（月）": person.work_months,
            "基本医疗保险": labels["insurance"].get(
                person.medical_insurance, person.medical_insurance
            ),
            "大病保险": _yes_no(person.critical_illness_insurance),
            "养老保险": _yes_no(person.pension_insurance),
            "享受低保": _yes_no(person.receives_dibao),
            "特困供养": _yes_no(person.receives_tekun),
        }
        if sensitive:
            row["健康状况"] = labels["health"].get(person.health, person.health)
        sheet.append([row[h] for h in headers])
        count += 1
    result.rows["persons"] = count

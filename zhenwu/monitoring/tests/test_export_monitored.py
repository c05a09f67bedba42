import datetime
import io

import pytest
from openpyxl import load_workbook

from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.monitoring.export import (
    HOUSEHOLD_HEADERS,
    MEMBER_SHEET,
    QualityBlocked,
    export_monitored,
)
from zhenwu.monitoring.models import MonitoringCase
from zhenwu.registry.models import Household, IncomeRecord
from zhenwu.testing.personas import make_household

D = datetime.date


def _monitored(actor, village, number, names, **extra):
    household = make_household(
        actor,
        village,
        number,
        [(name, D(1970 + i, 1, 1), "head" if i == 0 else "spouse") for i, name in enumerate(names)],
        category="monitored",
        monitoring_category="100A03002",
        monitoring_since=D(2023, 3, 1),
        risks=["illness", '=HYPERLINK("x")'],
        **extra,
    )
    Household.objects.filter(pk=household.pk).update(risk_status="unresolved")
    IncomeRecord.objects.create(household=household, year=2022, wage_income=8000, member_count=2)
    return household


@pytest.fixture
def data(district_officer, luotian, makou):
    lt = _monitored(district_officer, luotian, "E-LT", ["甲一", "甲二"])
    mk = _monitored(district_officer, makou, "E-MK", ["乙一", "乙二"], phone="13800138000")
    make_household(district_officer, luotian, "E-GEN", [("丙一", D(1980, 1, 1), "head")])
    return lt, mk


def _sheets(content: bytes):
    book = load_workbook(io.BytesIO(content))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}


def test_township_export_has_monitored_households_masked(data, township_officer, shadi):
    result = export_monitored(actor=township_officer, area=shadi)
    sheets = _sheets(result.content)
    households, members = sheets["监测对象户信息"], sheets[MEMBER_SHEET]
    assert households[0] == HOUSEHOLD_HEADERS
    rows = {row[5]: dict(zip(households[0], row, strict=True)) for row in households[1:]}
    assert set(rows) == {"E-LT", "E-MK"}  # the ordinary household is not exported
    lt = rows["E-LT"]
    assert (lt["省"], lt["县"], lt["乡"], lt["村"]) == ("江西省", "赣县区", "沙地镇", "螺田村")
    assert lt["户主姓名"] == "甲一" and lt["家庭人口数"] == 2
    assert "*" in lt["户主身份证号"] and len(lt["户主身份证号"]) == 18
    assert lt["监测对象类别"] == "边缘易致贫户" and lt["风险类型1"] == "因病"
    assert lt["风险类型2"].startswith("'=")  # formula escaped
    assert lt["风险是否消除"] == "否"
    assert rows["E-MK"]["联系电话"] != "13800138000"
    assert len(members) == 5 and all("*" in row[2] for row in members[1:])
    assert "健康状况" in members[0]
    event = AuditEvent.objects.filter(event="monitoring.export").latest("id")
    assert event.outcome == "success" and event.data["rows"] == {"households": 2, "persons": 4}
    assert event.data["masked"] is True


def test_cadre_without_export_permission_is_refused(data, luotian_cadre, luotian):
    with pytest.raises(DomainError) as error:
        export_monitored(actor=luotian_cadre, area=luotian)
    assert error.value.code == "permission_denied"
    assert AuditEvent.objects.filter(event="monitoring.export", outcome="denied").exists()


def test_out_of_scope_area_is_refused(data, township_officer, world):
    with pytest.raises(DomainError) as error:
        export_monitored(actor=township_officer, area=world.areas["district"])
    assert error.value.code == "out_of_scope"


def test_unmasked_needs_reason(data, township_officer, shadi):
    with pytest.raises(DomainError) as error:
        export_monitored(actor=township_officer, area=shadi, unmasked=True)
    assert error.value.code == "reason_required"
    result = export_monitored(
        actor=township_officer, area=shadi, unmasked=True, reason="报送国家系统"
    )
    rows = _sheets(result.content)["监测对象户信息"]
    assert "*" not in rows[1][7]


def test_quality_errors_block_unless_export_anyway(data, township_officer, shadi):
    lt, _mk = data
    Household.objects.filter(pk=lt.pk).update(monitoring_category="")
    with pytest.raises(QualityBlocked) as blocked:
        export_monitored(actor=township_officer, area=shadi)
    assert {f.code for f in blocked.value.report.errors} == {"H01"}
    assert AuditEvent.objects.filter(event="monitoring.export", outcome="failure").exists()
    result = export_monitored(actor=township_officer, area=shadi, export_anyway=True)
    assert result.forced and result.rows["households"] == 2
    event = AuditEvent.objects.filter(event="monitoring.export").latest("id")
    assert event.data["export_anyway"] is True and event.data["quality_errors"] == 1


def test_elimination_way_comes_from_the_approved_case(data, township_officer, shadi):
    lt, _mk = data
    Household.objects.filter(pk=lt.pk).update(
        risk_status="eliminated", risk_eliminated_on=D(2023, 11, 1)
    )
    MonitoringCase.objects.create(
        household=lt,
        kind="elimination",
        status="approved",
        started_on=D(2023, 10, 1),
        deadline_on=D(2023, 10, 16),
        approved_on=D(2023, 11, 1),
        elimination_way="assisted",
    )
    rows = _sheets(export_monitored(actor=township_officer, area=shadi).content)["监测对象户信息"]
    lt_row = dict(zip(rows[0], next(r for r in rows if r[5] == "E-LT"), strict=True))
    assert (lt_row["风险是否消除"], lt_row["消除方式"]) == ("是", "帮扶消除")

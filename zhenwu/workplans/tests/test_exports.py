"""The .xlsx exports: a work plan's tasks (sheet 任务) and the indicator board (indicator ×
area with target, actual, achievement, status). Scoped like the pages, audited
(``workplans.exported``) with the row count, formula-escaped, readable by LibreOffice."""

import datetime
import io
from decimal import Decimal
from urllib.parse import unquote

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from zhenwu.areas.models import Area
from zhenwu.core.models import AuditEvent
from zhenwu.testing.office import convert_to_pdf
from zhenwu.workplans.actions import plans
from zhenwu.workplans.actions.indicators import (
    do_record_measurement,
    do_set_target,
    load_indicator_catalogue,
)
from zhenwu.workplans.models import Indicator

pytestmark = pytest.mark.django_db
BOARD = reverse("workplans:indicator_board")
PLAN_HEADERS = (
    "章节",
    "任务",
    "内容",
    "牵头单位",
    "责任人",
    "完成时限",
    "状态",
    "最新进度（%）",
    "是否逾期",
    "最近更新日期",
)
BOARD_HEADERS = (
    "指标",
    "单位",
    "区域",
    "目标值",
    "目标期间",
    "实际值",
    "分子",
    "分母",
    "完成率（%）",
    "完成情况",
)


def _book(response):
    body = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(body))


def _exported():
    return AuditEvent.objects.filter(event="workplans.exported")


@pytest.fixture
def township_plan(township_officer, shadi):
    plan = plans.do_create_plan(
        actor=township_officer, area=shadi, period="2023H2", title="沙地镇2023年下半年工作计划"
    )
    plans.do_activate_plan(plan, actor=township_officer)
    section = plans.do_add_section(plan, actor=township_officer, title="（四）民生")
    overdue = plans.do_add_task(
        section,
        actor=township_officer,
        title="沙地中心敬老院开工",
        description="完成施工招标并开工",
        lead_unit="社会事务办",
        responsible="李四",
        deadline_on=datetime.date(2023, 9, 30),
    )
    plans.do_report_progress(
        overdue,
        actor=township_officer,
        reported_on=datetime.date(2023, 8, 15),
        note="已完成招标",
        progress=40,
    )
    plans.do_add_task(
        section,
        actor=township_officer,
        title='=HYPERLINK("http://x")',  # a formula-looking title stays text
        lead_unit="@综治办",
        responsible="王五",
        deadline_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    return plan


@pytest.fixture
def village_plans(township_officer, luotian, makou):
    made = {}
    for key, village in (("luotian", luotian), ("makou", makou)):
        plan = plans.do_create_plan(
            actor=township_officer, area=village, period="2023H2", title=f"{village.name}计划"
        )
        section = plans.do_add_section(plan, actor=township_officer, title="一、产业")
        plans.do_add_task(section, actor=township_officer, title=f"{village.name}种植脐橙")
        made[key] = plan
    return made


def test_plan_export_has_the_task_sheet(client, township_officer, township_plan):
    client.force_login(township_officer)
    response = client.get(reverse("workplans:plan_export", args=[township_plan.public_id]))
    assert response.status_code == 200
    disposition = unquote(response["Content-Disposition"])
    assert disposition.startswith("attachment") and "沙地镇2023H2工作计划任务_" in disposition
    book = _book(response)
    assert book.sheetnames == ["任务"]
    rows = list(book["任务"].iter_rows(values_only=True))
    assert rows[0] == PLAN_HEADERS
    assert rows[1] == (
        "（四）民生",
        "沙地中心敬老院开工",
        "完成施工招标并开工",
        "社会事务办",
        "李四",
        datetime.datetime(2023, 9, 30),
        "推进中",
        40,
        "是",
        datetime.datetime(2023, 8, 15),
    )
    assert rows[2][1] == '\'=HYPERLINK("http://x")' and rows[2][3] == "'@综治办"
    assert rows[2][6:] == ("未开始", 0, "否", None)
    event = _exported().get()
    assert event.data["report"] == "work_plan" and event.data["rows"] == 2
    assert event.object_id == str(township_plan.public_id) and event.user == township_officer


def test_detail_page_links_the_export(client, luotian_cadre, township_plan):
    client.force_login(luotian_cadre)
    url = reverse("workplans:plan_detail", args=[township_plan.public_id])
    page = client.get(url).content.decode()
    assert reverse("workplans:plan_export", args=[township_plan.public_id]) in page


def test_cadre_exports_only_plans_they_read(client, luotian_cadre, village_plans):
    client.force_login(luotian_cadre)
    own = client.get(reverse("workplans:plan_export", args=[village_plans["luotian"].public_id]))
    assert own.status_code == 200
    assert [r[1] for r in _book(own)["任务"].iter_rows(min_row=2, values_only=True)] == [
        "螺田村种植脐橙"
    ]
    other = client.get(reverse("workplans:plan_export", args=[village_plans["makou"].public_id]))
    assert other.status_code == 404
    assert _exported().count() == 1


def test_plan_export_needs_the_view_permission(client, no_membership_user, auditor, township_plan):
    url = reverse("workplans:plan_export", args=[township_plan.public_id])
    for user in (no_membership_user, auditor):
        client.force_login(user)
        assert client.get(url).status_code == 403
    assert not _exported().exists()


@pytest.fixture
def board_figures(world, township_officer, luotian, makou):
    load_indicator_catalogue()
    garbage = Indicator.objects.get(code="garbage_collection_rate")
    for village, points in ((luotian, "8"), (makou, "10")):
        do_set_target(
            actor=township_officer, indicator=garbage, area=village, period="2023", value="90"
        )
        do_record_measurement(
            actor=township_officer,
            indicator=garbage,
            area=village,
            period="2023-06",
            numerator=points,
            denominator="10",
        )
    return garbage


def _board_rows(response, indicator_name):
    rows = list(_book(response)["指标完成情况"].iter_rows(values_only=True))
    return rows[0], [r for r in rows[1:] if r[0] == indicator_name]


def test_board_export_rows_per_village_and_total(client, township_officer, shadi, board_figures):
    client.force_login(township_officer)
    response = client.get(BOARD, {"area": shadi.code, "period": "2023H1", "format": "xlsx"})
    assert response.status_code == 200
    assert "沙地镇2023年上半年指标完成情况_" in unquote(response["Content-Disposition"])
    headers, rows = _board_rows(response, "农村生活垃圾收运率")
    assert headers == BOARD_HEADERS
    by_area = {r[2]: r for r in rows}
    villages = Area.objects.filter(parent=shadi).order_by("code")
    assert list(by_area) == [*(v.name for v in villages), "沙地镇（合计）"]
    assert by_area["螺田村"][1:] == ("%", "螺田村", 90, "2023", 80, 8, 10, 88.89, "未达标")
    assert by_area["马口村"][5] == 100 and by_area["马口村"][8] == 111.11
    assert by_area["马口村"][9] == "已达标"
    total = by_area["沙地镇（合计）"]  # 18/20, not the mean of the village ratios
    assert total[5] == 90 and (total[6], total[7]) == (18, 20) and total[9] == "未设目标"
    count = Indicator.objects.count() * (villages.count() + 1)
    event = _exported().get()
    assert event.data == {
        "report": "indicator_board",
        "area": shadi.code,
        "period": "2023H1",
        "rows": count,
    }


def test_cadre_exports_only_their_village(client, luotian_cadre, shadi, makou, board_figures):
    client.force_login(luotian_cadre)
    response = client.get(BOARD, {"period": "2023H1", "format": "xlsx"})
    assert response.status_code == 200
    _headers, rows = _board_rows(response, "农村生活垃圾收运率")
    assert [r[2] for r in rows] == ["螺田村"]
    assert _exported().get().data["rows"] == Indicator.objects.count()
    for area in (shadi, makou):
        refused = client.get(BOARD, {"area": area.code, "period": "2023H1", "format": "xlsx"})
        assert refused.status_code == 404
    assert _exported().count() == 1


def test_board_page_has_the_download_button(client, township_officer, shadi, board_figures):
    client.force_login(township_officer)
    page = client.get(BOARD, {"area": shadi.code, "period": "2023H1"}).content.decode()
    assert "format=xlsx" in page and "导出 Excel" in page


def test_libreoffice_opens_the_board_export(
    client, township_officer, shadi, board_figures, tmp_path
):
    client.force_login(township_officer)
    response = client.get(BOARD, {"area": shadi.code, "period": "2023H1", "format": "xlsx"})
    source = tmp_path / "board.xlsx"
    source.write_bytes(b"".join(response.streaming_content))
    pdf = convert_to_pdf(source, tmp_path)
    assert pdf.stat().st_size > 1000


def test_achievement_is_direction_aware(board_figures):
    from zhenwu.workplans.exports_indicators import achievement

    indicator = Indicator(direction="lower")
    assert achievement(indicator, Decimal("5"), Decimal("4")) == Decimal("80.00")
    assert achievement(board_figures, Decimal("0"), Decimal("0")) is None
    assert achievement(board_figures, None, Decimal("90")) is None

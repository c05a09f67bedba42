import datetime
import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from zhenwu.core.models import AuditEvent
from zhenwu.monitoring.models import MonthlyAnalysis
from zhenwu.monitoring.tests.test_analysis_data import build_june
from zhenwu.registry.models import Household

D = datetime.date


@pytest.fixture
def june(world):
    return build_june(world)


def _draft(client, officer, shadi):
    client.force_login(officer)
    response = client.post(
        reverse("monitoring:analysis_list"), {"area": shadi.code, "month": "2023-06"}
    )
    assert response.status_code == 302
    return MonthlyAnalysis.objects.get(township=shadi, month=D(2023, 6, 1))


def test_draft_meeting_finalize_and_docx(client, june, township_officer, shadi):
    analysis = _draft(client, township_officer, shadi)
    page = client.get(reverse("monitoring:analysis_detail", args=[analysis.public_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "沙地镇2023年6月防返贫动态监测研判会议纪要" in html and "新增风险线索（条）" in html
    meeting = {
        "version": analysis.version,
        "meeting_on": "2023-07-03",
        "attendees": "镇长等",
        "decisions": "结论一",
        "follow_ups": "",
    }
    url = reverse("monitoring:analysis_meeting", args=[analysis.public_id])
    assert client.post(url, meeting).status_code == 302
    stale = client.post(url, {**meeting, "decisions": "覆盖"})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    analysis.refresh_from_db()
    assert analysis.decisions == "结论一"
    finalize = reverse("monitoring:analysis_finalize", args=[analysis.public_id])
    client.post(finalize, {"version": analysis.version})
    analysis.refresh_from_db()
    assert analysis.status == "final"
    docx = client.get(reverse("monitoring:analysis_docx", args=[analysis.public_id]))
    assert docx.status_code == 200
    document = Document(io.BytesIO(b"".join(docx.streaming_content)))
    assert "结论一" in "\n".join(p.text for p in document.paragraphs)
    assert AuditEvent.objects.filter(event="monitoring.analysis_exported").exists()


def test_cadre_has_no_analysis_pages(client, june, township_officer, luotian_cadre, shadi):
    analysis = _draft(client, township_officer, shadi)
    client.force_login(luotian_cadre)
    assert client.get(reverse("monitoring:analysis_list")).status_code == 403
    detail = reverse("monitoring:analysis_detail", args=[analysis.public_id])
    assert client.get(detail).status_code == 403


def test_quality_page_lists_and_exports(client, township_officer, shadi, luotian_household):
    Household.objects.filter(pk=luotian_household.pk).update(lifted_year=None)
    client.force_login(township_officer)
    page = client.get(reverse("monitoring:quality_list"), {"area": shadi.code})
    html = page.content.decode()
    assert page.status_code == 200 and "H14" in html and "LT0001" in html
    only = client.get(reverse("monitoring:quality_list"), {"area": shadi.code, "check": "Q07"})
    assert "LT0001" not in only.content.decode()
    xlsx = client.get(reverse("monitoring:quality_list"), {"area": shadi.code, "format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    rows = list(book["数据质量问题"].iter_rows(values_only=True))
    assert ("螺田村", "LT0001", None, "H14") in [row[:4] for row in rows]
    assert ("螺田村", "LT0001", "张小明", "Q04") in [row[:4] for row in rows]  # child as labour
    assert AuditEvent.objects.filter(event="monitoring.quality_export").exists()


def test_export_page_scoping_and_blocking(client, township_officer, luotian_cadre, shadi, world):
    from zhenwu.testing.personas import make_household

    household = make_household(
        world.users["district_officer"],
        world.areas["luotian"],
        "V-1",
        [("甲", D(1970, 1, 1), "head")],
        category="monitored",
    )
    url = reverse("monitoring:export_monitored")
    client.force_login(luotian_cadre)
    assert client.get(url).status_code == 403
    client.force_login(township_officer)
    blocked = client.post(url, {"area": shadi.code})
    assert blocked.status_code == 200 and "H01" in blocked.content.decode()
    forced = client.post(url, {"area": shadi.code, "export_anyway": "on"})
    assert forced.status_code == 200 and forced["Content-Type"].startswith("application/vnd")
    book = load_workbook(io.BytesIO(b"".join(forced.streaming_content)))
    assert [r[5] for r in book["监测对象户信息"].iter_rows(min_row=2, values_only=True)] == [
        household.number
    ]
    outside = client.post(url, {"area": world.areas["district"].code, "export_anyway": "on"})
    assert outside.status_code == 200  # not a choice: the form refuses it
    assert "Content-Disposition" not in outside

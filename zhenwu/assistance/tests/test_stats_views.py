"""The 帮扶数据统计 page and its .xlsx export: scope, figures, formula escaping, audit."""

import io

import openpyxl
import pytest
from django.urls import reverse

from zhenwu.areas.models import Area
from zhenwu.assistance.tests.stats_data import build_ledger
from zhenwu.core.models import AuditEvent

URL = reverse("assistance:stats")


@pytest.fixture
def ledger(luotian_household, makou_household, shadi, luotian):
    return build_ledger(luotian_household, makou_household, shadi, luotian)


def test_township_officer_sees_town_figures(client, ledger, township_officer):
    client.force_login(township_officer)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "沙地镇2023年上半年帮扶数据" in html
    assert "85,000.00" in html  # loans issued in the total row
    assert "螺田村" in html and "马口村" in html
    idle = len(page.context["figures"]["villages"]) - 2
    assert f"另有 {idle} 个村（居）本期无数据" in html  # the empty villages are folded


def test_period_and_area_pickers(client, ledger, township_officer, makou):
    client.force_login(township_officer)
    page = client.get(URL, {"area": makou.code, "period": "2023-01"})
    html = page.content.decode()
    assert "马口村2023年1月帮扶数据" in html
    assert "600.00" in html


def test_bad_period_shows_error(client, ledger, township_officer, shadi):
    client.force_login(township_officer)
    page = client.get(URL, {"area": shadi.code, "period": "2023Q5"})
    assert page.status_code == 200
    assert "统计期格式不正确" in page.content.decode()
    assert page.context["figures"] is None


def test_village_cadre_cannot_pick_other_village(client, ledger, luotian_cadre, makou, shadi):
    client.force_login(luotian_cadre)
    page = client.get(URL)
    assert "螺田村2023年上半年帮扶数据" in page.content.decode()
    for area in (makou, shadi):
        refused = client.get(URL, {"area": area.code, "period": "2023H1"})
        assert refused.context["figures"] is None
        export = client.get(URL, {"area": area.code, "period": "2023H1", "format": "xlsx"})
        assert export.get("Content-Type", "").startswith("text/html")
    assert not AuditEvent.objects.filter(event="assistance.export").exists()


def test_without_permission_403(client, world, no_membership_user, department_clerk):
    for user in (no_membership_user, department_clerk):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_anonymous_redirected(client, world):
    assert client.get(URL).status_code == 302


def test_xlsx_export_escaped_and_audited(client, ledger, township_officer, shadi, luotian):
    Area.objects.filter(pk=luotian.pk).update(name="=HYPERLINK(1)")  # a hostile name
    client.force_login(township_officer)
    response = client.get(URL, {"area": shadi.code, "period": "2023H1", "format": "xlsx"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["分村统计", "帮扶措施", "说明"]
    rows = list(book["分村统计"].iter_rows(values_only=True))
    assert rows[0][:4] == ("行政村", "区划代码", "发放贷款（人）", "发放金额（元）")
    names = [row[0] for row in rows]
    assert "'=HYPERLINK(1)" in names
    total = rows[-1]
    assert total[0] == "合计" and total[2] == 2 and total[3] == 85000
    measures = {row[0]: row[2:] for row in book["帮扶措施"].iter_rows(values_only=True)}
    assert measures["100A39"] == (1, 1)
    event = AuditEvent.objects.get(event="assistance.export")
    assert event.data == {"report": "stats", "area": shadi.code, "period": "2023H1"}
    assert event.user == township_officer

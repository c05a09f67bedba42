"""The indicator board page, the entry form, the .xlsx export and the API (scoped)."""

import io
import json

import openpyxl
import pytest
from django.urls import reverse

from zhenwu.core.models import AuditEvent
from zhenwu.workplans.actions.indicators import (
    do_record_measurement,
    do_set_target,
    load_indicator_catalogue,
)
from zhenwu.workplans.models import Indicator, Measurement

pytestmark = pytest.mark.django_db
BOARD = reverse("workplans:indicator_board")
ENTER = reverse("workplans:indicator_enter")
API = "/api/v1/workplans/measurements"


@pytest.fixture
def garbage(world):
    load_indicator_catalogue()
    return Indicator.objects.get(code="garbage_collection_rate")


def _post_json(client, body):
    return client.post(API, json.dumps(body), content_type="application/json")


def test_board_shows_status_as_text_and_colour(client, garbage, township_officer, luotian, shadi):
    do_set_target(
        actor=township_officer, indicator=garbage, area=luotian, period="2023", value="100"
    )
    do_record_measurement(
        actor=township_officer,
        indicator=garbage,
        area=luotian,
        period="2023-06",
        numerator="8",
        denominator="10",
    )
    client.force_login(township_officer)
    page = client.get(BOARD, {"area": shadi.code, "period": "2023H1"}).content.decode()
    assert "螺田村" in page and "马口村" in page
    assert 'class="cell-behind"' in page and "未达标" in page and "80.00%" in page


def test_cadre_sees_only_own_village(client, garbage, luotian_cadre, luotian, shadi, makou):
    client.force_login(luotian_cadre)
    page = client.get(BOARD).content.decode()
    assert "螺田村" in page and "马口村" not in page
    assert client.get(BOARD, {"area": shadi.code, "period": "2023H1"}).status_code == 200
    assert "马口村" not in client.get(BOARD, {"area": makou.code}).content.decode()


def test_entry_form_writes_through_the_action(client, garbage, luotian_cadre, luotian, makou):
    client.force_login(luotian_cadre)
    data = {
        "area": luotian.code,
        "period": "2023-05",
        "indicator": garbage.code,
        "numerator": "12",
        "denominator": "12",
    }
    response = client.post(ENTER, data)
    assert response.status_code == 302
    row = Measurement.objects.get(area=luotian, period="2023-05")
    assert row.value == 100
    refused = client.post(ENTER, {**data, "numerator": "13"})
    assert refused.status_code == 400 and "分母须大于0" in refused.content.decode()
    other = client.post(ENTER, {**data, "area": makou.code})
    assert other.status_code == 400
    assert not Measurement.objects.filter(area=makou).exists()


def test_export_is_audited(client, garbage, township_officer, shadi):
    client.force_login(township_officer)
    response = client.get(BOARD, {"area": shadi.code, "period": "2023H1", "format": "xlsx"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "指标" and any(r[2] == "螺田村" for r in rows[1:])
    assert AuditEvent.objects.filter(event="workplans.exported").count() == 1


def test_api_write_is_scoped(client, garbage, luotian_cadre, luotian, makou):
    client.force_login(luotian_cadre)
    body = {
        "indicator": garbage.code,
        "area": luotian.code,
        "period": "2023-06",
        "numerator": "5",
        "denominator": "5",
    }
    created = _post_json(client, body)
    assert created.status_code == 201, created.content
    assert created.json()["value"] == "100.0000" or float(created.json()["value"]) == 100
    updated = _post_json(client, {**body, "numerator": "4", "version": 1})
    assert updated.status_code == 200 and updated.json()["version"] == 2
    assert _post_json(client, {**body, "version": 1}).status_code == 409
    assert _post_json(client, {**body, "area": makou.code}).status_code == 403
    bad = _post_json(client, {**body, "denominator": None})
    assert bad.status_code == 400 and bad.json()["code"] == "measurement_ratio_required"
    listed = client.get(API).json()
    assert [(m["area"], m["period"]) for m in listed] == [(luotian.code, "2023-06")]


def test_api_values_for_the_township(
    client, garbage, township_officer, luotian, shadi, makou_cadre
):
    do_record_measurement(
        actor=township_officer,
        indicator=garbage,
        area=luotian,
        period="2023-06",
        numerator="9",
        denominator="10",
    )
    client.force_login(township_officer)
    rows = client.get(
        "/api/v1/workplans/indicator-values", {"area": shadi.code, "period": "2023-06"}
    ).json()
    township = next(r for r in rows if r["indicator"] == garbage.code and r["area"] == shadi.code)
    assert float(township["actual"]) == 90 and township["status"] == "no_target"
    client.force_login(makou_cadre)
    assert (
        client.get(
            "/api/v1/workplans/indicator-values", {"area": luotian.code, "period": "2023"}
        ).status_code
        == 404
    )
    assert client.get(API).json() == []

"""The department push endpoint: token auth, same validation, idempotent, scoped."""

import datetime
import json

import pytest
from django.test import Client

from zhenwu.monitoring.models import DepartmentRecord
from zhenwu.testing.personas import test_id_number

URL = "/api/v1/monitoring/department/{}/records"
GOOD_ID = test_id_number(datetime.date(1980, 1, 2))


@pytest.fixture
def clerk_token(world, shadi):
    from zhenwu.accounts.actions import do_create_api_token, do_create_user

    account = do_create_user(
        username="yibao-push",
        password="",
        area=shadi,
        role="department_clerk",
        is_service_account=True,
    )
    return do_create_api_token(account, name="医保局推送")


def push(token, department, body):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.post(URL.format(department), json.dumps(body), content_type="application/json")


def body(rows, area="360704101"):
    return {"area": area, "period": "2023-06", "rows": rows}


ROW = {"id_number": GOOD_ID, "name": "李秀英", "month": "2023-05", "total": 100, "amount": 80}


def test_push_stores_once(clerk_token):
    first = push(clerk_token, "medical_insurance", body([ROW]))
    assert first.status_code == 201, first.content
    assert first.json()["records"] == 1
    again = push(clerk_token, "medical_insurance", body([ROW]))
    assert again.status_code == 200 and again.json()["same_as_earlier"]
    assert DepartmentRecord.objects.count() == 1


def test_push_reports_row_errors(clerk_token):
    response = push(clerk_token, "medical_insurance", body([ROW, {**ROW, "month": "六月"}]))
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["row"] == 3 and error["column"] == "月份"
    assert not DepartmentRecord.objects.exists()


def test_push_is_scoped(clerk_token, luotian_token):
    outside = push(clerk_token, "medical_insurance", body([ROW], area="360704"))
    assert outside.status_code == 403
    cadre = push(luotian_token, "medical_insurance", body([ROW], area="360704101214"))
    assert cadre.status_code == 403
    assert push(clerk_token, "nope", body([ROW])).status_code == 422


def test_push_needs_a_token():
    response = Client().post(URL.format("education"), "{}", content_type="application/json")
    assert response.status_code == 401

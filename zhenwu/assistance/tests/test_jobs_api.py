"""/api/v1/assistance/jobs/…: scoped reads and attendance from the mobile app."""

import datetime
from decimal import Decimal

import pytest

from zhenwu.assistance.actions.jobs import do_assign_job, do_build_payroll, do_create_post
from zhenwu.assistance.choices import SettingKey
from zhenwu.assistance.models import AssistanceSetting, Attendance

BASE = "/api/v1/assistance/jobs"


@pytest.fixture
def assignment(township_officer, luotian, shadi, luotian_household, luotian_cadre):
    for key, value in (
        (SettingKey.JOB_MIN_AGE, 16),
        (SettingKey.JOB_MAX_AGE, 60),
        (SettingKey.JOBS_PER_HOUSEHOLD, 2),
    ):
        AssistanceSetting.objects.create(
            area=shadi, key=key, value=Decimal(value), valid_from=datetime.date(2020, 1, 1)
        )
    post = do_create_post(
        actor=township_officer,
        village=luotian,
        post_type="保洁员",
        funding_level="central",
        monthly_subsidy=Decimal("500"),
        capacity=2,
    )
    head = luotian_household.members.get(relation="head")
    return do_assign_job(post, head, actor=luotian_cadre, start_on=datetime.date(2023, 1, 1))


def test_reads_are_scoped(client, assignment, luotian_cadre, makou_cadre):
    client.force_login(luotian_cadre)
    posts = client.get(f"{BASE}/posts").json()["items"]
    assert [p["id"] for p in posts] == [str(assignment.post.public_id)]
    assert posts[0]["monthly_subsidy"] == "500.00"
    items = client.get(f"{BASE}/assignments", {"status": "active"}).json()["items"]
    assert items[0]["person_name"] == "张三丰" and "*" in items[0]["person_id_masked"]
    assert "id_number" not in items[0]
    client.force_login(makou_cadre)
    assert client.get(f"{BASE}/posts").json()["items"] == []
    assert client.get(f"{BASE}/posts/{assignment.post.public_id}").status_code == 404


def test_post_attendance(client, assignment, luotian_cadre, makou_cadre, township_officer, shadi):
    url = f"{BASE}/assignments/{assignment.public_id}/attendance"
    client.force_login(makou_cadre)
    body = {"month": "2023-02", "days_worked": 20}
    assert client.post(url, body, content_type="application/json").status_code == 404
    client.force_login(luotian_cadre)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201 and response.json()["days_worked"] == 20
    body["days_worked"] = 18
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["version"] == 2
    bad = client.post(url, {"month": "2023-02", "days_worked": 40}, content_type="application/json")
    assert bad.status_code == 422
    do_build_payroll(shadi, "2023-02", actor=township_officer)
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "attendance_paid"
    assert Attendance.objects.get().days_worked == 18

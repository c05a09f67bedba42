"""/api/v1/workplans/plans and /tasks: read-only, scoped like the pages."""

import datetime

import pytest

from zhenwu.workplans.actions import plans

BASE = "/api/v1/workplans"


@pytest.fixture
def task(township_officer, shadi):
    plan = plans.do_create_plan(actor=township_officer, area=shadi, period="2023H2", title="镇计划")
    plans.do_activate_plan(plan, actor=township_officer)
    section = plans.do_add_section(plan, actor=township_officer, title="（二）绿色发展")
    task = plans.do_add_task(
        section,
        actor=township_officer,
        title="秸秆禁烧",
        lead_unit="生态环境办",
        deadline_on=datetime.date(2023, 11, 30),
    )
    plans.do_report_progress(
        task,
        actor=township_officer,
        reported_on=datetime.date(2023, 9, 1),
        note="巡查",
        progress=50,
    )
    return task


def test_list_detail_and_task(client, task, luotian_cadre):
    client.force_login(luotian_cadre)
    items = client.get(f"{BASE}/plans").json()["items"]
    assert [(p["title"], p["task_count"], p["overdue_count"]) for p in items] == [("镇计划", 1, 1)]
    detail = client.get(f"{BASE}/plans/{items[0]['id']}").json()
    row = detail["sections"][0]["tasks"][0]
    assert row["title"] == "秸秆禁烧" and row["progress"] == 50 and row["overdue"] is True
    body = client.get(f"{BASE}/tasks/{task.public_id}").json()
    assert body["updates"][0]["note"] == "巡查" and body["updates"][0]["has_attachment"] is False
    assert client.get(f"{BASE}/plans", {"period": "2024"}).json()["items"] == []


def test_out_of_scope_is_404(client, township_officer, luotian, makou_cadre):
    plan = plans.do_create_plan(actor=township_officer, area=luotian, period="2023H2", title="螺田")
    client.force_login(makou_cadre)
    assert client.get(f"{BASE}/plans").json()["items"] == []
    assert client.get(f"{BASE}/plans/{plan.public_id}").status_code == 404
    assert client.get(f"{BASE}/plans/not-a-uuid").status_code == 404


def test_read_only(client, task, township_officer):
    client.force_login(township_officer)
    response = client.post(f"{BASE}/plans", {})
    assert response.status_code in (403, 405)

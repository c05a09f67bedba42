"""GET /api/v1/monitoring/cases[/{id}]: scoped, filtered, paged, with the steps."""

import pytest

from zhenwu.monitoring.actions import cases
from zhenwu.monitoring.models import MonitoringCase
from zhenwu.monitoring.tests.cases_helpers import D, make_clue, parameters, run_to

pytestmark = pytest.mark.django_db
__all__ = ["parameters"]
BASE = "/api/v1/monitoring/cases"


@pytest.fixture
def case(parameters, luotian_household, luotian_cadre):
    return cases.do_open_identification_case(make_clue(luotian_household), actor=luotian_cadre)


def test_list_and_detail(client, case, luotian_cadre, township_officer, district_officer):
    run_to(
        case,
        "notice_posted",
        cadre=luotian_cadre,
        township=township_officer,
        district=district_officer,
    )
    client.force_login(luotian_cadre)
    body = client.get(BASE).json()
    assert [item["id"] for item in body["items"]] == [str(case.public_id)]
    item = body["items"][0]
    assert item["status"] == "notice_posted" and item["village"] == "360704101214"
    assert item["notice_ends_on"] == "2023-03-09" and item.get("events") is None
    detail = client.get(f"{BASE}/{case.public_id}").json()
    assert [e["to_status"] for e in detail["events"]] == [
        "draft",
        "home_verified",
        "village_reviewed",
        "notice_posted",
    ]


def test_filters(client, case, luotian_cadre):
    client.force_login(luotian_cadre)
    assert client.get(BASE, {"kind": "elimination"}).json()["items"] == []
    assert len(client.get(BASE, {"status": "draft"}).json()["items"]) == 1
    assert client.get(BASE, {"overdue": "true"}).json()["items"][0]["overdue"] is True
    MonitoringCase.objects.filter(pk=case.pk).update(deadline_on=D(2999, 1, 1))
    assert client.get(BASE, {"overdue": "true"}).json()["items"] == []
    assert client.get(BASE, {"status": "nonsense"}).status_code == 422


def test_scope(client, case, makou_cadre, no_membership_user):
    client.force_login(makou_cadre)
    assert client.get(BASE).json()["items"] == []
    response = client.get(f"{BASE}/{case.public_id}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    client.force_login(no_membership_user)
    assert client.get(BASE).json()["items"] == []


def test_token_caller(client, case, luotian_token):
    response = client.get(BASE, headers={"Authorization": f"Bearer {luotian_token}"})
    assert response.status_code == 200 and len(response.json()["items"]) == 1


def test_paging(client, parameters, luotian_household, makou_household, township_officer):
    for household in (luotian_household, makou_household):
        cases.do_open_identification_case(make_clue(household), actor=township_officer)
    client.force_login(township_officer)
    first = client.get(BASE, {"limit": 1}).json()
    second = client.get(BASE, {"limit": 1, "cursor": first["next_cursor"]}).json()
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert second["next_cursor"] is None

"""/api/v1/assistance/plans: plans with measures per household, scoped."""

import datetime

import pytest

from zhenwu.assistance.actions.plans import do_add_measure, do_create_plan

BASE = "/api/v1/assistance/plans"
D = datetime.date


@pytest.fixture
def plan(luotian_household, luotian_cadre):
    plan = do_create_plan(luotian_household, 2023, actor=luotian_cadre)
    do_add_measure(
        plan,
        actor=luotian_cadre,
        category="100A39",
        description="脐橙",
        amount="800.5",
        planned_on=D(2023, 3, 1),
    )
    return plan


@pytest.mark.django_db
def test_list_and_detail(client, plan, luotian_cadre, luotian_household):
    client.force_login(luotian_cadre)
    body = client.get(BASE, {"year": 2023}).json()
    assert [p["household_number"] for p in body["items"]] == ["LT0001"]
    measure = body["items"][0]["measures"][0]
    assert (measure["category"], measure["amount"], measure["status"]) == (
        "100A39",
        "800.50",
        "planned",
    )
    assert client.get(BASE, {"year": 2022}).json()["items"] == []
    assert (
        len(client.get(BASE, {"household": str(luotian_household.public_id)}).json()["items"]) == 1
    )
    detail = client.get(f"{BASE}/{plan.public_id}").json()
    assert detail["warnings"][0]["code"] == "no_development_measure"


@pytest.mark.django_db
def test_scope(client, plan, makou_cadre, no_membership_user):
    client.force_login(makou_cadre)
    assert client.get(BASE).json()["items"] == []
    assert client.get(f"{BASE}/{plan.public_id}").status_code == 404
    client.force_login(no_membership_user)
    assert client.get(BASE).status_code == 403

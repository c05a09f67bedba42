"""Pages of helpers, plans and warnings: scoping (404 outside), the write forms, audit rows."""

import datetime

import pytest
from django.urls import reverse

from zhenwu.assistance.actions.plans import do_add_measure, do_create_helper, do_create_plan
from zhenwu.assistance.models import AssistancePlan, HelperAssignment, Measure
from zhenwu.core.models import AuditEvent

D = datetime.date


@pytest.fixture
def cadre_client(client, luotian_cadre):
    client.force_login(luotian_cadre)
    return client


@pytest.mark.django_db
def test_cadre_cannot_plan_for_makou(cadre_client, makou_household):
    page = reverse("assistance:household_plans", args=[makou_household.public_id])
    assert cadre_client.get(page).status_code == 404
    create = reverse("assistance:plan_create", args=[makou_household.public_id])
    assert cadre_client.post(create, {"year": 2023}).status_code == 404
    assert not AssistancePlan.objects.exists()


@pytest.mark.django_db
def test_plan_measure_implement_cancel_through_the_page(
    cadre_client, luotian_household, luotian_cadre
):
    page = reverse("assistance:household_plans", args=[luotian_household.public_id])
    response = cadre_client.get(page)
    assert response.status_code == 200
    assert "有劳动力但未落实开发式帮扶措施" in response.content.decode()
    response = cadre_client.post(
        reverse("assistance:plan_create", args=[luotian_household.public_id]),
        {"year": 2023, "goals": "稳定增收"},
    )
    assert response.status_code == 302
    plan = AssistancePlan.objects.get(household=luotian_household, year=2023)
    member = luotian_household.members.first()
    cadre_client.post(
        reverse("assistance:measure_add", args=[plan.public_id]),
        {
            "category": "100A39",
            "description": "脐橙种植奖补",
            "amount": "800",
            "planned_on": "2023-03-01",
            "person": str(member.public_id),
        },
    )
    cadre_client.post(
        reverse("assistance:measure_add", args=[plan.public_id]),
        {
            "category": "100A45",
            "description": "家庭医生签约",
            "amount": "0",
            "planned_on": "2023-03-01",
            "person": "",
        },
    )
    industry, health = Measure.objects.order_by("id")
    assert industry.person == member and health.person is None
    cadre_client.post(
        reverse("assistance:measure_implement", args=[industry.public_id]),
        {"implemented_on": "2023-04-01", "version": industry.version},
    )
    cadre_client.post(
        reverse("assistance:measure_cancel", args=[health.public_id]),
        {"reason": "已由医保覆盖", "version": health.version},
    )
    industry.refresh_from_db()
    health.refresh_from_db()
    assert (industry.status, health.status) == ("implemented", "cancelled")
    body = cadre_client.get(page).content.decode()
    assert "产业帮扶" in body and "脐橙种植奖补" in body and "已实施" in body
    for event in ("plan_created", "measure_added", "measure_implemented", "measure_cancelled"):
        assert AuditEvent.objects.filter(event=f"assistance.{event}", user=luotian_cadre).exists()


@pytest.mark.django_db
def test_duplicate_plan_shows_the_refusal(cadre_client, luotian_household, luotian_cadre):
    do_create_plan(luotian_household, 2023, actor=luotian_cadre)
    url = reverse("assistance:plan_create", args=[luotian_household.public_id])
    response = cadre_client.post(url, {"year": 2023}, follow=True)
    assert "该户本年度已有一户一策帮扶计划" in response.content.decode()


@pytest.mark.django_db
def test_makou_cadre_gets_404_on_luotian_measures(
    client, makou_cadre, luotian_household, luotian_cadre
):
    plan = do_create_plan(luotian_household, 2023, actor=luotian_cadre)
    measure = do_add_measure(
        plan,
        actor=luotian_cadre,
        category="100A39",
        description="x",
        amount=0,
        planned_on=D(2023, 1, 1),
    )
    client.force_login(makou_cadre)
    assert (
        client.post(reverse("assistance:measure_add", args=[plan.public_id]), {}).status_code == 404
    )
    url = reverse("assistance:measure_implement", args=[measure.public_id])
    assert client.post(url, {"implemented_on": "2023-02-01"}).status_code == 404
    measure.refresh_from_db()
    assert measure.status == "planned"


@pytest.mark.django_db
def test_helpers_page_and_pairing(
    cadre_client, township_officer, shadi, luotian_household, luotian_cadre
):
    helper = do_create_helper(
        actor=township_officer, area=shadi, data={"name": "刘帮扶", "unit": "沙地镇政府"}
    )
    response = cadre_client.post(
        reverse("assistance:helper_assign", args=[luotian_household.public_id]),
        {"helper": str(helper.public_id), "start_on": "2023-02-01"},
    )
    assert response.status_code == 302
    assert HelperAssignment.objects.get(household=luotian_household).helper == helper
    body = cadre_client.get(reverse("assistance:helper_list")).content.decode()
    assert "刘帮扶" in body and "LT0001" in body
    # A cadre may not edit a township helper, but may create one in their village.
    assert (
        cadre_client.get(reverse("assistance:helper_edit", args=[helper.public_id])).status_code
        == 403
    )
    response = cadre_client.post(
        reverse("assistance:helper_create"),
        {"area": "360704101214", "name": "村帮扶", "unit": "螺田村委"},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(event="assistance.helper_created", user=luotian_cadre).exists()


@pytest.mark.django_db
def test_warnings_page_is_scoped_and_filtered(
    client, township_officer, luotian_cadre, luotian_household, makou_household
):
    client.force_login(luotian_cadre)
    response = client.get(reverse("assistance:warning_list"))
    body = response.content.decode()
    assert response.status_code == 200 and "LT0001" in body
    response = client.get(
        reverse("assistance:warning_list"), {"code": "illness_without_health_aid"}
    )
    assert "LT0001" not in response.content.decode()
    response = client.get(reverse("assistance:warning_list"), {"village": "360704101203"})
    assert response.status_code == 200  # not a choice for this cadre: ignored, still scoped
    assert "MK0001" not in response.content.decode()


@pytest.mark.django_db
def test_plan_list_and_no_membership(client, no_membership_user, luotian_cadre, luotian_household):
    client.force_login(luotian_cadre)
    assert "LT0001" in client.get(reverse("assistance:plan_list")).content.decode()
    client.force_login(no_membership_user)
    for name in ("home", "plan_list", "warning_list", "helper_list", "site_list"):
        assert client.get(reverse(f"assistance:{name}")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["plan_list", "warning_list", "home"])
def test_list_queries_do_not_grow_with_households(
    client, township_officer, luotian, luotian_household, name
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhenwu.testing.personas import make_household

    client.force_login(township_officer)
    url = reverse(f"assistance:{name}")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for number in ("LT0101", "LT0102", "LT0103"):
        make_household(
            township_officer, luotian, number, [("某甲", D(1980, 1, 1), "head")], category="lifted"
        )
    with CaptureQueriesContext(connection) as after:
        body = client.get(url).content.decode()
    assert len(after) == len(before)
    if name != "home":
        assert "LT0103" in body

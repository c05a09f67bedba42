"""特色产业 page: industries with their enterprises and totals, per village; forms; the
edit page with optimistic locking; scoping."""

import pytest
from django.urls import reverse

from zhenwu.projects.actions.industry import do_create_industry
from zhenwu.projects.models import Enterprise, Industry
from zhenwu.projects.tests.test_industry import make_enterprise


@pytest.fixture
def plants(township_officer, shadi, luotian, makou):
    duck = do_create_industry(actor=township_officer, area=shadi, name="板鸭", description="")
    rice = do_create_industry(actor=township_officer, area=shadi, name="水稻", description="")
    return (
        make_enterprise(township_officer, luotian, duck),
        make_enterprise(
            township_officer, makou, rice, name="马口富硒大米加工厂", jobs_for_lifted=11
        ),
    )


def test_page_totals_per_industry_and_village(client, township_officer, plants):
    client.force_login(township_officer)
    response = client.get(reverse("projects:industry"))
    assert response.status_code == 200
    rows = {row["industry"].name: row for row in response.context["industries"]}
    assert (rows["板鸭"]["jobs"], rows["板鸭"]["linked"]) == (12, 40)
    assert rows["水稻"]["jobs"] == 11
    villages = {row["village__name"]: row["jobs"] for row in response.context["per_village"]}
    assert villages == {"螺田村": 12, "马口村": 11}
    assert response.context["total_jobs"] == 23
    assert response.context["enterprise_form"] is not None


def test_cadre_sees_only_own_village(client, luotian_cadre, plants):
    luotian_plant, makou_plant = plants
    client.force_login(luotian_cadre)
    response = client.get(reverse("projects:industry"))
    page = response.content.decode()
    assert "螺田板鸭厂" in page and "马口富硒大米加工厂" not in page
    assert {row["industry"].name for row in response.context["industries"]} == {"板鸭", "水稻"}
    assert response.context["total_jobs"] == 12
    assert "enterprise_form" not in response.context
    url = reverse("projects:enterprise_edit", args=[makou_plant.public_id])
    assert client.get(url).status_code == 404
    url = reverse("projects:enterprise_edit", args=[luotian_plant.public_id])
    assert client.get(url).status_code == 403


def test_forms_create_and_edit(client, township_officer, plants, luotian):
    luotian_plant, _makou_plant = plants
    client.force_login(township_officer)
    client.post(reverse("projects:industry_create"), {"area": luotian.code, "name": "鱼丝"})
    fish = Industry.objects.get(name="鱼丝")
    client.post(
        reverse("projects:enterprise_create"),
        {
            "village": luotian.code,
            "name": "螺田鱼丝车间",
            "kind": "workshop",
            "industry": fish.pk,
            "products": "鱼丝",
            "jobs_for_lifted": 5,
            "linked_households": 9,
        },
    )
    assert Enterprise.objects.get(name="螺田鱼丝车间").industry == fish
    url = reverse("projects:enterprise_edit", args=[luotian_plant.public_id])
    form = {
        "name": "螺田板鸭厂",
        "kind": "enterprise",
        "industry": luotian_plant.industry_id,
        "products": "板鸭",
        "jobs_for_lifted": 18,
        "linked_households": 40,
        "version": 1,
    }
    assert client.post(url, form).status_code == 302
    luotian_plant.refresh_from_db()
    assert (luotian_plant.jobs_for_lifted, luotian_plant.version) == (18, 2)
    stale = client.post(url, {**form, "jobs_for_lifted": 1}).content.decode()
    assert "该记录已被他人修改" in stale
    luotian_plant.refresh_from_db()
    assert luotian_plant.jobs_for_lifted == 18

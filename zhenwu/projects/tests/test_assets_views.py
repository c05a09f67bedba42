"""项目资产 pages: the ledger (filters, totals by type), detail, income form, registration
form; scoping (404 outside the area) and refusals shown as messages."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from zhenwu.core.models import AuditEvent
from zhenwu.projects.actions.assets import do_record_asset_income
from zhenwu.projects.choices import AssetType, ProjectStatus
from zhenwu.projects.models import Asset, AssetIncome
from zhenwu.projects.tests.test_assets import make_project, register


@pytest.fixture
def assets(township_officer, luotian, makou):
    duck = register(make_project(luotian, "P-L"), township_officer)
    road = register(
        make_project(makou, "P-M"),
        township_officer,
        name="马口村道路",
        asset_type=AssetType.PUBLIC_WELFARE,
        value="300000",
        owner="马口村股份经济合作社",
        registered_on=datetime.date(2022, 9, 1),
    )
    do_record_asset_income(
        duck, actor=township_officer, year=2023, amount="72000", distribution="分红"
    )
    return duck, road


def test_ledger_totals_and_filters(client, township_officer, assets, makou):
    client.force_login(township_officer)
    url = reverse("projects:asset_list")
    response = client.get(url)
    assert response.status_code == 200
    totals = {row["type"]: row for row in response.context["totals"]}
    assert totals[AssetType.OPERATING]["value"] == Decimal("800000.00")
    assert totals[AssetType.OPERATING]["income"] == Decimal("72000.00")
    assert totals[AssetType.PUBLIC_WELFARE]["count"] == 1
    assert response.context["grand"]["value"] == Decimal("1100000.00")
    page = client.get(url, {"asset_type": "public_welfare"}).content.decode()
    assert "马口村道路" in page and "板鸭加工厂房" not in page
    response = client.get(url, {"area": makou.code})
    assert [a.name for a in response.context["assets"]] == ["马口村道路"]
    response = client.get(url, {"year": "2023"})
    assert [a.name for a in response.context["assets"]] == ["板鸭加工厂房"]


def test_ledger_and_detail_scoped_for_cadre(client, luotian_cadre, assets):
    duck, road = assets
    client.force_login(luotian_cadre)
    page = client.get(reverse("projects:asset_list")).content.decode()
    assert "板鸭加工厂房" in page and "马口村道路" not in page
    detail = client.get(reverse("projects:asset_detail", args=[duck.public_id]))
    assert detail.status_code == 200 and "72000" in detail.content.decode()
    assert detail.context["income_form"] is None  # cadres view, they do not edit
    assert client.get(reverse("projects:asset_detail", args=[road.public_id])).status_code == 404
    response = client.post(
        reverse("projects:asset_income", args=[duck.public_id]),
        {"year": 2024, "amount": "1", "distribution": ""},
    )
    assert response.status_code == 302
    assert not AssetIncome.objects.filter(year=2024).exists()


def test_no_permission_no_ledger(client, no_membership_user):
    client.force_login(no_membership_user)
    assert client.get(reverse("projects:asset_list")).status_code == 403


def test_income_form_records_once(client, township_officer, assets):
    duck, _road = assets
    client.force_login(township_officer)
    url = reverse("projects:asset_income", args=[duck.public_id])
    client.post(url, {"year": 2024, "amount": "50000", "distribution": "按股分红"})
    assert AssetIncome.objects.get(asset=duck, year=2024).amount == Decimal("50000.00")
    response = client.post(url, {"year": 2024, "amount": "1"}, follow=True)
    assert "2024年的收益已登记" in response.content.decode()
    assert AssetIncome.objects.filter(asset=duck, year=2024).count() == 1


def test_register_form(client, township_officer, luotian, luotian_household):
    project = make_project(luotian, "P-R")
    client.force_login(township_officer)
    url = reverse("projects:asset_register", args=[project.public_id])
    assert client.get(url).status_code == 200
    data = {
        "name": "到户鸭苗",
        "asset_type": "household",
        "value": "3000",
        "owner": "张三丰",
        "registered_on": "2023-03-01",
        "household_number": "",
    }
    page = client.post(url, data).content.decode()
    assert "到户类资产须指定受益农户" in page
    response = client.post(url, {**data, "household_number": luotian_household.number})
    asset = Asset.objects.get(name="到户鸭苗")
    assert response.status_code == 302 and asset.household == luotian_household
    proposed = make_project(luotian, "P-P", ProjectStatus.PROPOSED)
    page = client.get(reverse("projects:asset_register", args=[proposed.public_id]))
    assert "项目验收后才能登记资产" in page.content.decode()


def test_register_form_refused_to_cadre(client, luotian_cadre, luotian):
    project = make_project(luotian, "P-C")
    client.force_login(luotian_cadre)
    url = reverse("projects:asset_register", args=[project.public_id])
    assert client.get(url).status_code == 403


# --- export -------------------------------------------------------------------------------


def sheet_rows(content: bytes) -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_index(0).to_python()


def test_export_lists_only_assets_in_scope_and_is_audited(client, luotian_cadre, assets):
    duck, road = assets
    client.force_login(luotian_cadre)
    response = client.get(reverse("projects:asset_export"))
    assert response.status_code == 200
    rows = sheet_rows(response.content)
    names = [row[0] for row in rows[1:]]
    assert names == [duck.name] and road.name not in names
    assert rows[1][8] == 72000
    event = AuditEvent.objects.filter(event="projects.asset_export").latest("id")
    assert event.user == luotian_cadre and event.data["rows"] == 1


def test_export_follows_the_page_filters(client, township_officer, assets):
    client.force_login(township_officer)
    response = client.get(reverse("projects:asset_export"), {"asset_type": "public_welfare"})
    names = [row[0] for row in sheet_rows(response.content)[1:]]
    assert names == ["马口村道路"]


def test_export_refused_without_the_view_permission(client, auditor):
    client.force_login(auditor)
    assert client.get(reverse("projects:asset_export")).status_code in (403, 404)

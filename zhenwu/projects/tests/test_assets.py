"""项目资产: registration rules (project status, 到户类 household), one income record per
asset and year, scoping and audit rows."""

import datetime
from decimal import Decimal

import pytest

from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.projects import selectors
from zhenwu.projects.actions.assets import do_record_asset_income, do_register_asset
from zhenwu.projects.choices import AssetType, ProjectStatus, ProjectType
from zhenwu.projects.models import Asset, AssetIncome, Project

D = datetime.date


def make_project(area, code, status=ProjectStatus.ACCEPTED):
    # Test setup only: the lifecycle itself is tested with the project actions.
    return Project.objects.create(
        code=code,
        name=f"{area.name}项目{code}",
        project_type=ProjectType.INDUSTRY,
        area=area,
        lead_unit="沙地镇人民政府",
        year=2022,
        status=status,
    )


def register(project, actor, **overrides):
    values = {
        "name": "板鸭加工厂房",
        "asset_type": AssetType.OPERATING,
        "value": Decimal("800000"),
        "owner": "螺田村股份经济合作社",
        "upkeep_by": "螺田板鸭厂",
        "registered_on": D(2023, 1, 10),
    }
    values.update(overrides)
    return do_register_asset(project, actor=actor, **values)


@pytest.fixture
def luotian_project(luotian):
    return make_project(luotian, "P-LT-1")


def test_register_asset_on_accepted_project_is_audited(township_officer, luotian_project):
    asset = register(luotian_project, township_officer)
    assert asset.value == Decimal("800000.00")
    row = AuditEvent.objects.get(event="projects.asset_registered")
    assert row.object_id == str(asset.public_id)
    assert row.data["project"] == "P-LT-1"


@pytest.mark.parametrize(
    "status", [ProjectStatus.PROPOSED, ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED]
)
def test_assets_only_after_acceptance(township_officer, luotian, status):
    project = make_project(luotian, f"P-{status}", status)
    with pytest.raises(DomainError) as error:
        register(project, township_officer)
    assert error.value.code == "asset_project_not_accepted"
    assert not Asset.objects.exists()


def test_assets_registered_project_takes_more_assets(township_officer, luotian):
    project = make_project(luotian, "P-AR", ProjectStatus.ASSETS_REGISTERED)
    assert register(project, township_officer).project == project


def test_household_asset_needs_household_of_project_area(
    township_officer, luotian_project, luotian_household, makou_household
):
    with pytest.raises(DomainError) as error:
        register(luotian_project, township_officer, asset_type=AssetType.HOUSEHOLD)
    assert error.value.code == "asset_household_required"
    with pytest.raises(DomainError) as error:
        register(
            luotian_project,
            township_officer,
            asset_type=AssetType.HOUSEHOLD,
            household=makou_household,
        )
    assert error.value.code == "asset_household_outside_area"
    with pytest.raises(DomainError) as error:
        register(luotian_project, township_officer, household=luotian_household)
    assert error.value.code == "asset_household_not_allowed"
    asset = register(
        luotian_project,
        township_officer,
        name="到户鸭苗",
        asset_type=AssetType.HOUSEHOLD,
        value="3000",
        household=luotian_household,
    )
    assert asset.household == luotian_household


def test_township_project_household_asset_any_village(township_officer, shadi, makou_household):
    project = make_project(shadi, "P-SD")
    asset = register(
        project, township_officer, asset_type=AssetType.HOUSEHOLD, household=makou_household
    )
    assert asset.household == makou_household


@pytest.mark.parametrize("value", ["0", "-5", 1.5, "abc", None])
def test_asset_value_must_be_positive_decimal(township_officer, luotian_project, value):
    with pytest.raises(DomainError) as error:
        register(luotian_project, township_officer, value=value)
    assert error.value.code == "invalid_amount"


def test_asset_write_needs_edit_permission_and_scope(
    luotian_cadre, makou_cadre, district_officer, luotian_project
):
    for user in (luotian_cadre, makou_cadre):  # cadres view projects, they do not edit them
        with pytest.raises(DomainError) as error:
            register(luotian_project, user)
        assert error.value.code == "permission_denied"
    assert register(luotian_project, district_officer).project == luotian_project


def test_income_once_per_asset_and_year(township_officer, luotian_project):
    asset = register(luotian_project, township_officer)
    income = do_record_asset_income(
        asset, actor=township_officer, year=2023, amount="48000", distribution="按股分红"
    )
    assert income.amount == Decimal("48000.00")
    with pytest.raises(DomainError) as error:
        do_record_asset_income(
            asset, actor=township_officer, year=2023, amount="1", distribution=""
        )
    assert error.value.code == "asset_income_duplicate"
    assert AssetIncome.objects.filter(asset=asset).count() == 1
    do_record_asset_income(asset, actor=township_officer, year=2024, amount="0", distribution="")
    assert AuditEvent.objects.filter(event="projects.asset_income_recorded").count() == 2


@pytest.mark.parametrize("year", [2022, 1999, "2023", True])
def test_income_year_must_be_valid(township_officer, luotian_project, year):
    asset = register(luotian_project, township_officer)  # registered 2023-01-10
    with pytest.raises(DomainError) as error:
        do_record_asset_income(
            asset, actor=township_officer, year=year, amount="1", distribution=""
        )
    assert error.value.code == "asset_income_year"


def test_assets_scoped_to_village(
    township_officer, luotian_cadre, makou_cadre, luotian, makou, no_membership_user
):
    luotian_asset = register(make_project(luotian, "P-L"), township_officer)
    makou_asset = register(make_project(makou, "P-M"), township_officer, name="大米加工厂房")
    assert set(selectors.visible_assets(luotian_cadre)) == {luotian_asset}
    assert set(selectors.visible_assets(makou_cadre)) == {makou_asset}
    assert set(selectors.visible_assets(township_officer)) == {luotian_asset, makou_asset}
    assert not selectors.visible_assets(no_membership_user).exists()
    assert selectors.access_asset(luotian_cadre, luotian_asset.public_id) == luotian_asset
    from zhenwu.core.errors import NotFound

    with pytest.raises(NotFound):
        selectors.access_asset(luotian_cadre, makou_asset.public_id)

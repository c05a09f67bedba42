"""特色产业 and 经营主体: creation rules, optimistic locking, scoping, audit rows."""

import pytest

from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.projects import selectors
from zhenwu.projects.actions.industry import (
    do_create_enterprise,
    do_create_industry,
    do_update_enterprise,
)
from zhenwu.projects.choices import EnterpriseKind
from zhenwu.projects.models import Enterprise


@pytest.fixture
def duck(township_officer, shadi):
    return do_create_industry(actor=township_officer, area=shadi, name="板鸭", description="")


def make_enterprise(actor, village, industry, name="螺田板鸭厂", **overrides):
    values = {
        "kind": EnterpriseKind.ENTERPRISE,
        "products": "板鸭、腊鸭",
        "jobs_for_lifted": 12,
        "linked_households": 40,
    }
    values.update(overrides)
    return do_create_enterprise(
        actor=actor, village=village, name=name, industry=industry, **values
    )


def test_create_industry_unique_per_area(township_officer, shadi, duck):
    assert AuditEvent.objects.filter(event="projects.industry_created").count() == 1
    with pytest.raises(DomainError) as error:
        do_create_industry(actor=township_officer, area=shadi, name=" 板鸭 ", description="")
    assert error.value.code == "industry_duplicate"


def test_industry_needs_edit_permission(luotian_cadre, luotian):
    with pytest.raises(DomainError) as error:
        do_create_industry(actor=luotian_cadre, area=luotian, name="油茶", description="")
    assert error.value.code == "permission_denied"


def test_create_enterprise(township_officer, luotian, duck):
    enterprise = make_enterprise(township_officer, luotian, duck)
    assert (enterprise.jobs_for_lifted, enterprise.linked_households) == (12, 40)
    row = AuditEvent.objects.get(event="projects.enterprise_created")
    assert row.data["industry"] == "板鸭"


def test_enterprise_refusals(township_officer, shadi, luotian, makou, duck):
    cases = [
        ({"village": shadi}, "enterprise_village_required"),
        ({"kind": "bank"}, "enterprise_kind_invalid"),
        ({"name": " "}, "enterprise_name_missing"),
        ({"jobs_for_lifted": -1}, "enterprise_count_invalid"),
        ({"linked_households": "many"}, "enterprise_count_invalid"),
    ]
    for overrides, code in cases:
        village = overrides.pop("village", luotian)
        name = overrides.pop("name", "某企业")
        with pytest.raises(DomainError) as error:
            make_enterprise(township_officer, village, duck, name=name, **overrides)
        assert error.value.code == code
    village_industry = do_create_industry(
        actor=township_officer, area=luotian, name="鱼丝", description=""
    )
    with pytest.raises(DomainError) as error:
        make_enterprise(township_officer, makou, village_industry)
    assert error.value.code == "enterprise_industry_outside_area"
    assert not Enterprise.objects.exists()


def test_update_enterprise_optimistic_lock(township_officer, district_officer, luotian, duck):
    enterprise = make_enterprise(township_officer, luotian, duck)
    updated = do_update_enterprise(
        enterprise, actor=township_officer, expected_version=1, changes={"jobs_for_lifted": 15}
    )
    assert (updated.version, updated.jobs_for_lifted) == (2, 15)
    row = AuditEvent.objects.get(event="projects.enterprise_updated")
    assert row.data["changes"] == {"jobs_for_lifted": [12, 15]}
    with pytest.raises(DomainError) as error:  # edited from the stale version 1
        do_update_enterprise(
            enterprise, actor=district_officer, expected_version=1, changes={"products": "x"}
        )
    assert error.value.code == "conflict"
    with pytest.raises(DomainError) as error:
        do_update_enterprise(
            updated, actor=township_officer, expected_version=2, changes={"village": None}
        )
    assert error.value.code == "enterprise_field_invalid"
    enterprise.refresh_from_db()
    assert enterprise.products == "板鸭、腊鸭"


def test_enterprises_scoped_to_village(
    township_officer, luotian_cadre, makou_cadre, luotian, makou, duck
):
    luotian_plant = make_enterprise(township_officer, luotian, duck)
    makou_plant = make_enterprise(township_officer, makou, None, name="马口富硒大米加工厂")
    assert set(selectors.visible_enterprises(luotian_cadre)) == {luotian_plant}
    assert set(selectors.visible_enterprises(makou_cadre)) == {makou_plant}
    assert set(selectors.visible_enterprises(township_officer)) == {luotian_plant, makou_plant}
    with pytest.raises(DomainError) as error:
        do_update_enterprise(
            luotian_plant, actor=luotian_cadre, expected_version=1, changes={"products": "x"}
        )
    assert error.value.code == "permission_denied"

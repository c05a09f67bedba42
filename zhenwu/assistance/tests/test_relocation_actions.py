"""Relocation sites, registration (also marks the registry household), follow-up visits and
the employment share of a site."""

import datetime
from decimal import Decimal

import pytest

from zhenwu.assistance.actions.relocation import (
    do_create_site,
    do_record_follow_up,
    do_register_relocation,
)
from zhenwu.assistance.selectors import site_overview
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.testing.personas import make_household

D = datetime.date


@pytest.fixture
def site(township_officer, shadi):
    return do_create_site(
        actor=township_officer, area=shadi, name="沙地镇圩镇安置点", kind="集中安置"
    )


MARCH = D(2023, 3, 1)


def visit(relocation, actor, labour, employed, on=MARCH, income="1500"):
    return do_record_follow_up(
        relocation,
        actor=actor,
        visited_on=on,
        labour_members=labour,
        employed_members=employed,
        monthly_income=income,
        notes="",
    )


@pytest.mark.django_db
def test_register_marks_the_household_and_audits(site, luotian_cadre, luotian_household):
    relocation = do_register_relocation(
        luotian_household, site, actor=luotian_cadre, moved_on=D(2019, 12, 1)
    )
    luotian_household.refresh_from_db()
    assert luotian_household.relocated and luotian_household.relocation_site == "沙地镇圩镇安置点"
    assert relocation.site == site
    assert AuditEvent.objects.filter(
        event="assistance.relocation_registered", user=luotian_cadre
    ).exists()
    assert AuditEvent.objects.filter(
        event="registry.household_updated", user=luotian_cadre
    ).exists()
    assert AuditEvent.objects.filter(event="assistance.site_created").count() == 1
    with pytest.raises(DomainError) as error:
        do_register_relocation(luotian_household, site, actor=luotian_cadre, moved_on=D(2020, 1, 1))
    assert error.value.code == "already_relocated"


@pytest.mark.django_db
def test_scoping(site, luotian_cadre, makou_cadre, makou, makou_household, luotian_household):
    with pytest.raises(DomainError) as error:
        do_register_relocation(makou_household, site, actor=luotian_cadre, moved_on=D(2019, 12, 1))
    assert error.value.code == "out_of_scope"
    makou_site = do_create_site(actor=makou_cadre, area=makou, name="马口村分散安置")
    with pytest.raises(DomainError) as error:
        do_register_relocation(
            luotian_household, makou_site, actor=luotian_cadre, moved_on=D(2019, 12, 1)
        )
    assert error.value.code == "out_of_scope"
    relocation = do_register_relocation(
        makou_household, site, actor=makou_cadre, moved_on=D(2019, 12, 1)
    )
    with pytest.raises(DomainError) as error:
        visit(relocation, luotian_cadre, 2, 1)
    assert error.value.code == "out_of_scope"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("labour", "employed", "income"), [(1, 2, "0"), (2, 1, "-1"), (-1, 0, "0"), (2, 1, "x")]
)
def test_invalid_visits(site, luotian_cadre, luotian_household, labour, employed, income):
    relocation = do_register_relocation(
        luotian_household, site, actor=luotian_cadre, moved_on=D(2019, 12, 1)
    )
    with pytest.raises(DomainError) as error:
        visit(relocation, luotian_cadre, labour, employed, income=income)
    assert error.value.code == "invalid_follow_up"


@pytest.mark.django_db
def test_employment_share_uses_each_latest_visit(
    site, township_officer, luotian_cadre, makou_cadre, luotian, luotian_household, makou_household
):
    first = do_register_relocation(
        luotian_household, site, actor=township_officer, moved_on=D(2019, 12, 1)
    )
    second = do_register_relocation(
        makou_household, site, actor=township_officer, moved_on=D(2019, 12, 1)
    )
    third_household = make_household(
        township_officer, luotian, "LT0009", [("孙七", D(1950, 1, 1), "head")], category="lifted"
    )
    third = do_register_relocation(
        third_household, site, actor=township_officer, moved_on=D(2020, 5, 1)
    )
    fourth_household = make_household(
        township_officer, luotian, "LT0010", [("周八", D(1980, 1, 1), "head")], category="lifted"
    )
    do_register_relocation(fourth_household, site, actor=township_officer, moved_on=D(2020, 5, 1))
    visit(first, luotian_cadre, 2, 0, on=D(2023, 1, 5))
    visit(first, luotian_cadre, 2, 1, on=D(2023, 6, 5), income="2600.5")  # latest: employed
    visit(second, makou_cadre, 2, 1, on=D(2023, 1, 5))
    visit(second, makou_cadre, 2, 0, on=D(2023, 6, 5))  # latest: nobody employed
    visit(third, luotian_cadre, 0, 0, on=D(2023, 6, 5))  # no labour: not in the share
    overview = site_overview(township_officer, site)
    assert (overview["households"], overview["unvisited"]) == (4, 1)
    assert (overview["with_labour"], overview["employed"], overview["percent"]) == (2, 1, 50)
    latest = dict((r.household.number, v) for r, v in overview["rows"])
    assert latest["LT0001"].monthly_income == Decimal("2600.50")
    # The village cadre sees only their own households of the site.
    own = site_overview(luotian_cadre, site)
    assert own["households"] == 3 and (own["with_labour"], own["employed"], own["percent"]) == (
        1,
        1,
        100,
    )
    assert AuditEvent.objects.filter(event="assistance.follow_up_recorded").count() == 5

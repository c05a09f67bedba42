"""Area scoping of registry reads (SECURITY.md 1): village A never sees village B."""

import pytest

from zhenwu.core.errors import NotFound
from zhenwu.registry.actions import do_update_household
from zhenwu.registry.selectors import access_household, search_households, visible_households


def numbers(qs):
    return sorted(h.number for h in qs)


def test_each_persona_sees_exactly_its_subtree(
    luotian_household,
    makou_household,
    district_officer,
    township_officer,
    luotian_cadre,
    makou_cadre,
    auditor,
    system_admin,
    department_clerk,
    no_membership_user,
):
    assert numbers(visible_households(district_officer)) == ["LT0001", "MK0001"]
    assert numbers(visible_households(township_officer)) == ["LT0001", "MK0001"]
    assert numbers(visible_households(luotian_cadre)) == ["LT0001"]
    assert numbers(visible_households(makou_cadre)) == ["MK0001"]
    for user in (auditor, system_admin, department_clerk, no_membership_user):
        assert numbers(visible_households(user)) == []


def test_out_of_scope_detail_is_the_same_404_as_missing(luotian_cadre, makou_household):
    with pytest.raises(NotFound):
        access_household(luotian_cadre, makou_household.public_id)
    with pytest.raises(NotFound):
        access_household(luotian_cadre, "00000000-0000-0000-0000-000000000000")
    with pytest.raises(NotFound):
        access_household(luotian_cadre, "not-a-uuid")


def test_household_moved_to_makou_disappears_for_luotian_cadre(
    luotian_household, township_officer, luotian_cadre, makou_cadre, makou
):
    assert numbers(visible_households(luotian_cadre)) == ["LT0001"]
    do_update_household(
        luotian_household,
        actor=township_officer,
        expected_version=luotian_household.version,
        changes={},
        village=makou,
    )
    assert numbers(visible_households(luotian_cadre)) == []
    assert "LT0001" in numbers(visible_households(makou_cadre))


@pytest.mark.parametrize("term", ["zsf", "zhangsanfeng", "张三", "ZSF", "ｚｓｆ"])
def test_search_finds_by_name_pinyin_and_initials(luotian_household, township_officer, term):
    assert numbers(search_households(township_officer, query=term)) == ["LT0001"]


def test_search_by_last_four_id_digits(luotian_household, township_officer):
    head = luotian_household.members.get(relation="head")
    assert numbers(search_households(township_officer, query=head.id_last4)) == ["LT0001"]


def test_search_never_crosses_scope(luotian_household, makou_household, luotian_cadre):
    assert numbers(search_households(luotian_cadre, query="ww")) == []
    assert numbers(search_households(luotian_cadre, query="王五")) == []

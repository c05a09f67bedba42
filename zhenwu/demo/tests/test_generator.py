"""The generated town, without the database: valid IDs, plausible families, determinism."""

import datetime
from collections import Counter

import pytest
from python_calamine import CalamineWorkbook

from zhenwu.demo.generator import (
    NEW_REGION,
    NEW_REGION_FROM,
    OLD_REGION,
    REFERENCE_DATE,
    generate_town,
    read_villages,
)
from zhenwu.demo.names import group_name
from zhenwu.demo.workbook import write_workbook
from zhenwu.lib.ids import parse_id_number
from zhenwu.registry.choices import (
    HouseholdCategory,
    LabourCapacity,
    LiftedSubtype,
    Relation,
    SchoolStatus,
)
from zhenwu.registry.columns import HOUSEHOLD_COLUMNS, INCOME_COLUMNS, MEMBER_COLUMNS

HOUSEHOLDS = 400


@pytest.fixture(scope="module")
def town():
    return generate_town(households=HOUSEHOLDS, seed=2023)


def people(town):
    return [m for h in town.households for m in h.members]


def test_the_same_seed_gives_the_same_town():
    first, second = generate_town(households=60, seed=5), generate_town(households=60, seed=5)
    assert first.households == second.households
    assert generate_town(households=60, seed=6).households != first.households


def test_every_id_number_is_valid_unique_and_matches_sex_and_birth(town):
    members = people(town)
    assert len({m.id_number for m in members}) == len(members)
    for member in members:
        facts = parse_id_number(member.id_number, today=REFERENCE_DATE)
        assert (facts.sex, facts.birth_date) == (member.sex, member.birth_date)
        expected_region = NEW_REGION if member.birth_date >= NEW_REGION_FROM else OLD_REGION
        assert facts.region_code == expected_region


def test_households_spread_over_all_22_villages_of_shadi(town):
    villages = read_villages()
    assert len(villages) == 22
    assert {v.name for v in villages} >= {"沙地圩居委会", "螺田村", "马口村", "坳上村", "洋村"}
    assert {h.village.name for h in town.households} == {v.name for v in villages}
    assert len(town.households) == HOUSEHOLDS
    assert len({h.number for h in town.households}) == HOUSEHOLDS


def test_size_mix_and_people_per_household_match_the_real_town(town):
    sizes = Counter(len(h.members) for h in town.households)
    assert set(sizes) <= set(range(1, 8))
    # 41,400 people in about 11,000 households: 3.76 per household.
    assert 3.5 <= town.people / len(town.households) <= 4.0
    for household in town.households:
        relations = [m.relation for m in household.members]
        assert relations.count(Relation.HEAD) == 1 and relations[0] == Relation.HEAD
        assert relations.count(Relation.SPOUSE) <= 1


def test_about_one_in_seven_households_is_lifted_out_of_poverty(town):
    lifted = [h for h in town.households if h.category == HouseholdCategory.LIFTED]
    assert len(lifted) == round(HOUSEHOLDS * 1500 / 11000)
    assert all(2014 <= h.lifted_year <= 2019 for h in lifted)
    subtypes = Counter(h.lifted_subtype for h in lifted)
    assert subtypes[LiftedSubtype.ORDINARY] > subtypes[LiftedSubtype.DIBAO]
    general = [h for h in town.households if h.category == HouseholdCategory.GENERAL]
    assert all(h.lifted_year is None and not h.lifted_subtype for h in general)
    assert len(general) + len(lifted) == HOUSEHOLDS  # no 监测户: the workflow makes those


def test_schooling_and_labour_follow_age(town):
    for member in people(town):
        age = member.age
        if age < 3:
            assert member.school_status == ""
        if 6 <= age <= 11:
            assert member.school_status == SchoolStatus.PRIMARY
        if age > 22:
            assert member.school_status == SchoolStatus.NOT_STUDENT
        if age < 16:
            assert member.labour_capacity == LabourCapacity.NONE and not member.works
        if member.works:
            assert 1 <= member.work_months <= 12


def test_incomes_are_mostly_between_8000_and_30000_per_head(town):
    per_head = [h.income.net_income / len(h.members) for h in town.households]
    inside = sum(8_000 <= value <= 30_000 for value in per_head)
    assert inside / len(per_head) > 0.8
    for household in town.households:
        income = household.income
        assert income.year == 2022
        assert min(income.wage_income, income.business_income, income.production_cost) >= 0
        assert income.net_income > 0


def test_support_flags_follow_the_lifted_subtype(town):
    for household in town.households:
        if household.lifted_subtype == LiftedSubtype.TEKUN:
            assert all(m.receives_tekun for m in household.members)
            assert len(household.members) <= 2
        if household.lifted_subtype == LiftedSubtype.DIBAO:
            assert all(m.receives_dibao for m in household.members)


def test_group_names_are_written_in_chinese_numerals():
    assert [group_name(n) for n in (1, 10, 11, 12, 20)] == [
        "第一组",
        "第十组",
        "第十一组",
        "第十二组",
        "第二十组",
    ]


def test_workbook_has_the_template_sheets_and_chinese_labels(town, tmp_path):
    path = write_workbook(town, tmp_path / "demo.xlsx")
    book = CalamineWorkbook.from_path(str(path))
    sheets = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    assert list(sheets) == ["户信息", "成员信息", "收入信息"]
    assert sheets["户信息"][0] == [c.header for c in HOUSEHOLD_COLUMNS]
    assert sheets["成员信息"][0] == [c.header for c in MEMBER_COLUMNS]
    assert sheets["收入信息"][0] == [c.header for c in INCOME_COLUMNS]
    assert len(sheets["户信息"]) == HOUSEHOLDS + 1
    assert len(sheets["成员信息"]) == town.people + 1
    first = town.households[0]
    member_row = dict(zip(sheets["成员信息"][0], sheets["成员信息"][1], strict=True))
    assert member_row["身份证号"] == first.members[0].id_number  # text, not a number
    assert member_row["与户主关系"] == "户主"
    household_row = dict(zip(sheets["户信息"][0], sheets["户信息"][1], strict=True))
    assert household_row["行政村"] == first.village.name
    assert household_row["户类型"] in {"一般户", "脱贫户"}


def test_birth_dates_never_fall_after_the_reference_date(town):
    assert max(m.birth_date for m in people(town)) < REFERENCE_DATE
    assert min(m.birth_date for m in people(town)) > datetime.date(1920, 1, 1)

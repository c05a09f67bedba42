"""Each data-quality check, table-driven, without the database: a record that fails it
and a record that passes it (both otherwise clean)."""

import datetime
from dataclasses import replace

import pytest

from zhenwu.lib.ids import build_id_number
from zhenwu.monitoring.rules.quality import (
    ALL_CHECKS,
    CHECKS,
    HouseholdFacts,
    MemberFacts,
    check_all,
    check_household,
)

D = datetime.date
TODAY = D(2023, 6, 30)
HEAD_ID = build_id_number("360721", D(1970, 1, 1), 11)  # odd sequence: male
CHILD_ID = build_id_number("360721", D(2012, 5, 5), 12)  # even: female


def member(**changes) -> MemberFacts:
    base = MemberFacts(
        name="张一",
        id_number=HEAD_ID,
        sex="1",
        birth_date=D(1970, 1, 1),
        relation="head",
        school_status="not_student",
        labour_capacity="ordinary",
        work_place="in_county",
        work_months=6,
        medical_insurance="resident",
    )
    return replace(base, **changes)


def child(**changes) -> MemberFacts:
    base = member(
        name="张二",
        id_number=CHILD_ID,
        sex="2",
        birth_date=D(2012, 5, 5),
        relation="daughter",
        school_status="primary",
        labour_capacity="",
        work_place="",
        work_months=0,
    )
    return replace(base, **changes)


def household(**changes) -> HouseholdFacts:
    base = HouseholdFacts(
        number="H1",
        category="monitored",
        monitoring_category="100A03002",
        monitoring_since=D(2023, 3, 1),
        risk_status="unresolved",
        risks=("illness",),
        income_years=(2022,),
        members=(member(), child()),
    )
    return replace(base, **changes)


def with_member(**changes) -> HouseholdFacts:
    return household(members=(member(**changes), child()))


def with_child(**changes) -> HouseholdFacts:
    return household(members=(member(), child(**changes)))


CASES = {
    # code: (failing household, passing household)
    "Q01": (
        with_member(id_number=HEAD_ID[:-1] + ("0" if HEAD_ID[-1] != "0" else "1")),
        household(),
    ),
    "Q02": (with_member(sex="2"), with_member(sex="1")),
    "Q03": (with_member(birth_date=D(1970, 1, 2)), household()),
    "Q04": (
        with_member(
            birth_date=D(1950, 1, 1), id_number=build_id_number("360721", D(1950, 1, 1), 11)
        ),
        with_member(
            birth_date=D(1950, 1, 1),
            labour_capacity="weak",
            id_number=build_id_number("360721", D(1950, 1, 1), 11),
        ),
    ),
    "Q05": (with_child(school_status="dropped_out"), with_child(school_status="junior")),
    "Q06": (with_member(school_status="junior"), with_member(school_status="higher")),
    "Q07": (with_child(medical_insurance="none"), with_child(medical_insurance="employee")),
    "Q08": (
        with_member(receives_dibao=True, receives_tekun=True),
        with_member(receives_dibao=True),
    ),
    "Q09": (with_member(work_months=0), with_member(work_months=12)),
    "Q10": (with_member(work_place=""), with_member(work_place="out_of_province")),
    "Q11": (with_member(labour_capacity="lost"), with_member(labour_capacity="weak")),
    "Q12": (with_member(labour_capacity=""), with_child(labour_capacity="")),
    "H01": (household(monitoring_category=""), household()),
    "H02": (household(monitoring_since=None), household()),
    "H03": (
        household(category="general"),
        household(category="general", monitoring_category="", monitoring_since=None, risks=()),
    ),
    "H04": (
        household(risk_status="eliminated", risk_eliminated_on=D(2023, 3, 20)),
        household(risk_status="eliminated", risk_eliminated_on=D(2023, 9, 20)),
    ),
    "H05": (
        household(
            risk_status="eliminated",
            monitoring_since=D(2023, 3, 1),
            risk_eliminated_on=D(2022, 12, 1),
        ),
        household(risk_status="eliminated", risk_eliminated_on=D(2023, 5, 1)),
    ),
    "H06": (
        household(risk_status="eliminated"),
        household(risk_status="eliminated", risk_eliminated_on=D(2023, 6, 1)),
    ),
    "H07": (household(risk_eliminated_on=D(2023, 6, 1)), household()),
    "H08": (
        household(risks=("a", "b", "c", "d", "e", "f")),
        household(risks=("a", "b", "c", "d", "e")),
    ),
    "H09": (household(risks=()), household(risks=("schooling",))),
    "H10": (household(members=(member(), child(relation="head"))), household()),
    "H11": (household(members=()), household()),
    "H12": (
        household(no_labour=True),
        household(
            no_labour=True,
            members=(member(labour_capacity="lost", work_months=0, work_place=""), child()),
        ),
    ),
    "H13": (
        household(
            members=(
                member(labour_capacity="none", work_months=0, work_place=""),
                child(labour_capacity="lost"),
            )
        ),
        household(
            no_labour=True,
            members=(
                member(labour_capacity="none", work_months=0, work_place=""),
                child(labour_capacity="lost"),
            ),
        ),
    ),
    "H14": (
        household(monitoring_category="100A03001"),
        household(monitoring_category="100A03001", lifted_year=2016),
    ),
    "H15": (household(lifted_year=2024), household(lifted_year=2019)),
    "H16": (household(income_years=(2020,)), household(income_years=(2023,))),
    "H17": (household(monitoring_since=D(2023, 7, 1)), household(monitoring_since=D(2023, 6, 1))),
}


def codes(h: HouseholdFacts) -> set[str]:
    return {failure.code for failure in check_household(h, TODAY)}


def test_the_clean_household_passes_everything():
    assert codes(household()) == set()


def test_every_check_has_a_case():
    assert {check.code for check in CHECKS} == set(CASES)
    assert len(ALL_CHECKS) >= 20
    assert len({check.code for check in ALL_CHECKS}) == len(ALL_CHECKS)
    for check in ALL_CHECKS:
        assert check.severity in ("error", "warning") and str(check.message)


@pytest.mark.parametrize("code", sorted(CASES))
def test_check_fails_and_passes(code):
    failing, passing = CASES[code]
    assert code in codes(failing)
    assert code not in codes(passing)


def test_failure_names_member_not_id_number():
    failure = next(f for f in check_household(with_member(sex="2"), TODAY) if f.code == "Q02")
    assert failure.member == "张一" and failure.household == "H1"
    assert HEAD_ID not in repr(failure)


def test_duplicate_head_across_households():
    first, second = household(number="H1"), household(number="H2")
    third = household(
        number="H3",
        members=(member(id_number=build_id_number("360721", D(1970, 1, 1), 13)), child()),
    )
    found = [f for f in check_all([first, second, third], TODAY) if f.code == "X01"]
    assert sorted(f.household for f in found) == ["H1", "H2"]

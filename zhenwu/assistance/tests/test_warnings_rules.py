"""帮扶预警 rules, table-driven, without the database: each warning alone, pass and fail."""

import datetime
from decimal import Decimal

import pytest

from zhenwu.assistance.rules import (
    WARNING_CODES,
    HouseholdFacts,
    MeasureFact,
    add_one_month,
    check,
)

D = datetime.date
ON = D(2023, 6, 30)


MARCH = D(2023, 3, 1)


def done(category, on=MARCH):
    return MeasureFact(category, "implemented", on)


def planned(category):
    return MeasureFact(category, "planned")


def cancelled(category):
    return MeasureFact(category, "cancelled")


CASES = [
    # (name, facts, expected codes)
    ("quiet household", HouseholdFacts(on=ON), []),
    ("labour, no measure", HouseholdFacts(on=ON, has_labour=True), ["no_development_measure"]),
    (
        "labour, industry done",
        HouseholdFacts(on=ON, has_labour=True, measures=(done("100A39"),)),
        [],
    ),
    (
        "labour, industry only planned",
        HouseholdFacts(on=ON, has_labour=True, measures=(planned("100A39"),)),
        ["no_development_measure"],
    ),
    (
        "labour, industry implemented after the day",
        HouseholdFacts(on=ON, has_labour=True, measures=(done("100A39", D(2023, 7, 1)),)),
        ["no_development_measure"],
    ),
    (
        "labour, housing done is not development",
        HouseholdFacts(on=ON, has_labour=True, measures=(done("100A50"),)),
        ["no_development_measure"],
    ),
    ("illness, no aid", HouseholdFacts(on=ON, risks=("illness",)), ["illness_without_health_aid"]),
    (
        "illness, health planned",
        HouseholdFacts(on=ON, risks=("illness",), measures=(planned("100A45"),)),
        [],
    ),
    (
        "illness, 综合保障",
        HouseholdFacts(on=ON, risks=("illness",), measures=(done("100A48"),)),
        [],
    ),
    (
        "illness, 社会帮扶",
        HouseholdFacts(on=ON, risks=("illness",), measures=(done("100A52"),)),
        [],
    ),
    (
        "illness, health cancelled",
        HouseholdFacts(on=ON, risks=("illness",), measures=(cancelled("100A45"),)),
        ["illness_without_health_aid"],
    ),
    (
        "illness, education is the wrong aid",
        HouseholdFacts(on=ON, risks=("illness",), measures=(done("100A46"),)),
        ["illness_without_health_aid"],
    ),
    (
        "schooling, no aid",
        HouseholdFacts(on=ON, risks=("schooling",)),
        ["schooling_without_education_aid"],
    ),
    (
        "schooling, 义务教育",
        HouseholdFacts(on=ON, risks=("schooling",), measures=(done("100A46"),)),
        [],
    ),
    (
        "schooling, 其他教育",
        HouseholdFacts(on=ON, risks=("schooling",), measures=(planned("100A47"),)),
        [],
    ),
    (
        "monitored a month ago, nothing",
        HouseholdFacts(on=ON, monitoring_since=D(2023, 5, 30)),
        ["no_measure_after_identification"],
    ),
    ("monitored less than a month", HouseholdFacts(on=ON, monitoring_since=D(2023, 6, 1)), []),
    (
        "monitored, one planned measure",
        HouseholdFacts(on=ON, monitoring_since=D(2023, 1, 1), measures=(planned("100A50"),)),
        [],
    ),
    (
        "labour, only 综合保障",
        HouseholdFacts(on=ON, has_labour=True, measures=(done("100A48"), done("100A41"))),
        [],
    ),
    (
        "labour, 综合保障 alone",
        HouseholdFacts(on=ON, has_labour=True, measures=(done("100A48"),)),
        ["no_development_measure", "only_social_security"],
    ),
    ("no labour, 综合保障 alone", HouseholdFacts(on=ON, measures=(done("100A48"),)), []),
    (
        "job but no wage",
        HouseholdFacts(on=ON, measures=(done("100A42"),), latest_wage_income=Decimal("0")),
        ["job_without_wage_income"],
    ),
    (
        "employment but no wage",
        HouseholdFacts(on=ON, measures=(done("100A40"),), latest_wage_income=Decimal("0.00")),
        ["job_without_wage_income"],
    ),
    (
        "job with wage",
        HouseholdFacts(on=ON, measures=(done("100A42"),), latest_wage_income=Decimal("6000")),
        [],
    ),
    ("job, no income record", HouseholdFacts(on=ON, measures=(done("100A42"),)), []),
    (
        "planned job, no wage",
        HouseholdFacts(on=ON, measures=(planned("100A42"),), latest_wage_income=Decimal("0")),
        [],
    ),
    (
        "general household is never warned",
        HouseholdFacts(on=ON, is_target=False, has_labour=True, risks=("illness",)),
        [],
    ),
]


@pytest.mark.parametrize(("name", "facts", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rules(name, facts, expected):
    assert [w.code for w in check(facts)] == expected


def test_every_code_is_covered_and_labelled():
    hit = {code for _n, _f, expected in CASES for code in expected}
    assert hit == set(WARNING_CODES)
    for _n, facts, _e in CASES:
        for warning in check(facts):
            assert warning.label


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2023, 1, 31), D(2023, 2, 28)),
        (D(2023, 12, 15), D(2024, 1, 15)),
        (D(2024, 1, 30), D(2024, 2, 29)),
    ],
)
def test_add_one_month(day, expected):
    assert add_one_month(day) == expected

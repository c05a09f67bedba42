import datetime

from zhenwu.monitoring.quality import run_quality_checks
from zhenwu.registry.models import Household, Person
from zhenwu.testing.personas import make_household

D = datetime.date


def test_run_over_scope_lists_failures_per_household(
    township_officer, luotian_cadre, shadi, luotian, makou, district_officer
):
    lt = make_household(district_officer, luotian, "Q-LT", [("甲", D(1970, 1, 1), "head")])
    mk = make_household(district_officer, makou, "Q-MK", [("乙", D(1970, 1, 1), "head")])
    Household.objects.filter(pk=lt.pk).update(category="monitored")  # no category, no date
    Person.objects.filter(household=mk).update(medical_insurance="none")
    report = run_quality_checks(township_officer, shadi, today=D(2023, 6, 30))
    found = {(f.household, f.code) for f in report.failures}
    assert {("Q-LT", "H01"), ("Q-LT", "H02"), ("Q-LT", "H09"), ("Q-MK", "Q07")} <= found
    assert report.households == 2 and report.error_households == 2
    counts = {row["code"]: row["count"] for row in report.counts()}
    assert counts["H01"] == 1 and counts["Q07"] == 1 and counts["Q01"] == 0

    # A 螺田村 cadre sees only 螺田村's households.
    cadre = run_quality_checks(luotian_cadre, shadi, today=D(2023, 6, 30))
    assert {f.household for f in cadre.failures} == {"Q-LT"}
    monitored = run_quality_checks(
        township_officer, shadi, monitored_only=True, today=D(2023, 6, 30)
    )
    assert {f.household for f in monitored.failures} == {"Q-LT"}


def test_stored_values_are_rechecked(township_officer, shadi, luotian, district_officer):
    first = make_household(district_officer, luotian, "Q-1", [("丙", D(1970, 1, 1), "head")])
    make_household(district_officer, luotian, "Q-2", [("丁", D(1971, 1, 1), "head")])
    person = first.members.get()
    Person.objects.filter(pk=person.pk).update(sex="2")
    report = run_quality_checks(township_officer, shadi, today=D(2023, 6, 30))
    assert ("Q-1", "Q02") in {(f.household, f.code) for f in report.failures}

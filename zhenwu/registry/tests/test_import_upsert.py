"""Upsert semantics: households by 户编号, members by ID number, incomes by (household,
year); re-importing the same data changes nothing (SECURITY.md 15)."""

from decimal import Decimal

import pytest

from zhenwu.core.models import AuditEvent
from zhenwu.registry.importer import import_households
from zhenwu.registry.models import Household, ImportBatch, IncomeRecord, Person
from zhenwu.registry.tests.import_workbooks import (
    family,
    household,
    income,
    isolated_home,  # noqa: F401
    member,
    write_workbook,
)

pytestmark = pytest.mark.usefixtures("isolated_home")


def run(data, area, actor, **kwargs):
    result = import_households(data, area=area, actor=actor, **kwargs)
    assert result.ok, result.errors
    return result


def counts(**changed):
    base = dict.fromkeys(
        [
            "households_created",
            "households_updated",
            "persons_created",
            "persons_updated",
            "incomes_written",
            "unchanged",
        ],
        0,
    )
    base.update(changed)
    return base


@pytest.fixture
def two_families():
    h1, m1 = family("LT7001", 3, 户类型="脱贫户", 脱贫年度=2016)
    h2, m2 = family("LT7002", 2)
    return [h1, h2], m1 + m2, [income("LT7001"), income("LT7002", 工资性收入=12000)]


def snapshot():
    return {
        "households": sorted(Household.objects.values_list("number", "version", "updated_at")),
        "persons": sorted(Person.objects.values_list("id_hash", "version", "updated_at")),
        "incomes": sorted(IncomeRecord.objects.values_list("household_id", "year", "version")),
    }


def test_reimporting_the_same_file_changes_nothing(shadi, township_officer, two_families):
    data = write_workbook(None, *two_families)
    first = run(data, shadi, township_officer)
    assert first.counts == counts(households_created=2, persons_created=5, incomes_written=2)
    before = snapshot()
    again = run(data, shadi, township_officer)
    assert again.same_file_as == str(first.batch.public_id)
    assert again.counts == counts(unchanged=9)
    assert snapshot() == before
    events = AuditEvent.objects.filter(event="registry.import", outcome="success")
    assert events.count() == 2
    assert events.latest("id").data["same_file_as"] == str(first.batch.public_id)


def test_the_same_data_in_another_file_is_all_unchanged(shadi, township_officer, two_families):
    households, members, incomes = two_families
    run(write_workbook(None, households, members, incomes), shadi, township_officer)
    before = snapshot()
    reordered = write_workbook(None, households[::-1], members[::-1], incomes[::-1])
    again = run(reordered, shadi, township_officer)
    assert again.same_file_as is None
    assert again.counts == counts(unchanged=9)
    assert snapshot() == before


def test_changed_rows_are_updated_and_versions_bumped(shadi, township_officer, two_families):
    households, members, incomes = two_families
    run(write_workbook(None, households, members, incomes), shadi, township_officer)
    household_before = Household.objects.get(number="LT7002")
    head = Person.objects.get(id_last4=members[0]["身份证号"][-4:])
    households[1]["户类型"] = "监测户"
    households[1]["监测对象类别"] = "突发严重困难户"
    members[0]["姓名"] = "张改名"
    members[0]["健康状况"] = "患有大病"
    result = run(write_workbook(None, households, members, incomes), shadi, township_officer)
    assert result.counts == counts(households_updated=1, persons_updated=1, unchanged=7)
    changed = Household.objects.get(number="LT7002")
    assert changed.category == "monitored" and changed.monitoring_category == "100A03003"
    assert changed.version == household_before.version + 1
    assert changed.updated_by == township_officer
    head.refresh_from_db()
    assert (head.name, head.name_pinyin, head.name_initials) == ("张改名", "zhanggaiming", "zgm")
    assert head.health == "serious" and head.version == 2
    event = AuditEvent.objects.filter(event="registry.import").latest("id")
    fields = {tuple(change["fields"]) for change in event.data["changes"]}
    assert ("category", "monitoring_category") in fields
    assert ("health", "name", "name_initials", "name_pinyin") in fields
    assert "患有大病" not in str(event.data) and "serious" not in str(event.data)


def test_columns_missing_from_the_file_are_left_alone(shadi, township_officer, luotian_household):
    Household.objects.filter(pk=luotian_household.pk).update(note="保留的备注")
    head = luotian_household.members.get(relation="head")
    data = write_workbook(
        None,
        [household("LT0001", 户类型="脱贫户")],
        [member("LT0001", head.name, head.id_number, "户主")],
        household_headers=["户编号", "行政村", "户类型"],
        member_headers=["户编号", "姓名", "身份证号", "与户主关系"],
    )
    result = run(data, shadi, township_officer)
    assert result.counts == counts(unchanged=2)
    luotian_household.refresh_from_db()
    assert luotian_household.note == "保留的备注" and luotian_household.lifted_year == 2016
    head.refresh_from_db()
    assert head.health == "healthy"  # no 健康状况 column: untouched


def test_members_not_in_the_file_stay_and_count_for_the_head_check(
    shadi, township_officer, luotian_household
):
    short = ["户编号", "行政村", "户类型"]
    data = write_workbook(
        None,
        [household("LT0001", 户类型="脱贫户")],
        [member("LT0001", "张小红", None, "之女")],
        household_headers=short,
    )
    result = run(data, shadi, township_officer)
    assert result.counts == counts(persons_created=1, unchanged=1)
    assert luotian_household.members.count() == 4
    second_head = write_workbook(
        None,
        [household("LT0001", 户类型="脱贫户")],
        [member("LT0001", "张新", None, "户主")],
        household_headers=short,
    )
    failed = import_households(second_head, area=shadi, actor=township_officer)
    assert not failed.ok and "2 名户主" in failed.errors[0].message


def test_a_member_moves_between_households_of_the_file(shadi, township_officer, two_families):
    households, members, incomes = two_families
    run(write_workbook(None, households, members, incomes), shadi, township_officer)
    mover = members[2]  # 之子 of LT7001
    mover["户编号"] = "LT7002"
    mover["与户主关系"] = "其他"
    result = run(write_workbook(None, households, members, incomes), shadi, township_officer)
    assert result.counts["persons_updated"] == 1
    assert Person.objects.get(id_last4=mover["身份证号"][-4:]).household.number == "LT7002"
    # incomes follow the new member counts: 2 active members in LT7001, 3 in LT7002
    assert result.counts["incomes_written"] == 2
    assert IncomeRecord.objects.get(household__number="LT7002").member_count == 3


def test_incomes_are_computed_and_upserted_by_household_and_year(shadi, township_officer):
    h, members = family("LT7101", 4)
    incomes = [
        income(
            "LT7101",
            2022,
            工资性收入="36000",
            生产经营性收入=8000,
            财产性收入=500,
            转移性收入=3200,
            生产经营性支出=2500,
        )
    ]
    run(write_workbook(None, [h], members, incomes), shadi, township_officer)
    record = IncomeRecord.objects.get(household__number="LT7101", year=2022)
    assert record.member_count == 4
    assert record.net_income == Decimal("45200.00")
    assert record.per_capita_net_income == Decimal("11300.00")
    incomes[0]["工资性收入"] = 40000
    incomes.append(income("LT7101", 2023, 工资性收入=1000, 转移性收入=0))
    result = run(write_workbook(None, [h], members, incomes), shadi, township_officer)
    assert result.counts == counts(incomes_written=2, unchanged=5)
    record.refresh_from_db()
    assert record.net_income == Decimal("49200.00") and record.version == 2
    assert IncomeRecord.objects.get(household__number="LT7101", year=2023).net_income == 1000


def test_dry_run_validates_and_counts_but_writes_nothing(shadi, township_officer, two_families):
    data = write_workbook(None, *two_families)
    result = run(data, shadi, township_officer, dry_run=True)
    assert result.dry_run
    assert result.counts == counts(households_created=2, persons_created=5, incomes_written=2)
    assert not Household.objects.filter(number__startswith="LT70").exists()
    batch = ImportBatch.objects.get(pk=result.batch.pk)
    assert batch.dry_run and batch.status == "succeeded"
    assert AuditEvent.objects.filter(event="registry.import").latest("id").data["dry_run"]
    real = run(data, shadi, township_officer)  # a dry run is no reason to skip the real one
    assert real.same_file_as is None and real.counts["households_created"] == 2


def test_household_moves_between_villages_inside_the_area(
    shadi, township_officer, luotian_household, makou
):
    head = luotian_household.members.get(relation="head")
    data = write_workbook(
        None,
        [household("LT0001", "马口村", 户类型="脱贫户", 脱贫年度=2016, 脱贫户属性="一般脱贫户")],
        [member("LT0001", head.name, head.id_number, "户主")],
        household_headers=["户编号", "行政村", "户类型", "脱贫年度", "脱贫户属性"],
        member_headers=["户编号", "姓名", "身份证号", "与户主关系"],
    )
    result = run(data, shadi, township_officer)
    assert result.counts == counts(households_updated=1, unchanged=1)
    luotian_household.refresh_from_db()
    assert luotian_household.village == makou

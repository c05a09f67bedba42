"""The Foundation issue's "done when": a 10,000-row file imports; the same file with one bad
ID imports nothing and the report names that row."""

import pytest
from python_calamine import CalamineWorkbook

from zhenwu.registry.importer import import_households
from zhenwu.registry.models import Household, Person
from zhenwu.registry.tests.import_workbooks import big_workbook, isolated_home  # noqa: F401

pytestmark = pytest.mark.usefixtures("isolated_home")

HOUSEHOLDS = 2_500  # x 4 members = 10,000 member rows


def test_a_ten_thousand_member_file_imports(shadi, township_officer):
    progress = []
    result = import_households(
        big_workbook(HOUSEHOLDS),
        area=shadi,
        actor=township_officer,
        progress=lambda done, total: progress.append((done, total)),
    )
    assert result.ok, result.errors[:5]
    assert result.counts["households_created"] == HOUSEHOLDS
    assert result.counts["persons_created"] == 4 * HOUSEHOLDS
    assert Person.objects.filter(household__number__startswith="BIG").count() == 4 * HOUSEHOLDS
    assert result.total_rows == 5 * HOUSEHOLDS
    assert progress[-1] == (result.total_rows, result.total_rows)
    assert len(progress) > 5 and all(
        a[0] <= b[0] for a, b in zip(progress, progress[1:], strict=False)
    )


def test_the_same_file_with_one_bad_id_imports_nothing(shadi, township_officer):
    bad_index = 7_321
    result = import_households(
        big_workbook(HOUSEHOLDS, bad_member=bad_index), area=shadi, actor=township_officer
    )
    assert not result.ok
    assert [(i.sheet, i.row, i.column) for i in result.errors] == [
        ("成员信息", bad_index + 2, "身份证号")
    ]
    assert not Household.objects.filter(number__startswith="BIG").exists()
    rows = (
        CalamineWorkbook.from_path(str(result.error_report_path))
        .get_sheet_by_name("错误清单")
        .to_python()
    )
    assert rows[1][:3] == ["成员信息", bad_index + 2, "身份证号"]

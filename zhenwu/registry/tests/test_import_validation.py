"""Every import problem of the Foundation issue fails clearly, names sheet, row and column,
and writes nothing (SECURITY.md 13, 15)."""

import datetime

import pytest
from python_calamine import CalamineWorkbook

from zhenwu.accounts.models import Membership
from zhenwu.accounts.roles import Role
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.registry.importer import import_households
from zhenwu.registry.models import Household, ImportBatch, Person
from zhenwu.registry.tests.import_workbooks import (
    MEMBER_HEADERS,
    family,
    household,
    income,
    isolated_home,  # noqa: F401
    member,
    new_id,
    write_workbook,
)

pytestmark = pytest.mark.usefixtures("isolated_home")


def run(data, area, actor, **kwargs):
    return import_households(data, area=area, actor=actor, **kwargs)


def issues(result):
    return [(i.sheet, i.row, i.column) for i in result.errors]


def only_issue(result):
    assert not result.ok
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def nothing_written(before_households=0):
    assert Household.objects.count() == before_households
    assert not Person.objects.filter(name__startswith="测试").exists()


def test_messy_but_readable_input_imports(shadi, luotian, township_officer):
    lower_x = next(
        n for n in (new_id(datetime.date(1975, 6, 1)) for _ in range(300)) if n.endswith("X")
    )
    spaced = new_id(datetime.date(1978, 2, 3))
    full_width = new_id(datetime.date(2005, 9, 9))
    households = [
        household(
            "LT 2001",
            "螺田",
            户类型="脱贫户",
            脱贫年度="2016",
            风险类型="因病，缺劳动力",
            联系电话=13807970001,
            整户无劳动力="否",
            识别监测时间="2023年3月5日",
        ),
        household("LT2002", luotian.code, 户类型="lifted", 识别监测时间="2023/3/5"),
        household(
            "LT2003", "螺田村", 识别监测时间=44990, 监测对象类别="边缘易致贫户", 户类型="监测户"
        ),
    ]
    members = [
        member("LT2001", "张  三", lower_x.lower(), "户主", 大病保险="是", 务工区域="省外"),
        member("LT2001", "李四", spaced[:6] + " " + spaced[6:14] + " " + spaced[14:], "妻"),
        member(
            "LT2002",
            "王五",
            "".join(chr(ord(c) + 0xFEE0) for c in full_width),
            "户主",
            健康状况="healthy",
        ),
        member("LT2003", "赵六", None, "户主"),
    ]
    data = write_workbook(None, households, members, title_row="沙地镇农户信息表")
    result = run(data, shadi, township_officer)
    assert result.ok, result.errors
    assert result.counts["households_created"] == 3 and result.counts["persons_created"] == 4
    first = Household.objects.get(number="LT2001")
    assert first.village == luotian and first.lifted_year == 2016
    assert first.risks == ["illness", "lack_of_labour"] and first.phone == "13807970001"
    assert {h.monitoring_since for h in Household.objects.filter(number__startswith="LT200")} == {
        datetime.date(2023, 3, 5)
    }
    assert (
        Person.objects.get(name="张三").id_hash == Person.objects.get(id_last4=lower_x[-4:]).id_hash
    )
    assert Person.objects.get(name="李四").id_last4 == spaced[-4:]
    assert Person.objects.get(name="王五").health == "healthy"


def test_duplicate_id_within_the_file(shadi, township_officer):
    shared = new_id()
    data = write_workbook(
        None,
        [household("LT3001"), household("LT3002")],
        [member("LT3001", "甲", shared), member("LT3002", "乙", shared)],
    )
    issue = only_issue(run(data, shadi, township_officer))
    assert (issue.sheet, issue.row, issue.column) == ("成员信息", 3, "身份证号")
    assert "第 2 行" in issue.message
    assert shared not in issue.value and issue.value.endswith(shared[-4:])
    nothing_written()


def test_id_registered_to_a_household_outside_the_file(shadi, township_officer, luotian_household):
    taken = luotian_household.members.get(relation="head").id_number
    data = write_workbook(None, [household("LT3101")], [member("LT3101", "甲", taken)])
    issue = only_issue(run(data, shadi, township_officer))
    assert (issue.sheet, issue.row, issue.column) == ("成员信息", 2, "身份证号")
    assert "其他农户" in issue.message
    assert Household.objects.filter(number="LT3101").count() == 0


def test_member_of_a_household_missing_from_the_household_sheet(shadi, township_officer):
    h, members = family("LT3201", 2)
    data = write_workbook(None, [h], [*members, member("LT9999", "丙")])
    issue = only_issue(run(data, shadi, township_officer))
    assert (issue.sheet, issue.row, issue.column) == ("成员信息", 4, "户编号")
    assert "户信息" in issue.message
    nothing_written()


@pytest.mark.parametrize(
    ("relations", "heads"),
    [(["配偶", "之子"], 0), (["户主", "户主"], 2), ([("户主", "死亡"), "配偶"], 0)],
)
def test_household_needs_exactly_one_active_head(shadi, township_officer, relations, heads):
    members = []
    for relation in relations:
        relation, status = relation if isinstance(relation, tuple) else (relation, "正常")
        members.append(member("LT3301", "成员", None, relation, 成员状态=status))
    data = write_workbook(None, [household("LT3301")], members)
    issue = only_issue(run(data, shadi, township_officer))
    assert (issue.sheet, issue.row, issue.column) == ("户信息", 2, "户编号")
    assert f"有 {heads} 名户主" in issue.message
    nothing_written()


def test_missing_required_column_is_one_error(shadi, township_officer):
    h, members = family("LT3401", 3)
    headers = [header for header in MEMBER_HEADERS if header != "身份证号"]
    data = write_workbook(None, [h], members, member_headers=headers)
    issue = only_issue(run(data, shadi, township_officer))
    assert (issue.sheet, issue.row, issue.column) == ("成员信息", 1, "身份证号")
    assert "缺少必填列" in issue.message
    nothing_written()


def test_missing_required_sheet(shadi, township_officer):
    h, _members = family("LT3501")
    data = write_workbook(None, [h], [], sheets=("户信息",))
    issue = only_issue(run(data, shadi, township_officer))
    assert (issue.sheet, issue.row) == ("成员信息", None)
    assert "缺少工作表" in issue.message
    nothing_written()


def test_unknown_choice_lists_allowed_values(shadi, township_officer):
    h, members = family("LT3601", 2)
    members[1]["与户主关系"] = "表哥"
    issue = only_issue(run(write_workbook(None, [h], members), shadi, township_officer))
    assert (issue.sheet, issue.row, issue.column) == ("成员信息", 3, "与户主关系")
    assert "表哥" in issue.message and "配偶" in issue.message and "之孙女" in issue.message


def test_village_outside_the_import_area(luotian, township_officer):
    h, members = family("MK3701", 2, village="马口村")
    issue = only_issue(run(write_workbook(None, [h], members), luotian, township_officer))
    assert (issue.sheet, issue.row, issue.column) == ("户信息", 2, "行政村")
    assert "马口村" in issue.message and "螺田村" in issue.message
    nothing_written()


def test_existing_household_number_outside_the_area_cannot_be_taken_over(
    luotian, township_officer, makou_household
):
    h, members = family("MK0001", 1, village="螺田村")
    issue = only_issue(run(write_workbook(None, [h], members), luotian, township_officer))
    assert (issue.sheet, issue.row, issue.column) == ("户信息", 2, "户编号")
    makou_household.refresh_from_db()
    assert makou_household.village.name == "马口村"


def test_monitored_household_needs_a_monitoring_category(shadi, township_officer):
    h, members = family("LT3801", 1, 户类型="监测户")
    issue = only_issue(run(write_workbook(None, [h], members), shadi, township_officer))
    assert (issue.sheet, issue.column) == ("户信息", "监测对象类别")


def test_income_rows_must_match_households_and_not_repeat(shadi, township_officer):
    h, members = family("LT3901", 2)
    incomes = [income("LT3901"), income("LT3901"), income("LT0000")]
    result = run(write_workbook(None, [h], members, incomes), shadi, township_officer)
    assert sorted(issues(result)) == [("收入信息", 3, "年度"), ("收入信息", 4, "户编号")]


def test_duplicate_household_number(shadi, township_officer):
    h, members = family("LT4001", 1)
    result = run(write_workbook(None, [h, dict(h)], members), shadi, township_officer)
    assert issues(result) == [("户信息", 3, "户编号")]


def test_all_problems_are_collected_not_only_the_first(shadi, township_officer):
    h1, m1 = family("LT4101", 2)
    h2, m2 = family("LT4102", 2)
    m1[0]["身份证号"] = "123"
    m2[1]["与户主关系"] = "朋友"
    h2["户类型"] = "富裕户"
    result = run(write_workbook(None, [h1, h2], m1 + m2), shadi, township_officer)
    assert sorted(issues(result)) == [
        ("成员信息", 2, "身份证号"),
        ("成员信息", 5, "与户主关系"),
        ("户信息", 3, "户类型"),
    ]
    assert result.error_count == 3


def test_one_bad_id_among_many_valid_rows_writes_nothing_and_the_report_names_it(
    shadi, township_officer
):
    households, members = [], []
    for index in range(300):
        h, m = family(f"LT5{index:03d}", 3)
        households.append(h)
        members += m
    bad_row = 2 + 457  # Excel row of members[457]
    members[457]["身份证号"] = members[457]["身份证号"][:-1] + (
        "0" if members[457]["身份证号"][-1] != "0" else "1"
    )
    result = run(write_workbook(None, households, members), shadi, township_officer)
    assert not result.ok
    assert issues(result) == [("成员信息", bad_row, "身份证号")]
    assert Household.objects.filter(number__startswith="LT5").count() == 0
    assert Person.objects.filter(name__startswith="测试").count() == 0
    report = CalamineWorkbook.from_path(str(result.error_report_path))
    rows = report.get_sheet_by_name("错误清单").to_python()
    assert rows[0] == ["工作表", "行号", "列", "单元格内容", "问题说明"]
    assert rows[1][:3] == ["成员信息", bad_row, "身份证号"]
    assert "校验位" in rows[1][4]
    assert "*" in rows[1][3]  # the ID number is masked in the report
    assert result.error_report_path.parent == shadi_reports(result)


def shadi_reports(result):
    from django.conf import settings

    return settings.ZHENWU_HOME / "reports"


def test_failed_import_is_audited_and_the_batch_failed(shadi, township_officer):
    h, members = family("LT6001", 1)
    members[0]["身份证号"] = "bad"
    result = run(write_workbook(None, [h], members), shadi, township_officer, filename="a.xlsx")
    event = AuditEvent.objects.filter(event="registry.import").latest("id")
    assert event.outcome == "failure"
    assert event.data["error_count"] == 1 and event.data["file_hash"] == result.file_hash
    assert event.data["filename"] == "a.xlsx" and event.data["area"] == shadi.code
    assert event.user == township_officer
    batch = ImportBatch.objects.get(pk=result.batch.pk)
    assert batch.status == "failed" and batch.error_count == 1
    assert batch.error_report_path == str(result.error_report_path)


def test_successful_import_is_audited_with_hash_and_counts(shadi, township_officer):
    h, members = family("LT6101", 2)
    result = run(write_workbook(None, [h], members), shadi, township_officer)
    event = AuditEvent.objects.filter(event="registry.import").latest("id")
    assert event.outcome == "success" and event.data["file_hash"] == result.file_hash
    assert event.data["counts"]["persons_created"] == 2 and event.data["dry_run"] is False
    assert event.object_id == str(result.batch.public_id)


def test_cadres_may_not_import_and_the_refusal_is_audited(luotian, luotian_cadre):
    h, members = family("LT6201", 1)
    with pytest.raises(DomainError) as caught:
        run(write_workbook(None, [h], members), luotian, luotian_cadre)
    assert caught.value.code == "permission_denied"
    assert AuditEvent.objects.filter(event="registry.import", outcome="denied").exists()
    assert not ImportBatch.objects.exists()


def test_importing_outside_ones_own_area_is_refused(luotian, makou, township_officer):
    officer = township_officer.__class__.objects.create(username="makou-officer")
    Membership.objects.create(user=officer, area=makou, role=Role.TOWNSHIP_OFFICER)
    h, members = family("LT6301", 1)
    with pytest.raises(DomainError) as caught:
        run(write_workbook(None, [h], members), luotian, officer)
    assert caught.value.code == "out_of_scope"


def test_console_import_needs_no_user_but_is_audited(shadi):
    h, members = family("LT6401", 1)
    result = run(write_workbook(None, [h], members), shadi, None)
    assert result.ok
    event = AuditEvent.objects.filter(event="registry.import").latest("id")
    assert event.user is None and event.username.startswith("console")

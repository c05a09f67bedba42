"""`zhenwu import households` and `zhenwu export households`: exit codes and output."""

import pytest
from python_calamine import CalamineWorkbook

from zhenwu.cli import main
from zhenwu.core.models import AuditEvent
from zhenwu.registry.models import Household
from zhenwu.registry.tests.import_workbooks import (
    family,
    isolated_home,  # noqa: F401
    write_workbook,
)

pytestmark = pytest.mark.usefixtures("isolated_home", "world")


def workbook(tmp_path, broken=False):
    h, members = family("LT9501", 2)
    if broken:
        members[1]["身份证号"] = "abc"
    path = tmp_path / "ledger.xlsx"
    write_workbook(path, [h], members)
    return path


@pytest.fixture(autouse=True)
def keep_test_connection_open(monkeypatch):
    """A command run from argv closes all connections when it ends; on PostgreSQL that
    would end the test's transaction. The command's own behaviour is unchanged."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


def run(argv) -> int:
    try:
        main(argv)
    except SystemExit as exit_:
        return exit_.code
    return 0


def test_import_prints_counts_and_exits_zero(tmp_path, capsys):
    code = run(["import", "households", str(workbook(tmp_path)), "--area", "沙地镇"])
    out = capsys.readouterr().out
    assert code == 0
    assert "导入成功" in out and "新增成员: 2" in out
    assert Household.objects.filter(number="LT9501").exists()
    event = AuditEvent.objects.filter(event="registry.import").latest("id")
    assert event.channel == "cli" and event.username.startswith("console")


def test_dry_run_writes_nothing(tmp_path, capsys):
    code = run(
        ["import", "households", str(workbook(tmp_path)), "--area", "360704101", "--dry-run"]
    )
    assert code == 0 and "仅校验" in capsys.readouterr().out
    assert not Household.objects.filter(number="LT9501").exists()


def test_errors_exit_non_zero_and_print_the_report_path(tmp_path, capsys):
    code = run(["import", "households", str(workbook(tmp_path, broken=True)), "--area", "沙地镇"])
    err = capsys.readouterr().err
    assert code == 1
    assert "成员信息，第 3 行，身份证号" in err
    report = err.split("错误报告：")[1].strip().splitlines()[0]
    rows = CalamineWorkbook.from_path(report).get_sheet_by_name("错误清单").to_python()
    assert rows[1][:3] == ["成员信息", 3, "身份证号"]
    assert not Household.objects.filter(number="LT9501").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["import", "households", "missing.xlsx", "--area", "沙地镇"],
        ["import", "households", "{file}", "--area", "火星镇"],
        ["import", "people", "{file}", "--area", "沙地镇"],
    ],
)
def test_bad_arguments_exit_non_zero(tmp_path, argv):
    path = str(workbook(tmp_path))
    assert run([part.replace("{file}", path) for part in argv]) not in (0, None)


def test_export_command(tmp_path, capsys, luotian_household, makou_household):
    out = tmp_path / "out.xlsx"
    assert run(["export", "households", "--area", "螺田村", "-o", str(out)]) == 0
    assert "1 户、3 人" in capsys.readouterr().out
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("户信息").to_python()
    assert [row[0] for row in rows[1:]] == ["LT0001"]
    assert AuditEvent.objects.filter(event="registry.export").latest("id").channel == "cli"
    assert run(["export", "households", "--area", "螺田村", "-o", str(out), "--unmasked"]) == 1

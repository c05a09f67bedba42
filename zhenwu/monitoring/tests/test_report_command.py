import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhenwu.monitoring.tests.test_analysis_data import build_june


@pytest.fixture
def june(world):
    return build_june(world)


def _run(*args) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_half_year_report(june):
    text = _run("monitoring", "--area", "沙地镇", "--period", "2023H1")
    lines = text.splitlines()
    assert lines[0] == "沙地镇2023年上半年防返贫动态监测数据"
    assert lines[1] == "统计期：2023-01-01 至 2023-06-30"
    figures = {line.split()[0]: line.split()[-1] for line in lines if line.startswith("  ")}
    assert figures["新增风险线索（条）"] == "4"
    assert figures["新识别纳入监测对象（户）"] == "1"
    assert figures["新识别纳入监测对象（人）"] == "3"
    assert figures["螺田村"] == "2/3（66.7%）"
    assert "甲一" not in text  # aggregates only


def test_month_report_by_code(june):
    text = _run("monitoring", "--area", "360704101", "--period", "2023-06")
    assert text.startswith("沙地镇2023年6月防返贫动态监测数据")
    assert "超期未办结识别程序（件，期末）" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["--area", "不存在镇", "--period", "2023H1"], "找不到区域"),
        (["--area", "沙地镇", "--period", "2023H3"], "格式不正确"),
        (["--area", "螺田村", "--period", "2023H1"], "不是乡镇"),
    ],
)
def test_bad_arguments(world, args, message):
    with pytest.raises(CommandError, match=message):
        _run("monitoring", *args)


def test_registry_lists_monitoring():
    from zhenwu.monitoring.management.commands.report import REPORTS, Command

    Command().create_parser("zhenwu", "report")
    assert "monitoring" in REPORTS

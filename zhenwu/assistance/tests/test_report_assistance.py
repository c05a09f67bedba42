"""zhenwu report assistance: the figures as Chinese text."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from zhenwu.assistance.reports import figures_text, wan
from zhenwu.assistance.stats import FIGURES, assistance_figures
from zhenwu.assistance.tests.stats_data import build_ledger
from zhenwu.lib.periods import parse_period


@pytest.fixture
def ledger(luotian_household, makou_household, shadi, luotian):
    return build_ledger(luotian_household, makou_household, shadi, luotian)


def _run(*args) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_half_year_report(ledger):
    text = _run("assistance", "--area", "沙地镇", "--period", "2023H1")
    lines = text.splitlines()
    assert lines[0] == "沙地镇2023年上半年帮扶数据"
    assert lines[1] == "统计期：2023-01-01 至 2023-06-30"
    assert (
        "  产业振兴信贷通：发放贷款 2 人，金额 8.50 万元；期末未结清 4 笔，余额 9.10 万元，"
        "其中逾期 1 笔" in lines
    )
    assert "  公益性岗位：在岗 3 人，补贴标准 500、600 元/月，发放补贴 0.16 万元" in lines
    assert "  交通补贴：补贴 2 人，金额 0.08 万元" in lines
    assert "  帮扶措施：计划 2 项，已实施 1 项" in lines
    assert "  螺田村：2/85,000.00，2/1,000.00，1/300.00" in lines
    assert "  100A39 产业帮扶：1/1" in lines
    assert "张三丰" not in text  # aggregates only


def test_empty_report_says_no_data(world):
    text = _run("assistance", "--area", "360704101", "--period", "2023Q2")
    assert text.startswith("沙地镇2023年第二季度帮扶数据")
    assert "发放贷款 0 人，金额 0.00 万元" in text
    assert "（无数据）" in text


def test_demo_wording():
    figures = {
        "area": {"name": "沙地镇"},
        "period": {"label": "2023年上半年", "start": "2023-01-01", "end": "2023-06-30"},
        "columns": [],
        "villages": [],
        "measures_by_category": [],
    }
    text_parts = [wan(Decimal("5120000")), wan(Decimal("215900")), wan(Decimal("864000"))]
    assert text_parts == ["512.00", "21.59", "86.40"]
    assert wan(Decimal("12345")) == "1.23" and wan(Decimal("12350")) == "1.24"  # half-up
    assert "（无）" in figures_text({**figures, "figures": _blank(), "job_rates": []})


def _blank() -> dict:
    return {
        key: {"value": Decimal("0.00") if kind == "money" else 0, "has_data": False}
        for key, (_label, kind) in FIGURES.items()
    }


def test_bad_period_is_refused(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        _run("assistance", "--area", "沙地镇", "--period", "2023H3")


def test_figures_text_matches_command(ledger, shadi):
    text = figures_text(assistance_figures(shadi, parse_period("2023H1")))
    assert text == _run("assistance", "--area", "沙地镇", "--period", "2023H1")

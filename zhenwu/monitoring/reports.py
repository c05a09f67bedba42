"""Text reports of the monitoring work for ``zhenwu report monitoring``."""

from django.utils import translation

from zhenwu.areas.models import Area, AreaLevel
from zhenwu.lib.periods import Period
from zhenwu.monitoring.figures import period_figures
from zhenwu.monitoring.management.commands.report import register_report


def render_monitoring(area: Area, period: Period, options: dict) -> str:
    if area.level != AreaLevel.TOWNSHIP:
        raise ValueError(f"“{area.name}”不是乡镇：监测报告按乡镇统计。")
    with translation.override("zh-hans"):
        return figures_text(period_figures(area, period))


def _line(label: str, value, width: int = 34) -> str:
    pad = width - sum(2 if ord(ch) > 0x2E80 else 1 for ch in label)
    return f"  {label}{' ' * max(pad, 1)}{value}"


def figures_text(figures: dict) -> str:
    period, township = figures["period"], figures["township"]
    lines = [
        f"{township['name']}{period['label']}防返贫动态监测数据",
        f"统计期：{period['start']} 至 {period['end']}",
        "",
        "一、主要指标",
    ]
    for item in figures["summary"]:
        value = item["value"] if item["has_data"] else f"{item['value']}（无数据）"
        lines.append(_line(item["label"], value))
    lines += ["", "二、线索来源"]
    lines += [_line(row["label"], row["value"]) for row in figures["clues_by_channel"]]
    villages = [row for row in figures["clues_by_village"] if row["value"]]
    lines += ["", "三、分村线索"]
    lines += [_line(row["label"], row["value"]) for row in villages] or ["  （无）"]
    lines += ["", "四、识别纳入程序办理环节（期末在办）"]
    lines += [_line(row["label"], row["value"]) for row in figures["cases_by_stage"]]
    lines += ["", "五、每月一排查完成情况（走访/对象）"]
    screened = [row for row in figures["screening_by_village"] if row["has_data"]]
    lines += [
        _line(row["label"], f"{row['visits']}/{row['targets']}（{row['rate']}%）")
        if row["rate"] is not None
        else _line(row["label"], f"{row['visits']}/{row['targets']}")
        for row in screened
    ] or ["  （无排查）"]
    lines += ["", "六、部门数据规则命中"]
    lines += [_line(row["label"], row["value"]) for row in figures["rule_hits_by_rule"]] or [
        "  （无）"
    ]
    return "\n".join(lines) + "\n"


register_report(
    "monitoring",
    "防返贫动态监测数据（线索、程序、新纳入、消除、问题、排查、筛查）",
    render_monitoring,
)

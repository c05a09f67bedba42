"""Text report of the assistance ledgers for ``zhenwu report assistance``.

Aggregate figures only (no personal data). Money is shown in 万元 with two places, the way
the township's written reports state it (5,120,000 元 → 512.00 万元)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation

from zhenwu.areas.models import Area
from zhenwu.assistance.stats import assistance_figures
from zhenwu.lib.periods import Period
from zhenwu.monitoring.management.commands.report import register_report

TEN_THOUSAND = Decimal("10000")
CENT = Decimal("0.01")


def render_assistance(area: Area, period: Period, options: dict) -> str:
    with translation.override("zh-hans"):
        return figures_text(assistance_figures(area, period))


def wan(amount: Decimal) -> str:
    """Yuan → 万元 text with two places (ROUND_HALF_UP)."""
    return str((amount / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP))


def yuan(amount: Decimal) -> str:
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,}"


def _rates(rates: list) -> str:
    """500.00 → 500; 512.50 → 512.5."""
    return "、".join(f"{rate.normalize():f}" for rate in rates) or "—"


def _note(figure: dict) -> str:
    return "" if figure["has_data"] else "（无数据）"


def summary_lines(figures: dict) -> list[str]:
    f = {key: item["value"] for key, item in figures["figures"].items()}
    g = figures["figures"]
    return [
        f"产业振兴信贷通：发放贷款 {f['loan_borrowers']} 人，金额 {wan(f['loan_amount'])} 万元；"
        f"期末未结清 {f['loans_outstanding']} 笔，余额 {wan(f['loan_balance'])} 万元，"
        f"其中逾期 {f['loans_overdue']} 笔{_note(g['loan_borrowers'])}",
        f"公益性岗位：在岗 {f['job_people']} 人，补贴标准 {_rates(figures['job_rates'])} 元/月，"
        f"发放补贴 {wan(f['job_paid'])} 万元{_note(g['job_people'])}",
        f"交通补贴：补贴 {f['transport_people']} 人，金额 {wan(f['transport_amount'])} 万元"
        f"{_note(g['transport_people'])}",
        f"帮扶措施：计划 {f['measures_planned']} 项，已实施 {f['measures_implemented']} 项"
        f"{_note(g['measures_planned'])}",
    ]


def figures_text(figures: dict) -> str:
    area, period = figures["area"], figures["period"]
    lines = [
        f"{area['name']}{period['label']}帮扶数据",
        f"统计期：{period['start']} 至 {period['end']}",
        "",
        "一、总体情况",
    ]
    lines += [f"  {line}" for line in summary_lines(figures)]
    lines += ["", "二、分村情况（贷款人数/金额元，在岗人数/补贴元，交通补贴人数/金额元）"]
    index = {key: i for i, key in enumerate(c["key"] for c in figures["columns"])}
    for row in figures["villages"]:
        v = row["values"]
        if not any(v):
            continue
        lines.append(
            f"  {row['name']}：{v[index['loan_borrowers']]}/{yuan(v[index['loan_amount']])}，"
            f"{v[index['job_people']]}/{yuan(v[index['job_paid']])}，"
            f"{v[index['transport_people']]}/{yuan(v[index['transport_amount']])}"
        )
    if lines[-1].startswith("二、"):
        lines.append("  （无）")
    lines += ["", "三、帮扶措施（计划/已实施）"]
    measures = [m for m in figures["measures_by_category"] if m["planned"] or m["implemented"]]
    lines += [f"  {m['code']} {m['label']}：{m['planned']}/{m['implemented']}" for m in measures]
    if not measures:
        lines.append("  （无）")
    return "\n".join(lines) + "\n"


register_report(
    "assistance",
    "帮扶台账数据（小额信贷、公益性岗位、交通补贴、帮扶措施）",
    render_assistance,
)

"""指标完成情况 export (.xlsx): the indicator board of one area and period, one row per
indicator × area — each child area (village) and then the area's own total — with target,
actual, achievement and status. Text cells are formula-escaped and numbers stay numbers
(``lib.xlsx``); every export is audited (``workplans.exported``) with its row count."""

import io
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from zhenwu.core import audit
from zhenwu.lib.xlsx import XlsxWriter
from zhenwu.workplans.choices import Direction

HEADERS = [
    _("指标"),
    _("单位"),
    _("区域"),
    _("目标值"),
    _("目标期间"),
    _("实际值"),
    _("分子"),
    _("分母"),
    _("完成率（%）"),
    _("完成情况"),
]
WIDTHS = [28, 8, 16, 14, 10, 14, 12, 12, 12, 10]
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def achievement(indicator, actual, target) -> Decimal | None:
    """完成率: actual ÷ target × 100 (target ÷ actual when lower is better); None without
    both figures or with a zero divisor."""
    if actual is None or target is None:
        return None
    if indicator.direction == Direction.LOWER_IS_BETTER:
        return None if actual == 0 else (target / actual * HUNDRED).quantize(CENT)
    return None if target == 0 else (actual / target * HUNDRED).quantize(CENT)


def _ordered_cells(row, area):
    """The child areas first, then the area itself as the total (合计)."""
    cells = row["cells"]
    if len(cells) == 1:
        return [(cells[0], cells[0]["area"].name)]
    total = _("%(area)s（合计）") % {"area": area.name}
    return [(cell, cell["area"].name) for cell in cells[1:]] + [(cells[0], total)]


def board_rows(table: dict) -> list[list]:
    rows = []
    for row in table["rows"]:
        indicator = row["indicator"]
        for cell, label in _ordered_cells(row, table["area"]):
            status = cell["status"]
            rows.append(
                [
                    indicator.name,
                    indicator.unit,
                    label,
                    status.target,
                    status.target_period,
                    status.actual,
                    cell["numerator"],
                    cell["denominator"],
                    achievement(indicator, status.actual, status.target),
                    status.label,
                ]
            )
    return rows


def board_xlsx(table: dict, rows: list[list]) -> bytes:
    target = io.BytesIO()
    with XlsxWriter(target) as writer:
        sheet = writer.add_sheet(str(_("指标完成情况")), [str(h) for h in HEADERS], widths=WIDTHS)
        for row in rows:
            sheet.append(row)
    return target.getvalue()


def export_board(user, table: dict) -> bytes:
    """The board ``table`` (built for an area already checked against ``user``'s scope) as
    .xlsx; audited."""
    rows = board_rows(table)
    content = board_xlsx(table, rows)
    area, period = table["area"], table["period"]
    audit.record(
        "workplans.exported",
        actor=user,
        object_type="areas.area",
        object_id=area.code,
        data={
            "report": "indicator_board",
            "area": area.code,
            "period": period.code,
            "rows": len(rows),
        },
    )
    return content


def board_filename(table: dict, on) -> str:
    area, period = table["area"], table["period"]
    return _("%(area)s%(period)s指标完成情况_%(on)s.xlsx") % {
        "area": area.name,
        "period": period.label,
        "on": f"{on:%Y%m%d}",
    }

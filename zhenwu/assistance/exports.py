"""Excel export of the assistance statistics (帮扶数据统计表): the village table with a
total row, the measures by category, and a sheet that says what was counted.

Aggregates only, but still audited (``assistance.export``): who took which figures out."""

import io

from django.utils.translation import gettext as _

from zhenwu.areas.models import Area
from zhenwu.assistance.stats import FIGURE_KEYS, assistance_figures_for
from zhenwu.core import audit
from zhenwu.lib.periods import Period
from zhenwu.lib.xlsx import XlsxWriter


def figures_xlsx(figures: dict) -> bytes:
    """The tables of ``figures`` as an .xlsx workbook (text cells formula-escaped)."""
    target = io.BytesIO()
    with XlsxWriter(target) as writer:
        _village_sheet(writer, figures)
        _measure_sheet(writer, figures)
        _about_sheet(writer, figures)
    return target.getvalue()


def _village_sheet(writer: XlsxWriter, figures: dict) -> None:
    labels = [column["label"] for column in figures["columns"]]
    sheet = writer.add_sheet(
        _("分村统计"), [_("行政村"), _("区划代码"), *labels], widths=[14, 14] + [16] * len(labels)
    )
    for row in figures["villages"]:
        sheet.append([row["name"], row["code"], *row["values"]])
    totals = [figures["figures"][key]["value"] for key in FIGURE_KEYS]
    sheet.append([_("合计"), figures["area"]["code"], *totals], cell_format=writer.header_format)


def _measure_sheet(writer: XlsxWriter, figures: dict) -> None:
    sheet = writer.add_sheet(
        _("帮扶措施"),
        [_("类别代码"), _("措施类别"), _("计划"), _("已实施")],
        widths=[12, 24, 10, 10],
    )
    for item in figures["measures_by_category"]:
        sheet.append([item["code"], item["label"], item["planned"], item["implemented"]])


def _about_sheet(writer: XlsxWriter, figures: dict) -> None:
    sheet = writer.add_sheet(_("说明"), [_("项目"), _("内容")], widths=[16, 60])
    period = figures["period"]
    rates = "、".join(f"{rate.normalize():f}" for rate in figures["job_rates"]) or "—"
    sheet.append([_("区域"), f"{figures['area']['name']}（{figures['area']['code']}）"])
    sheet.append([_("统计期"), f"{period['label']}（{period['start']} 至 {period['end']}）"])
    sheet.append([_("岗位补贴标准（元/月）"), rates])
    for item in figures["summary"]:
        if not item["has_data"]:
            sheet.append([item["label"], _("无数据")])


def export_figures(user, area: Area, period: Period) -> tuple[dict, bytes]:
    """Scoped figures as .xlsx for ``user`` (DomainError when out of scope); audited."""
    figures = assistance_figures_for(user, area, period)
    content = figures_xlsx(figures)
    audit.record(
        "assistance.export",
        actor=user,
        object_type="areas.area",
        object_id=area.code,
        data={"report": "stats", "area": area.code, "period": period.code},
    )
    return figures, content

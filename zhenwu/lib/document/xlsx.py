"""A document of the report engine as a workbook: the figures and the tables.

Sheet 数字 lists every figure of the document — label, the text as printed, the value as a
number where it is one (so it can be summed or checked) and the link to its rows; then one
sheet per table, named after the heading above it. Written with ``lib.xlsx.XlsxWriter``,
the writer every ledger export uses (text never becomes a formula)."""

import io
import re
from decimal import Decimal

from django.utils.translation import gettext as _

from zhenwu.lib.document.model import H1, H2, TABLE, Document, run_text
from zhenwu.lib.xlsx import XlsxWriter

SHEET_NAME_MAX = 31
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def render_xlsx(document: Document, *, base_url: str = "") -> bytes:
    buffer = io.BytesIO()
    with XlsxWriter(buffer) as writer:
        _figures_sheet(writer, document, base_url)
        used = {_("数字")}
        heading = ""
        for block in document.blocks:
            if block.kind in (H1, H2):
                heading = block.text
            if block.kind != TABLE:
                continue
            name = _sheet_name(heading, used)
            sheet = writer.add_sheet(name, list(block.header), widths=_widths(block))
            for row in block.rows:
                sheet.append([run_text(cell) for cell in row])
    return buffer.getvalue()


def _figures_sheet(writer: XlsxWriter, document: Document, base_url: str) -> None:
    sheet = writer.add_sheet(
        _("数字"),
        [_("编号"), _("指标"), _("报告中的写法"), _("数值"), _("来源（筛选后的清单）")],
        widths=[26, 30, 40, 14, 60],
    )
    for figure in document.figures.values():
        sheet.append(
            [
                figure.key,
                figure.label,
                figure.text,
                _number(figure.value) if figure.has_data else None,
                base_url + figure.url if figure.url else "",
            ]
        )


def _number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return value
    return None


def _sheet_name(heading: str, used: set) -> str:
    base = BAD_SHEET_CHARS.sub("", heading).strip() or _("表")
    base = base[:SHEET_NAME_MAX]
    name, number = base, 2
    while name in used:
        suffix = f"({number})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        number += 1
    used.add(name)
    return name


def _widths(block) -> list[int]:
    columns = max([len(block.header), *[len(row) for row in block.rows]] or [1])
    return [24 if index == 0 else 14 for index in range(columns)]

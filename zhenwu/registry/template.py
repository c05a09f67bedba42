"""The downloadable import template (农户信息导入模板), generated from registry.columns.

Sheets 户信息 / 成员信息 / 收入信息 with the header row (required columns marked ``*``) and
one example row; 填写说明 lists every column's rule and allowed values; a hidden 选项 sheet
feeds the drop-down lists of the choice columns.
"""

import io

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zhenwu.lib.xlsx import XlsxWriter
from zhenwu.registry.choices import RiskType
from zhenwu.registry.columns import (
    HOUSEHOLD_SHEET,
    MAX_RISKS,
    SHEETS,
    Column,
)
from zhenwu.registry.imports.cells import INT_RANGES

OPTIONS_SHEET = "选项"
INSTRUCTIONS_SHEET = "填写说明"
EXAMPLE_ROWS = 1
# Rows that get a drop-down list; generous, so pasted ledgers are covered too.
VALIDATED_ROWS = 20_000
TEXT_KINDS = {"id_number", "text", "village"}

NOTES = [
    _("1. 请保留表头行，不要修改列名；带 * 的列必须填写。列的顺序可以调整，多余的列会被忽略。"),
    _("2. 第 2 行是示例，导入前请删除或改成真实数据。"),
    _(
        "3. “户信息”每户一行；“成员信息”每人一行，用“户编号”与户关联；“收入信息”可选，每户每年一行。"
    ),
    _("4. 每户在册成员中必须有且只有一名“户主”。身份证号在文件内不能重复。"),
    _("5. 身份证号、户编号、电话请使用文本格式，避免 Excel 把长数字改成科学计数法。"),
    _("6. 日期可填 2023-03-05、2023/3/5、2023年3月5日 或 Excel 日期。是/否列填“是”或“否”。"),
    _(
        "7. 导入时先检查全部行：只要有一处错误，就不会写入任何数据，并生成错误报告（含工作表、行号、列和问题）。"
    ),
    _("8. 同一户编号、同一身份证号再次导入时会更新原记录；同一文件重复导入不会产生任何变化。"),
]


def kind_rule(column: Column) -> str:
    """The 填写要求 text of one column."""
    if column.kind == "text":
        return str(_("文字，最多 %(n)s 个字符") % {"n": column.max_length or 200})
    if column.kind == "choice":
        return str(_("从可选值中选择（也可填写代码）"))
    if column.kind == "bool":
        return str(_("填写“是”或“否”"))
    if column.kind == "date":
        return str(_("日期，如 2023-03-05"))
    if column.kind == "int":
        low, high = INT_RANGES.get(column.field, (0, 32767))
        return str(_("整数，%(low)s 到 %(high)s") % {"low": low, "high": high})
    if column.kind == "money":
        return str(_("金额（元），不能为负数"))
    if column.kind == "id_number":
        return str(_("18 位居民身份证号，末位可为 X"))
    if column.kind == "risks":
        return str(_("最多 %(n)s 项，用“、”分隔") % {"n": MAX_RISKS})
    if column.kind == "village":
        return str(_("行政村名称（如 螺田村）或区划代码，须在导入区域内"))
    return ""


def allowed_labels(column: Column) -> list[str]:
    if column.kind == "choice":
        return [str(label) for _value, label in column.choices.choices]
    if column.kind == "risks":
        return [str(label) for _value, label in RiskType.choices]
    if column.kind == "bool":
        return ["是", "否"]
    return []


def build_template(target=None) -> bytes | None:
    """Write the template to ``target`` (path or BytesIO); return bytes when none is given."""
    buffer = target if target is not None else io.BytesIO()
    with translation.override("zh-hans"), XlsxWriter(buffer) as writer:
        option_ranges = _option_ranges()
        for sheet_name, columns in SHEETS.items():
            _data_sheet(writer, sheet_name, columns, option_ranges)
        _instructions(writer)
        _options_sheet(writer)
    return buffer.getvalue() if target is None else None


def _option_lists() -> dict[tuple[str, ...], str]:
    """Each distinct list of allowed values (choice and yes/no columns) → its title."""
    lists: dict[tuple[str, ...], str] = {}
    for columns in SHEETS.values():
        for column in columns:
            if column.kind in ("choice", "bool"):
                title = str(_("是/否")) if column.kind == "bool" else column.header
                lists.setdefault(tuple(allowed_labels(column)), title)
    return lists


def _option_ranges() -> dict[str, str]:
    """Column header → the 选项 range holding its allowed values."""
    position = {labels: index for index, labels in enumerate(_option_lists())}
    ranges = {}
    for columns in SHEETS.values():
        for column in columns:
            if column.kind in ("choice", "bool"):
                labels = tuple(allowed_labels(column))
                letter = _column_letter(position[labels])
                ranges[column.header] = (
                    f"='{OPTIONS_SHEET}'!${letter}$2:${letter}${len(labels) + 1}"
                )
    return ranges


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _data_sheet(writer: XlsxWriter, name: str, columns: list[Column], option_ranges) -> None:
    headers = [c.header + ("*" if c.required else "") for c in columns]
    sheet = writer.add_sheet(name, headers, widths=[max(12, len(h) * 2 + 4) for h in headers])
    worksheet = sheet.worksheet
    for index, column in enumerate(columns):
        if column.kind in TEXT_KINDS:
            worksheet.set_column(
                index, index, max(12, len(headers[index]) * 2 + 4), writer.text_format
            )
        if column.header in option_ranges:
            worksheet.data_validation(
                1,
                index,
                VALIDATED_ROWS,
                index,
                {
                    "validate": "list",
                    "source": option_ranges[column.header],
                    "error_type": "warning",
                },
            )
    sheet.append([_example(column) for column in columns])
    if name == HOUSEHOLD_SHEET:
        worksheet.set_first_sheet()


def _example(column: Column):
    if not column.example:
        return None
    if column.kind in ("int", "money"):
        return int(column.example)
    return column.example


def _instructions(writer: XlsxWriter) -> None:
    sheet = writer.add_sheet(INSTRUCTIONS_SHEET, [], widths=[12, 18, 8, 40, 60, 20])
    for note in NOTES:
        sheet.append([str(note)])
    sheet.append([])
    header = [
        str(h) for h in (_("工作表"), _("列名"), _("必填"), _("填写要求"), _("可选值"), _("示例"))
    ]
    sheet.append(header, cell_format=writer.header_format)
    for sheet_name, columns in SHEETS.items():
        for column in columns:
            sheet.append(
                [
                    sheet_name,
                    column.header,
                    str(_("是")) if column.required else "",
                    kind_rule(column),
                    "、".join(allowed_labels(column)),
                    column.example,
                ]
            )


def _options_sheet(writer: XlsxWriter) -> None:
    lists = [[title, *labels] for labels, title in _option_lists().items()]
    sheet = writer.add_sheet(OPTIONS_SHEET, [])
    for row in range(max(len(values) for values in lists)):
        sheet.append([values[row] if row < len(values) else None for values in lists])
    sheet.worksheet.hide()

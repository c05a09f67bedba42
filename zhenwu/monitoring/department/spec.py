"""One template per department (documented columns, Chinese headers). Each column maps to a
field of ``DepartmentRecord``: ``id_number`` (stored only as its blind index), ``name``
(checked, never stored), ``month``, ``kind`` (the item; fixed for 医保), ``amount``,
``total`` and ``detail`` (kept in ``attributes``)."""

import datetime
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from zhenwu.lib.dates import parse_date
from zhenwu.lib.ids import IdNumberError, parse_id_number
from zhenwu.lib.money import to_yuan
from zhenwu.lib.text import normalize_cell
from zhenwu.lib.xlsx import XlsxWriter, unescape_formula
from zhenwu.monitoring.choices import Department
from zhenwu.registry.identity import ID_ERROR_MESSAGES

MAX_AMOUNT = 10**9
_MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*月?$")


class CellError(ValueError):
    pass


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    choices: tuple[str, ...] = ()
    required: bool = True
    example: str = ""


@dataclass(frozen=True)
class Template:
    department: str
    columns: tuple[Column, ...]
    fixed_kind: str = ""  # 医保 rows have no item column

    @property
    def label(self) -> str:
        return str(Department(self.department).label)

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


def _id(header="身份证号"):
    return Column(header, "id_number", example="360721196803050011")


NAME = Column("姓名", "name", example="张三")


def _month(header="月份"):
    return Column(header, "month", example="2023-06")


TEMPLATES: dict[str, Template] = {
    t.department: t
    for t in (
        Template(
            Department.MEDICAL_INSURANCE,
            (
                _id(),
                NAME,
                _month(),
                Column("医疗总费用", "total", example="25000.00"),
                Column("合规自付金额", "amount", example="8000.00"),
            ),
            fixed_kind="医疗费用",
        ),
        Template(
            Department.CIVIL_AFFAIRS,
            (
                _id(),
                NAME,
                _month("变动月份"),
                Column("事项", "kind", ("低保新增", "低保退出", "特困新增", "特困退出")),
            ),
        ),
        Template(
            Department.EDUCATION,
            (_id(), NAME, _month(), Column("在校状态", "kind", ("在读", "辍学", "未入学"))),
        ),
        Template(
            Department.HOUSING,
            (_id(), NAME, _month("鉴定月份"), Column("房屋安全等级", "kind", ("A", "B", "C", "D"))),
        ),
        Template(
            Department.WATER,
            (
                _id("身份证号（户主）"),
                NAME,
                _month(),
                Column("问题", "kind", ("水量", "水质", "取水方便", "供水保障")),
            ),
        ),
        Template(
            Department.HUMAN_RESOURCES,
            (_id(), NAME, _month(), Column("事项", "kind", ("失业", "务工中断"))),
        ),
        Template(
            Department.PUBLIC_SECURITY,
            (_id(), NAME, _month(), Column("事项", "kind", ("死亡", "迁出", "分户"))),
        ),
        Template(
            Department.DISABLED_FEDERATION,
            (
                _id(),
                NAME,
                _month(),
                Column(
                    "残疾类别",
                    "kind",
                    ("视力", "听力", "言语", "肢体", "智力", "精神", "多重"),
                ),
                Column("等级", "detail", ("一级", "二级", "三级", "四级")),
            ),
        ),
        Template(
            Department.EMERGENCY,
            (
                _id("身份证号（户主）"),
                NAME,
                _month(),
                Column(
                    "灾种",
                    "kind",
                    ("洪涝", "干旱", "台风", "风雹", "低温冰冻", "地质灾害", "火灾", "其他"),
                ),
                Column("损失金额", "amount", example="12000.00"),
            ),
        ),
    )
}


def template_xlsx(department: str) -> bytes:
    """The blank template: headers, one example row on a second sheet, allowed values."""
    template = TEMPLATES[department]
    buffer = io.BytesIO()
    with XlsxWriter(buffer) as writer:
        writer.add_sheet(
            template.label, template.headers, widths=[22, 10, 12, 16, 16][: len(template.headers)]
        )
        notes = writer.add_sheet(
            str(_("填写说明")), [str(_("列")), str(_("说明"))], widths=[18, 70]
        )
        for column in template.columns:
            notes.append([column.header, describe(column)])
    return buffer.getvalue()


def describe(column: Column) -> str:
    if column.choices:
        return str(_("取值：")) + "、".join(column.choices)
    if column.field == "id_number":
        return str(_("18位居民身份证号，请设为文本格式"))
    if column.field == "month":
        return str(_("年月，如 2023-06"))
    if column.field in ("amount", "total"):
        return str(_("金额（元），如 8000.00"))
    return str(_("必填"))


# --- cell parsing ---------------------------------------------------------------------------


def parse_cell(column: Column, raw: object, *, period: datetime.date):
    if isinstance(raw, str):
        raw = unescape_formula(raw)
    text = normalize_cell(raw)
    if not text:
        if column.required:
            raise CellError(_("必填项为空"))
        return None
    if column.field == "id_number":
        return _id_number(raw)
    if column.field == "month":
        return _month_value(raw, period)
    if column.field in ("amount", "total"):
        return _amount(raw)
    if column.choices and text not in column.choices:
        raise CellError(_("取值应为：") + "、".join(column.choices))
    return text[:40]


def _id_number(raw: object) -> str:
    if isinstance(raw, float):
        raise CellError(_("身份证号被存为数字，后几位已丢失；请将该列设为文本格式后重新填写"))
    try:
        return parse_id_number(raw).number
    except IdNumberError as error:
        raise CellError(ID_ERROR_MESSAGES[error.reason]) from None


def _month_value(raw: object, period: datetime.date) -> datetime.date:
    text = normalize_cell(raw)
    match = _MONTH_TEXT.match(text)
    try:
        if match:
            value = datetime.date(int(match[1]), int(match[2]), 1)
        elif re.fullmatch(r"\d{6}", text):
            value = datetime.date(int(text[:4]), int(text[4:]), 1)
        else:
            value = parse_date(raw).replace(day=1)
    except (ValueError, AttributeError):
        raise CellError(_("月份格式不正确，应为如 2023-06")) from None
    if value > period or value.year < 2000:
        raise CellError(_("月份不能晚于数据月份"))
    return value


def _amount(raw: object):
    try:
        value = to_yuan(raw)
    except ValueError:
        raise CellError(_("金额应为数字")) from None
    if value is None or value < 0 or value >= MAX_AMOUNT:
        raise CellError(_("金额应为不小于0的数字"))
    return value

"""One converter per column: a raw calamine cell → the value stored, or ``CellError``.

Real ledgers are messy: full-width digits, spaces inside codes, a lowercase ``x`` check
digit, dates typed four ways, labels instead of codes. What can be read unambiguously is
read; everything else fails with a message that says what is expected.
"""

import datetime
import unicodedata
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.areas.models import Area
from zhenwu.lib.dates import parse_date
from zhenwu.lib.ids import IdNumberError, parse_id_number
from zhenwu.lib.money import to_yuan
from zhenwu.lib.text import compact, normalize_cell
from zhenwu.lib.xlsx import unescape_formula
from zhenwu.registry.choices import (
    Education,
    Health,
    HouseholdStatus,
    LabourCapacity,
    MedicalInsurance,
    Relation,
    RiskType,
)
from zhenwu.registry.columns import (
    FALSE_WORDS,
    MAX_RISKS,
    RISK_SEPARATORS,
    TRUE_WORDS,
    Column,
)
from zhenwu.registry.identity import ID_ERROR_MESSAGES

# Codes and numbers: spaces inside are typing noise, never meaningful.
COMPACT_FIELDS = {"number", "household_number", "phone", "bank_account"}
INT_RANGES = {
    "lifted_year": (2000, 2100),
    "work_months": (0, 12),
    "year": (2000, 2100),
}
MAX_MONEY = 10**11  # below the column's 14 digits with 2 decimals
# A float holds 15-16 significant digits: an 18-digit number typed into a number cell has
# already lost its last digits when the file is saved.
FLOAT_PRECISION_LIMIT = 10**15
NAME_EXTRA_CHARS = set("·•．.- 〇")  # middle dots of minority names; 〇 is a letter number

# Words seen in county ledgers for the same choice (besides the label and the stored value).
ALIASES: dict[type, dict[str, str]] = {
    Relation: {"本人": "head", "妻": "spouse", "妻子": "spouse", "夫": "spouse", "丈夫": "spouse"},
    Education: {"文盲": "illiterate", "半文盲": "illiterate", "研究生": "bachelor"},
    Health: {"大病": "serious", "慢性病": "chronic"},
    LabourCapacity: {"弱劳动力": "weak", "半劳动力": "weak", "丧失劳动能力": "lost"},
    MedicalInsurance: {"居民医保": "resident", "城乡居民医保": "resident", "职工医保": "employee"},
    HouseholdStatus: {"注销": "cancelled"},
}


class CellError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


Converter = Callable[[object], object]


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def model_default(model: type[models.Model] | None, field: str):
    """What an empty optional cell stores: the model field's default."""
    if model is None:
        return ""
    try:
        model_field = model._meta.get_field(field)
    except FieldDoesNotExist:
        return ""
    if model_field.has_default():
        return model_field.get_default()
    if model_field.null:
        return None
    return "" if isinstance(model_field, models.CharField | models.TextField) else None


def build_converter(
    column: Column, *, model: type[models.Model] | None, villages: "VillageLookup | None"
) -> Converter:
    """A function raw → value for this column, with required/default handling around it."""
    convert = _KIND_BUILDERS[column.kind](column, villages)
    default = model_default(model, column.field)
    if column.kind == "bool":
        default = False

    def converter(raw):
        if is_blank(raw):
            if column.required:
                raise CellError(_("必填项不能为空"))
            return default
        return convert(raw)

    return converter


def _text(column: Column, _villages) -> Converter:
    squeeze = column.field in COMPACT_FIELDS
    is_name = column.field == "name"
    limit = column.max_length

    def convert(raw):
        if squeeze and _lost_digits(raw):
            raise CellError(_("该单元格被存成了数字，长数字已丢失末位；请设为文本格式后重新填写"))
        text = unescape_formula(normalize_cell(raw))
        if squeeze:
            text = _strip_text_mark(compact(text))
        elif is_name:
            text = _clean_name(text)
        if limit and len(text) > limit:
            raise CellError(_("内容过长（最多 %(limit)s 个字符）") % {"limit": limit})
        return text

    return convert


def _strip_text_mark(text: str) -> str:
    """A leading apostrophe typed (or left by a CSV round trip) to keep a number as text."""
    return text[1:] if text.startswith(("'", "‘", "’")) else text


def _lost_digits(raw: object) -> bool:
    return (
        isinstance(raw, float | int)
        and not isinstance(raw, bool)
        and abs(raw) >= FLOAT_PRECISION_LIMIT
    )


def _clean_name(text: str) -> str:
    """Chinese names are often typed with spaces for alignment (张  三); letters and the
    middle dot of minority names are kept, anything else is refused."""
    if any("\u4e00" <= char <= "\u9fff" for char in text):
        text = "".join(text.split())
    if not text or any(not _name_char(char) for char in text):
        raise CellError(_("姓名只能包含文字和间隔号"))
    return text


def _name_char(char: str) -> bool:
    return char in NAME_EXTRA_CHARS or unicodedata.category(char)[0] in ("L", "M")


def _key(text: object) -> str:
    return compact(text).lower()


def _choice(column: Column, _villages) -> Converter:
    table: dict[str, str] = {}
    for value, label in column.choices.choices:
        for word in (value, str(label)):
            table[_key(word)] = value
        if str(label).startswith("之"):  # 之子 → also 子
            table.setdefault(_key(str(label)[1:]), value)
    for word, value in ALIASES.get(column.choices, {}).items():
        table.setdefault(_key(word), value)
    allowed = "、".join(str(label) for _value, label in column.choices.choices)

    def convert(raw):
        value = table.get(_key(unescape_formula(normalize_cell(raw))))
        if value is None:
            raise CellError(
                _("“%(value)s”不是有效的%(header)s，可填：%(allowed)s")
                % {"value": normalize_cell(raw), "header": column.header, "allowed": allowed}
            )
        return value

    return convert


def _bool(column: Column, _villages) -> Converter:
    def convert(raw):
        if isinstance(raw, bool):
            return raw
        word = _key(raw)
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise CellError(_("应填写“是”或“否”"))

    return convert


def _date(column: Column, _villages) -> Converter:
    def convert(raw):
        try:
            day = parse_date(raw)
        except (ValueError, OverflowError):
            raise CellError(
                _("无法识别的日期，请填写如 2023-03-05、2023/3/5 或 2023年3月5日")
            ) from None
        if day is not None and not (datetime.date(1900, 1, 1) <= day <= datetime.date.today()):
            raise CellError(_("日期超出合理范围"))
        return day

    return convert


def _int(column: Column, _villages) -> Converter:
    low, high = INT_RANGES.get(column.field, (0, 32767))

    def convert(raw):
        text = normalize_cell(raw).rstrip("年月")
        if isinstance(raw, float) and not raw.is_integer() or not text.lstrip("-").isdigit():
            raise CellError(_("应填写整数"))
        number = int(text)
        if not low <= number <= high:
            raise CellError(_("应在 %(low)s 到 %(high)s 之间") % {"low": low, "high": high})
        return number

    return convert


def _money(column: Column, _villages) -> Converter:
    def convert(raw):
        try:
            amount = to_yuan(raw)
        except ValueError:
            raise CellError(_("应填写金额（元），如 3200 或 3200.50")) from None
        if amount is None:
            return Decimal("0")
        if amount < 0:
            raise CellError(_("金额不能为负数"))
        if amount >= MAX_MONEY:
            raise CellError(_("金额超出范围"))
        return amount

    return convert


def _id_number(column: Column, _villages) -> Converter:
    def convert(raw):
        if _lost_digits(raw):
            raise CellError(_("身份证号被存成了数字，末几位已丢失；请把该列设为文本格式后重新填写"))
        try:
            return parse_id_number(_strip_text_mark(raw.strip()) if isinstance(raw, str) else raw)
        except IdNumberError as error:
            raise CellError(ID_ERROR_MESSAGES.get(error.reason, error.reason)) from None

    return convert


def _risks(column: Column, _villages) -> Converter:
    table = {}
    for value, label in RiskType.choices:
        table[_key(value)] = value
        table[_key(label)] = value
    allowed = "、".join(str(label) for _value, label in RiskType.choices)
    separators = str.maketrans({char: "," for char in RISK_SEPARATORS})

    def convert(raw):
        words = [w for w in normalize_cell(raw).translate(separators).split(",") if w.strip()]
        risks: list[str] = []
        for word in words:
            value = table.get(_key(word))
            if value is None:
                raise CellError(
                    _("“%(value)s”不是有效的风险类型，可填：%(allowed)s")
                    % {"value": word.strip(), "allowed": allowed}
                )
            if value not in risks:
                risks.append(value)
        if len(risks) > MAX_RISKS:
            raise CellError(_("风险类型最多填写 %(count)s 项") % {"count": MAX_RISKS})
        return risks

    return convert


def _village(column: Column, villages: "VillageLookup") -> Converter:
    return villages.find


class VillageLookup:
    """行政村 cells: a current village's name (with or without 村) or its code, which must lie
    under the import's area."""

    def __init__(self, area: Area, inside: list[Area], everywhere: list[Area]):
        self.area = area
        self._inside = {village.pk for village in inside}
        self._by_code = {village.code: village for village in everywhere}
        self._by_name: dict[str, list[Area]] = {}
        for village in everywhere:
            self._by_name.setdefault(village.name, []).append(village)

    def _candidates(self, text: str) -> list[Area]:
        if text in self._by_code:
            return [self._by_code[text]]
        found = self._by_name.get(text) or self._by_name.get(text + "村") or []
        inside = [village for village in found if village.pk in self._inside]
        return inside or found

    def find(self, raw) -> Area:
        text = compact(unescape_formula(normalize_cell(raw)))
        candidates = self._candidates(text)
        if not candidates:
            raise CellError(_("未找到行政村“%(value)s”，请填写村名或区划代码") % {"value": text})
        if len(candidates) > 1:
            raise CellError(_("村名“%(value)s”不唯一，请改填区划代码") % {"value": text})
        village = candidates[0]
        if village.pk not in self._inside:
            raise CellError(
                _("行政村“%(value)s”不在本次导入区域“%(area)s”内")
                % {"value": village.name, "area": self.area.name}
            )
        return village


_KIND_BUILDERS = {
    "text": _text,
    "choice": _choice,
    "bool": _bool,
    "date": _date,
    "int": _int,
    "money": _money,
    "id_number": _id_number,
    "risks": _risks,
    "village": _village,
}

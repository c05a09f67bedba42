"""Chinese number and date style of written reports (公文数字写法).

One style, used by the half-year report in every format (HTML, text, .docx):

- money in 万元 with exactly two decimals, rounded half up: 5,120,000 元 → ``512.00万元``,
  215,900 元 → ``21.59万元`` (the township's ledgers and the issue ask for two places, so a
  whole amount keeps its ``.00`` — one rule, never a guess);
- small amounts in 元 without needless decimals: 500 → ``500元``, 512.5 → ``512.50元``;
- counts with their measure word and no space: ``18户84人``, ``105人``, ``12个``;
- percentages with up to two decimals, trailing zeros dropped: 100.00 → ``100%``,
  97.50 → ``97.5%``;
- dates as ``2023年6月30日`` (no leading zeros).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

TEN_THOUSAND = Decimal("10000")
CENT = Decimal("0.01")
NO_DATA = _("暂无数据")


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def wan_yuan(amount) -> str:
    """Yuan → ``512.00万元``."""
    value = (_decimal(amount) / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{value}万元"


def yuan(amount) -> str:
    """``500元`` for a whole amount, ``512.50元`` otherwise."""
    value = _decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1))}元"
    return f"{value}元"


def count(value: int, unit: str) -> str:
    """``105人``, ``12个``."""
    return f"{int(value)}{unit}"


def households_people(households: int, people: int) -> str:
    """``18户84人``."""
    return f"{int(households)}户{int(people)}人"


def percent(value) -> str:
    """``100%``, ``97.5%``, ``33.33%``."""
    number = _decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def cn_date(day: datetime.date) -> str:
    """``2023年6月30日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def ratio_percent(part, whole) -> str | None:
    """``part / whole`` as a percentage text, None without a whole."""
    whole = _decimal(whole)
    if whole <= 0:
        return None
    return percent(_decimal(part) * 100 / whole)

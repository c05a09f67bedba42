"""Reporting periods (统计期): a month ``2023-06``, a quarter ``2023Q2``, a half-year
``2023H1`` or a year ``2023``, as an inclusive date range."""

import calendar
import datetime
import re
from dataclasses import dataclass

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_HALF = re.compile(r"^(\d{4})H([12])$")
_YEAR = re.compile(r"^(\d{4})$")


class PeriodError(ValueError):
    """The text is not one of the period forms."""


@dataclass(frozen=True)
class Period:
    kind: str  # month, quarter, half, year
    start: datetime.date  # first day
    end: datetime.date  # last day (inclusive)
    code: str  # canonical text, e.g. 2023-06, 2023Q2, 2023H1, 2023

    @property
    def label(self) -> str:
        """Chinese label for titles: 2023年6月, 2023年第二季度, 2023年上半年, 2023年."""
        year = self.start.year
        if self.kind == "month":
            return f"{year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{year}年第{'一二三四'[(self.start.month - 1) // 3]}季度"
        if self.kind == "half":
            return f"{year}年{'上' if self.start.month == 1 else '下'}半年"
        return f"{year}年"

    def months(self) -> list[datetime.date]:
        """First day of every month in the period."""
        first = self.start
        result = []
        while first <= self.end:
            result.append(first)
            first = _add_months(first, 1)
        return result


def _add_months(day: datetime.date, count: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def _span(year: int, first_month: int, months: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, first_month, 1)
    last = _add_months(start, months - 1)
    return start, last.replace(day=calendar.monthrange(last.year, last.month)[1])


def parse_period(text: str) -> Period:
    value = (text or "").strip().upper()
    if match := _MONTH.match(value):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise PeriodError(text)
        return Period("month", *_span(year, month, 1), f"{year}-{month:02d}")
    if match := _QUARTER.match(value):
        year, quarter = int(match[1]), int(match[2])
        return Period("quarter", *_span(year, 3 * quarter - 2, 3), f"{year}Q{quarter}")
    if match := _HALF.match(value):
        year, half = int(match[1]), int(match[2])
        return Period("half", *_span(year, 6 * half - 5, 6), f"{year}H{half}")
    if match := _YEAR.match(value):
        year = int(match[1])
        return Period("year", *_span(year, 1, 12), str(year))
    raise PeriodError(text)


def month_period(month: datetime.date) -> Period:
    """The period of the month containing ``month``."""
    return parse_period(f"{month.year}-{month.month:02d}")

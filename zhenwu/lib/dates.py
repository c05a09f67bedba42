"""Date parsing for spreadsheet cells: 2023-03-05, 2023/3/5, 2023年3月5日, 20230305, Excel serials."""

import datetime
import re

from zhenwu.lib.text import normalize_cell

EXCEL_EPOCH = datetime.date(1899, 12, 30)
_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(value: object) -> datetime.date | None:
    """Return a date, None for an empty cell; raise ValueError for anything unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return excel_serial_to_date(value)
    text = normalize_cell(value)
    if not text:
        return None
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    match = _PATTERN.match(text) or _COMPACT.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return datetime.date(year, month, day)
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return excel_serial_to_date(float(text))
    raise ValueError(text)


def excel_serial_to_date(serial: float) -> datetime.date:
    if not 1 <= serial < 2958466:
        raise ValueError(str(serial))
    return EXCEL_EPOCH + datetime.timedelta(days=int(serial))


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)

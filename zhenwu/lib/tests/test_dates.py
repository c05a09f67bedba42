"""Dates as people type them into spreadsheets."""

import datetime

import pytest

from zhenwu.lib.dates import excel_serial_to_date, first_of_month, parse_date

MARCH_5 = datetime.date(2023, 3, 5)


@pytest.mark.parametrize(
    "cell",
    [
        "2023-03-05",
        "2023/3/5",
        "2023年3月5日",
        "2023年03月05日",
        "２０２３年３月５日",  # full-width digits
        " 2023-3-5 ",
        "2023.3.5",
        "20230305",
        "2023-03-05 00:00:00",
        44990,  # Excel serial
        44990.0,
        "44990",
        datetime.date(2023, 3, 5),
        datetime.datetime(2023, 3, 5, 14, 30),
    ],
)
def test_every_common_spelling_reads_as_the_same_day(cell):
    assert parse_date(cell) == MARCH_5


@pytest.mark.parametrize("cell", [None, "", "   ", "\u3000"])
def test_empty_cells_are_none(cell):
    assert parse_date(cell) is None


@pytest.mark.parametrize("cell", ["2023-02-30", "3/5/2023", "明天", "2023年13月1日", 0, -5, "1e9"])
def test_unreadable_dates_raise_value_error(cell):
    with pytest.raises(ValueError):
        parse_date(cell)


def test_excel_serial_epoch_and_first_of_month():
    assert excel_serial_to_date(1) == datetime.date(1899, 12, 31)
    assert excel_serial_to_date(44927) == datetime.date(2023, 1, 1)
    assert first_of_month(MARCH_5) == datetime.date(2023, 3, 1)

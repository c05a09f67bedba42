import datetime

import pytest

from zhenwu.lib.periods import PeriodError, month_period, parse_period

D = datetime.date


@pytest.mark.parametrize(
    "text, kind, start, end, code, label",
    [
        ("2023-06", "month", D(2023, 6, 1), D(2023, 6, 30), "2023-06", "2023年6月"),
        ("2024-2", "month", D(2024, 2, 1), D(2024, 2, 29), "2024-02", "2024年2月"),
        ("2023Q2", "quarter", D(2023, 4, 1), D(2023, 6, 30), "2023Q2", "2023年第二季度"),
        ("2023q4", "quarter", D(2023, 10, 1), D(2023, 12, 31), "2023Q4", "2023年第四季度"),
        ("2023H1", "half", D(2023, 1, 1), D(2023, 6, 30), "2023H1", "2023年上半年"),
        ("2023H2", "half", D(2023, 7, 1), D(2023, 12, 31), "2023H2", "2023年下半年"),
        (" 2023 ", "year", D(2023, 1, 1), D(2023, 12, 31), "2023", "2023年"),
    ],
)
def test_parse_period(text, kind, start, end, code, label):
    period = parse_period(text)
    assert (period.kind, period.start, period.end, period.code) == (kind, start, end, code)
    assert period.label == label


@pytest.mark.parametrize("text", ["", "2023-13", "2023-00", "2023Q5", "2023H3", "23", "June"])
def test_parse_period_rejects(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_months_of_a_half_year():
    months = parse_period("2023H1").months()
    assert months == [D(2023, m, 1) for m in range(1, 7)]


def test_month_period_of_any_day():
    assert month_period(D(2023, 6, 17)).code == "2023-06"

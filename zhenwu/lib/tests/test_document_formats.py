"""Chinese number and date style (lib.document.formats): table-driven."""

import datetime
from decimal import Decimal

import pytest

from zhenwu.lib.document import formats as fmt


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("5120000"), "512.00万元"),
        (Decimal("215900"), "21.59万元"),
        (Decimal("215950"), "21.60万元"),  # half up
        (Decimal("215949.99"), "21.59万元"),
        (Decimal("0"), "0.00万元"),
        (Decimal("100"), "0.01万元"),
        (Decimal("49"), "0.00万元"),
        (Decimal("50"), "0.01万元"),
        (Decimal("123456789.00"), "12345.68万元"),
        (1007_0000, "1007.00万元"),
        ("85000.00", "8.50万元"),
    ],
)
def test_wan_yuan(amount, expected):
    assert fmt.wan_yuan(amount) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("500.00"), "500元"),
        (Decimal("500"), "500元"),
        (Decimal("512.5"), "512.50元"),
        (Decimal("0.004"), "0元"),
        (Decimal("0.005"), "0.01元"),
        (600, "600元"),
    ],
)
def test_yuan(amount, expected):
    assert fmt.yuan(amount) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("100"), "100%"),
        (Decimal("100.00"), "100%"),
        (Decimal("97.50"), "97.5%"),
        (Decimal("99.7333"), "99.73%"),
        (Decimal("0"), "0%"),
        (Decimal("53.665"), "53.67%"),
        (10, "10%"),
    ],
)
def test_percent(value, expected):
    assert fmt.percent(value) == expected


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(5405000, 10070000, "53.67%"), (1, 3, "33.33%"), (5, 5, "100%"), (0, 7, "0%"), (3, 0, None)],
)
def test_ratio_percent(part, whole, expected):
    assert fmt.ratio_percent(part, whole) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2023, 6, 30), "2023年6月30日"),
        (datetime.date(2023, 1, 1), "2023年1月1日"),
        (datetime.date(2023, 12, 31), "2023年12月31日"),
        (datetime.date(2024, 2, 29), "2024年2月29日"),
    ],
)
def test_cn_date(day, expected):
    assert fmt.cn_date(day) == expected


@pytest.mark.parametrize(
    ("households", "people", "expected"), [(18, 84, "18户84人"), (0, 0, "0户0人"), (1, 1, "1户1人")]
)
def test_households_people(households, people, expected):
    assert fmt.households_people(households, people) == expected


@pytest.mark.parametrize(("value", "unit", "expected"), [(105, "人", "105人"), (12, "个", "12个")])
def test_count(value, unit, expected):
    assert fmt.count(value, unit) == expected

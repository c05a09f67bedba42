"""Money cells: Decimal yuan with two places."""

from decimal import Decimal

import pytest

from zhenwu.lib.money import to_yuan


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (3200, Decimal("3200.00")),
        (3200.5, Decimal("3200.50")),
        ("3,200.50", Decimal("3200.50")),
        ("３２００元", Decimal("3200.00")),
        (" 0.005 ", Decimal("0.01")),  # half up
        ("-12.5", Decimal("-12.50")),  # the caller decides whether negatives are allowed
        (0.1 + 0.2, Decimal("0.30")),
    ],
)
def test_amounts_parse_to_two_place_decimals(cell, expected):
    amount = to_yuan(cell)
    assert amount == expected
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize("cell", [None, "", " ", "元"])
def test_empty_cells_are_none(cell):
    assert to_yuan(cell) is None


@pytest.mark.parametrize("cell", ["三千", "12a", "NaN", "Infinity", "1.2.3"])
def test_non_numbers_raise_value_error(cell):
    with pytest.raises(ValueError):
        to_yuan(cell)

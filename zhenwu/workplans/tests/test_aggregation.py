"""aggregation.py is pure: table-driven, no database."""

from decimal import Decimal as D

import pytest

from zhenwu.workplans.aggregation import Row, aggregate, combine


def r(value=None, numerator=None, denominator=None, period="2023-06"):
    return Row(
        None if value is None else D(value),
        None if numerator is None else D(numerator),
        None if denominator is None else D(denominator),
        period,
    )


@pytest.mark.parametrize(
    ("kind", "rows", "expected"),
    [
        ("sum", [r(100), r(250), r("0.5")], D("350.5")),
        ("average", [r(10), r(20), r(40)], D("23.3333")),
        # the test: a ratio is not averaged across villages (9/10 and 1/100)
        ("ratio", [r(90, 9, 10), r(1, 1, 100)], D("9.0909")),
        ("ratio", [r(100, 5, 5), r(100, 7, 7)], D("100.0000")),
        ("minimum", [r(7), r(3), r(5)], D(3)),
        ("latest", [r(5, period="2023-01"), r(8, period="2023-06"), r(6, period="2023-03")], D(8)),
        # two areas at the same latest month: their stocks add up
        ("latest", [r(5, period="2023-06"), r(8, period="2023-06")], D(13)),
        ("latest", [r(5, period="2023-09"), r(8, period="2023-10")], D(8)),
        ("sum", [], None),
        ("ratio", [r(50)], None),  # a ratio without numerator and denominator is no data
        ("sum", [None, r(4)], D(4)),
    ],
)
def test_aggregate(kind, rows, expected):
    assert aggregate(kind, rows) == expected


def test_ratio_is_not_the_mean_of_ratios():
    result = aggregate("ratio", [r(90, 9, 10), r(1, 1, 100)])
    assert result != D(50)
    assert result == (D(10) / D(110) * 100).quantize(D("0.0001"))


def test_ratio_carries_numerator_and_denominator_up():
    villages = combine("ratio", [r(None, 9, 10), r(None, 1, 100)])
    assert (villages.numerator, villages.denominator) == (D(10), D(110))
    township = combine("ratio", [villages, r(None, 90, 90)])
    assert (township.numerator, township.denominator) == (D(100), D(200))
    assert township.value == D(50)


def test_zero_denominator_gives_no_value():
    assert aggregate("ratio", [r(None, 0, 0)]) is None


def test_unknown_aggregation_is_refused():
    with pytest.raises(ValueError):
        aggregate("median", [r(1)])

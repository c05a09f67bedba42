"""ID numbers: table-driven, no database."""

import datetime

import pytest

from zhenwu.lib.ids import IdNumberError, age_on, build_id_number, parse_id_number

VALID = build_id_number("360721", datetime.date(1968, 3, 5), 101)


def test_builder_makes_valid_numbers_with_derived_facts():
    facts = parse_id_number(VALID)
    assert facts.birth_date == datetime.date(1968, 3, 5)
    assert facts.sex == "1"  # sequence 101 is odd
    assert facts.region_code == "360721"


@pytest.mark.parametrize(
    "messy",
    [
        VALID,
        f" {VALID} ",
        VALID[:6] + " " + VALID[6:14] + " " + VALID[14:],
        "".join(chr(ord(c) + 0xFEE0) for c in VALID),  # full-width digits
        VALID.lower(),
    ],
)
def test_messy_spellings_are_normalized(messy):
    assert parse_id_number(messy).number == VALID


def test_lowercase_x_check_digit_is_accepted():
    for seq in range(200):
        number = build_id_number("360704", datetime.date(2018, 6, 1), seq)
        if number.endswith("X"):
            assert parse_id_number(number.lower()).number == number
            return
    pytest.fail("no X check digit in 200 sequences")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (VALID[:-1], "length"),
        (VALID + "1", "length"),
        ("36072119680305100A", "format"),
        (
            VALID[:-1] + str((int(VALID[-1]) + 1) % 10) if VALID[-1] != "X" else VALID[:-1] + "0",
            "checksum",
        ),
        ("", "length"),
    ],
)
def test_invalid_numbers_say_why(raw, reason):
    with pytest.raises(IdNumberError) as error:
        parse_id_number(raw)
    assert error.value.reason == reason


def test_impossible_or_future_birth_date_is_rejected():
    bad_day = "36072119680230100"  # 30 February
    from stdnum.cn import ric

    number = bad_day + ric.calc_check_digit(bad_day + "0")
    with pytest.raises(IdNumberError) as error:
        parse_id_number(number)
    assert error.value.reason == "birth_date"
    future = build_id_number("360704", datetime.date(2030, 1, 1), 1)
    with pytest.raises(IdNumberError):
        parse_id_number(future, today=datetime.date(2026, 1, 1))


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (datetime.date(2010, 6, 30), datetime.date(2023, 6, 29), 12),
        (datetime.date(2010, 6, 30), datetime.date(2023, 6, 30), 13),
        (datetime.date(2008, 2, 29), datetime.date(2023, 2, 28), 14),
    ],
)
def test_age_on(birth, day, age):
    assert age_on(birth, day) == age

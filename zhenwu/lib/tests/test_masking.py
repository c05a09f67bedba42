"""Masking never leaks the birth digits (SECURITY.md 10), for any valid ID number."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from zhenwu.lib.ids import build_id_number
from zhenwu.lib.masking import mask_bank_account, mask_id_number, mask_name, mask_phone

regions = st.sampled_from(["360721", "360704", "360702", "110101", "440305"])
births = st.dates(min_value=datetime.date(1920, 1, 1), max_value=datetime.date(2025, 12, 31))


@given(region=regions, birth=births, sequence=st.integers(0, 999))
def test_masked_id_never_contains_the_birth_digits(region, birth, sequence):
    number = build_id_number(region, birth, sequence)
    masked = mask_id_number(number)
    assert masked == number[:3] + "*" * 11 + number[-4:]
    assert number[6:14] not in masked
    assert f"{birth:%Y%m%d}" not in masked


@given(st.text(alphabet="0123456789X", min_size=0, max_size=30))
def test_masked_id_of_any_string_keeps_at_most_seven_characters(value):
    masked = mask_id_number(value)
    assert len(masked) == len(value)
    assert sum(c != "*" for c in masked) <= 7


def test_phone_bank_and_name_masks():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_bank_account("6217001234567890123") == "***************0123"
    assert mask_name("张三丰") == "张*丰"
    assert mask_name("张三") == "张*"
    assert mask_phone("") == "" and mask_id_number(None) == ""

"""Resident ID numbers (居民身份证号码, GB 11643) via python-stdnum."""

import datetime
from dataclasses import dataclass

from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

from zhenwu.lib.text import compact


class IdNumberError(ValueError):
    """Carries a stable reason code: format, length, checksum, birth_date."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IdFacts:
    number: str
    birth_date: datetime.date
    sex: str  # "1" male, "2" female (GB/T 2261.1)
    region_code: str


def normalize_id_number(raw: object) -> str:
    """Full-width digits, spaces and a lowercase x are common in real ledgers."""
    return compact(raw).upper()


def parse_id_number(raw: object, *, today: datetime.date | None = None) -> IdFacts:
    """Validate an 18-digit ID number and derive birth date and sex; raises IdNumberError."""
    number = normalize_id_number(raw)
    if len(number) != 18:
        raise IdNumberError("length")
    if not (number[:17].isdigit() and (number[17].isdigit() or number[17] == "X")):
        raise IdNumberError("format")
    # Checksum and birth date only. stdnum's validate() also ties the region code to the
    # birth year, which rejects real numbers (赣县 360721 holders born before 1998).
    if ric.calc_check_digit(number) != number[17]:
        raise IdNumberError("checksum")
    try:
        birth_date = ric.get_birth_date(number)
    except InvalidComponent:
        raise IdNumberError("birth_date") from None
    if birth_date > (today or datetime.date.today()):
        raise IdNumberError("birth_date")
    sex = "1" if int(number[16]) % 2 == 1 else "2"
    return IdFacts(number=number, birth_date=birth_date, sex=sex, region_code=number[:6])


def check_digit(first17: str) -> str:
    """GB 11643 check digit, used by the demo generator."""
    return ric.calc_check_digit(first17 + "0")  # stdnum expects a placeholder check digit


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def build_id_number(region_code: str, birth_date: datetime.date, sequence: int) -> str:
    """A valid 18-digit number (for demo data and tests): sequence 0-999, odd = male."""
    first17 = f"{region_code}{birth_date:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_digit(first17)

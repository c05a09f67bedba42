"""Shared set-up of the loan and transport-subsidy tests: the sample settings on 沙地镇 and
households with members of chosen ages."""

import datetime
from decimal import Decimal

from zhenwu.assistance.choices import SettingKey
from zhenwu.assistance.models import AssistanceSetting
from zhenwu.testing import personas

SAMPLE_SETTINGS = [
    (SettingKey.LOAN_LIMIT, "50000", datetime.date(2021, 1, 1), None),
    (SettingKey.LOAN_MAX_TERM_MONTHS, "36", datetime.date(2021, 1, 1), None),
    (SettingKey.LOAN_MIN_AGE, "18", datetime.date(2021, 1, 1), None),
    (SettingKey.LOAN_MAX_AGE, "65", datetime.date(2021, 1, 1), None),
    (
        SettingKey.INTEREST_SUBSIDY_RATIO,
        "1.0",
        datetime.date(2021, 1, 1),
        datetime.date(2023, 12, 31),
    ),
    (SettingKey.INTEREST_SUBSIDY_RATIO, "0.7", datetime.date(2024, 1, 1), None),
    (SettingKey.TRANSPORT_MIN_MONTHS, "3", datetime.date(2021, 1, 1), None),
    (SettingKey.TRANSPORT_IN_COUNTY, "200", datetime.date(2021, 1, 1), None),
    (SettingKey.TRANSPORT_IN_PROVINCE, "300", datetime.date(2021, 1, 1), None),
    (SettingKey.TRANSPORT_OUT_OF_PROVINCE, "500", datetime.date(2021, 1, 1), None),
]


def load_settings(area) -> None:
    for key, value, valid_from, valid_to in SAMPLE_SETTINGS:
        AssistanceSetting.objects.create(
            area=area, key=key, value=Decimal(value), valid_from=valid_from, valid_to=valid_to
        )


def household_with(actor, village, number, birth_dates, *, category="lifted"):
    """A household whose members (head first) were born on ``birth_dates``."""
    members = [
        ("社员" + "甲乙丙丁戊"[index], born, "head" if index == 0 else "son")
        for index, born in enumerate(birth_dates)
    ]
    extra = {"lifted_year": 2016, "lifted_subtype": "ordinary"} if category == "lifted" else {}
    if category == "monitored":
        extra = {"monitoring_category": "100A03002"}
    return personas.make_household(actor, village, number, members, category=category, **extra)


def member(household, index: int = 0):
    return household.members.order_by("id")[index]

"""Shared set-up for the case, elimination, notice and problem tests."""

import datetime
from decimal import Decimal

import pytest

from zhenwu.areas.models import Area
from zhenwu.monitoring.actions import cases
from zhenwu.monitoring.models import Clue, PolicyParameter

D = datetime.date
REPORTED = D(2023, 3, 1)

PARAMETERS = {
    "identification_days": Decimal("15"),
    "notice_days": Decimal("5"),
    "elimination_months": Decimal("6"),
    "income_line": Decimal("7000"),
}


@pytest.fixture
def parameters(world):
    province = Area.objects.get(code="360000")
    for key, value in PARAMETERS.items():
        PolicyParameter.objects.create(
            area=province, key=key, value=value, valid_from=D(2020, 1, 1), is_sample=True
        )


def make_clue(household, reported_on=REPORTED, **fields) -> Clue:
    """A clue as the clue inbox would hold it (the clue actions are another part's)."""
    fields.setdefault("channel", "self_declared")
    fields.setdefault("risk_types", ["illness"])
    return Clue.objects.create(
        village=household.village, household=household, reported_on=reported_on, **fields
    )


def run_to(case, status, *, cadre, township, district, start=REPORTED):
    """Take ``case`` through the chain with valid data up to ``status``."""
    steps = [
        (
            "home_verified",
            lambda: cases.do_record_home_verification(
                case,
                actor=cadre,
                verified_on=start + datetime.timedelta(days=1),
                verifiers=["刘一", "陈二"],
                notes="核实属实",
            ),
        ),
        (
            "village_reviewed",
            lambda: cases.do_record_village_review(
                case,
                actor=cadre,
                meeting_on=start + datetime.timedelta(days=2),
                attendees=12,
                votes_for=11,
                votes_against=1,
                minutes="同意",
            ),
        ),
        (
            "notice_posted",
            lambda: cases.do_post_notice(
                case, actor=cadre, posted_on=start + datetime.timedelta(days=3)
            ),
        ),
        (
            "township_reviewed",
            lambda: cases.do_township_review(
                case, actor=township, reviewed_on=start + datetime.timedelta(days=8)
            ),
        ),
        (
            "approved",
            lambda: cases.do_approve_case(
                case, actor=district, approved_on=start + datetime.timedelta(days=10)
            ),
        ),
    ]
    for _target, step in steps:
        if case.status == status:
            break
        step()
    assert case.status == status
    return case

"""A small hand-built monitoring data set for 沙地镇, June 2023, with known figures.

Rows are created directly (test set-up only) where the actions belong to other parts.

Expected for 2023-06: clues 3 (self 1, cadre 1, department 1; 螺田村 2, 马口村 1); open
identification cases at 30 June 2 (village_reviewed 1, draft 1), overdue 1; newly monitored
1 household / 3 people; eliminated 1; open problems 1, fixed 1; 螺田村 round 2 of 3 visited,
马口村 no round; rule runs 1, hits 2. For 2023H1 the May clue adds one: clues 4.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from zhenwu.areas.models import Area, AreaLevel
from zhenwu.monitoring.models import (
    CaseEvent,
    Clue,
    MonitoringCase,
    Problem,
    RuleHit,
    RuleRun,
    ScreeningRound,
    ScreeningVisit,
)
from zhenwu.testing.personas import make_household

D = datetime.date


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@dataclass
class June:
    a: object
    b: object
    c: object
    d: object
    other: object
    other_township: Area


def other_township(world) -> tuple[Area, Area]:
    township = Area.objects.create(
        code="360704199", name="测试镇", level=AreaLevel.TOWNSHIP, parent=world.areas["district"]
    )
    village = Area.objects.create(
        code="360704199201", name="测试村", level=AreaLevel.VILLAGE, parent=township
    )
    return township, village


def _case(household, kind, status, started, deadline, **extra):
    return MonitoringCase.objects.create(
        household=household,
        kind=kind,
        status=status,
        started_on=started,
        deadline_on=deadline,
        **extra,
    )


def _event(case, frm, to, day, actor):
    CaseEvent.objects.create(
        case=case, at=at(day), actor=actor, action="advance", from_status=frm, to_status=to
    )


def build_june(world) -> June:
    officer = world.users["district_officer"]
    luotian, makou = world.areas["luotian"], world.areas["makou"]
    a = make_household(
        officer,
        luotian,
        "T-A",
        [
            ("甲一", D(1970, 1, 1), "head"),
            ("甲二", D(1972, 2, 2), "spouse"),
            ("甲三", D(2000, 3, 3), "son"),
        ],
    )
    b = make_household(
        officer,
        luotian,
        "T-B",
        [("乙一", D(1960, 1, 1), "head"), ("乙二", D(1961, 1, 1), "spouse")],
    )
    c = make_household(officer, makou, "T-C", [("丙一", D(1950, 5, 5), "head")])
    d = make_household(
        officer,
        luotian,
        "T-D",
        [("丁一", D(1980, 6, 6), "head")],
        category="monitored",
        monitoring_category="100A03002",
        monitoring_since=D(2022, 3, 1),
    )
    township, village = other_township(world)
    other = make_household(officer, village, "T-X", [("戊一", D(1985, 1, 1), "head")])

    # Clues: three in June, one in May, one in another township.
    Clue.objects.create(
        village=luotian, household=a, channel="self_declared", reported_on=D(2023, 6, 3)
    )
    Clue.objects.create(
        village=luotian, household=b, channel="cadre_screening", reported_on=D(2023, 6, 10)
    )
    Clue.objects.create(
        village=makou, household=c, channel="department", reported_on=D(2023, 6, 20)
    )
    Clue.objects.create(
        village=makou, household=c, channel="cadre_screening", reported_on=D(2023, 5, 15)
    )
    Clue.objects.create(
        village=village, household=other, channel="cadre_screening", reported_on=D(2023, 6, 5)
    )

    # Case 1 (A): approved in June.
    case1 = _case(
        a, "identification", "approved", D(2023, 6, 3), D(2023, 6, 18), approved_on=D(2023, 6, 16)
    )
    chain = [
        "draft",
        "home_verified",
        "village_reviewed",
        "notice_posted",
        "township_reviewed",
        "approved",
    ]
    for step, day in zip(range(5), [5, 7, 8, 14, 16], strict=True):
        _event(case1, chain[step], chain[step + 1], D(2023, 6, day), officer)
    # Case 2 (B): at village review on 30 June (overdue), approved in July.
    case2 = _case(
        b, "identification", "approved", D(2023, 6, 1), D(2023, 6, 16), approved_on=D(2023, 7, 5)
    )
    _event(case2, "draft", "home_verified", D(2023, 6, 4), officer)
    _event(case2, "home_verified", "village_reviewed", D(2023, 6, 10), officer)
    _event(case2, "village_reviewed", "approved", D(2023, 7, 5), officer)
    # Case 3 (C): a draft without steps, deadline in July.
    _case(c, "identification", "draft", D(2023, 6, 25), D(2023, 7, 10))
    # Elimination of D approved in June; a case of the other township approved too.
    _case(d, "elimination", "approved", D(2023, 1, 1), D(2023, 1, 16), approved_on=D(2023, 6, 20))
    _case(
        other,
        "identification",
        "approved",
        D(2023, 6, 1),
        D(2023, 6, 16),
        approved_on=D(2023, 6, 10),
    )

    # Problems.
    common = {"description": "问题", "owner": "张干部", "deadline_on": D(2023, 8, 1)}
    Problem.objects.create(
        household=a,
        kind="housing",
        found_on=D(2023, 5, 20),
        fixed_on=D(2023, 6, 10),
        status="fixed",
        **common,
    )
    Problem.objects.create(household=b, kind="water", found_on=D(2023, 6, 12), **common)
    Problem.objects.create(household=c, kind="medical", found_on=D(2023, 7, 2), **common)
    Problem.objects.create(
        household=c,
        kind="education",
        found_on=D(2023, 4, 1),
        fixed_on=D(2023, 5, 1),
        status="verified",
        **common,
    )

    # Screening: 螺田村 June round over A, B, D; A and B visited. 马口村 has no round.
    round_ = ScreeningRound.objects.create(village=luotian, month=D(2023, 6, 1))
    round_.target_households.set([a, b, d])
    for household in (a, b):
        ScreeningVisit.objects.create(
            round=round_, household=household, visited_on=D(2023, 6, 8), visitors=["张", "李"]
        )

    # Rule runs: one over 沙地镇 with two hits; one over the other township.
    run = RuleRun.objects.create(
        area=world.areas["shadi"], period=D(2023, 6, 1), status="succeeded"
    )
    RuleHit.objects.create(
        run=run, rule_code="income_below_line", rule_version=1, risk_type="other", household=a
    )
    RuleHit.objects.create(
        run=run, rule_code="house_grade_cd", rule_version=1, risk_type="unsafe_housing", household=c
    )
    other_run = RuleRun.objects.create(area=township, period=D(2023, 6, 1), status="succeeded")
    RuleHit.objects.create(
        run=other_run,
        rule_code="income_below_line",
        rule_version=1,
        risk_type="other",
        household=other,
    )
    return June(a=a, b=b, c=c, d=d, other=other, other_township=township)

"""The monitoring demo on a small town: 18 households / 84 people newly monitored in H1 2023,
through the real actions (every case step is a CaseEvent), with clues from all three lines."""

import datetime
import io
import random
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhenwu.accounts.roles import Role
from zhenwu.areas.models import Area
from zhenwu.core.models import AuditEvent
from zhenwu.demo.builder import build_demo
from zhenwu.demo.generator import TOWNSHIP_CODE
from zhenwu.demo.monitoring import Home, demo_clock, pick_with_sum
from zhenwu.lib.periods import parse_period
from zhenwu.monitoring.choices import CaseKind, CaseStatus, Channel, ClueStatus
from zhenwu.monitoring.figures import figure_value, period_figures
from zhenwu.monitoring.models import (
    CaseEvent,
    Clue,
    MonitoringCase,
    MonthlyAnalysis,
    Problem,
    RuleRun,
    ScreeningVisit,
)
from zhenwu.registry.choices import HouseholdCategory, PersonStatus
from zhenwu.registry.models import Household, Person

HOUSEHOLDS = 520  # about the smallest town the demo supports


@pytest.fixture
def built(db, tmp_path):
    out = io.StringIO()
    summary = build_demo(households=HOUSEHOLDS, seed=2023, stdout=out, workdir=tmp_path)
    return summary, out.getvalue()


def _report() -> str:
    out = io.StringIO()
    call_command("report", "monitoring", "--area", "沙地镇", "--period", "2023H1", stdout=out)
    return out.getvalue()


def _figure(text: str, label: str) -> int:
    match = re.search(rf"{re.escape(label)}\s+(\d+)", text)
    assert match, f"{label} missing in the report"
    return int(match.group(1))


def test_small_town_gets_18_households_84_people_through_the_workflow(built):
    summary, output = built
    township = Area.objects.get(code=TOWNSHIP_CODE)

    # the figure comes out of the system, in the report and in the figures
    report = _report()
    assert _figure(report, "新识别纳入监测对象（户）") == 18
    assert _figure(report, "新识别纳入监测对象（人）") == 84
    figures = period_figures(township, parse_period("2023H1"))
    assert figure_value(figures, "new_households") == 18
    assert figure_value(figures, "new_people") == 84
    assert figure_value(figures, "eliminated_households") == 0
    monitored = Household.objects.filter(category=HouseholdCategory.MONITORED)
    assert monitored.count() == 18
    assert Person.objects.filter(household__in=monitored, status=PersonStatus.ACTIVE).count() == 84
    assert set(monitored.values_list("monitoring_since", flat=True)) <= {
        datetime.date(2023, m, 1) for m in range(1, 7)
    }

    # clues from all three lines; some dismissed with a reason
    channels = set(Clue.objects.values_list("channel", flat=True))
    assert channels == {Channel.SELF_DECLARED, Channel.CADRE_SCREENING, Channel.DEPARTMENT}
    dismissed = Clue.objects.filter(status=ClueStatus.DISMISSED)
    assert dismissed.filter(channel=Channel.CADRE_SCREENING).exists()
    assert dismissed.filter(channel=Channel.SELF_DECLARED).exists()
    assert not dismissed.filter(dismissed_reason="").exists()

    # one open case overdue at the end of June, one open in time
    assert figure_value(figures, "overdue_identification") == 1
    assert figure_value(figures, "open_identification") == 2
    open_cases = MonitoringCase.objects.filter(
        status__in=[CaseStatus.DRAFT, CaseStatus.HOME_VERIFIED]
    )
    assert sorted(c.deadline_on < datetime.date(2023, 6, 30) for c in open_cases) == [False, True]

    # one village review without a majority, one case returned once and then approved
    rejected = MonitoringCase.objects.get(status=CaseStatus.REJECTED)
    assert rejected.closing_reason.startswith("village_review_failed")
    returned = CaseEvent.objects.filter(action="return")
    assert returned.count() == 1
    assert returned.get().case.status == CaseStatus.APPROVED

    # every case went step by step through CaseEvents, by the right people
    for case in MonitoringCase.objects.prefetch_related("events__actor__memberships"):
        assert case.kind == CaseKind.IDENTIFICATION
        events = sorted(case.events.all(), key=lambda e: (e.at, e.pk))
        assert events[0].action == "open" and events[0].from_status == ""
        for before, after in zip(events, events[1:], strict=False):
            assert after.from_status == before.to_status
        assert events[-1].to_status == case.status
        for event in events:
            roles = {m.role for m in event.actor.memberships.all()}
            if event.to_status == CaseStatus.APPROVED:
                assert roles == {Role.DISTRICT_OFFICER}
                assert datetime.date(2023, 1, 1) <= case.approved_on <= datetime.date(2023, 6, 30)
                assert event.at.date() == case.approved_on  # replayed on the day
            elif event.to_status == CaseStatus.TOWNSHIP_REVIEWED or event.action == "return":
                assert roles == {Role.TOWNSHIP_OFFICER}
            else:
                assert roles == {Role.VILLAGE_CADRE}
    assert AuditEvent.objects.filter(event="monitoring.case_opened").count() == (
        MonitoringCase.objects.count()
    )
    approvals = AuditEvent.objects.filter(event="registry.household_monitoring_decided")
    assert approvals.count() == 18

    # screening rounds, visits, problems, department runs and monthly analyses
    assert ScreeningVisit.objects.count() == summary.monitoring.visits > 0
    assert Problem.objects.filter(status="verified").exists()
    assert RuleRun.objects.filter(status="succeeded").count() == 2
    assert MonthlyAnalysis.objects.filter(township=township).count() == 6
    assert "监测演示" in output


def test_pick_with_sum_finds_the_first_combination():
    homes = [Home(i, 1, "lifted", size, False) for i, size in enumerate([5, 5, 7, 4, 2, 4])]
    picked = pick_with_sum(homes, 3, 13)
    assert [h.size for h in picked] == [5, 4, 4]
    assert pick_with_sum(homes, 2, 20) is None
    rng = random.Random(1)
    homes = [Home(i, 1, "lifted", rng.randint(1, 7), False) for i in range(60)]
    for count in (1, 5, 9):
        for total in range(count, count * 7 + 1):
            found = pick_with_sum(homes, count, total)
            if found is not None:
                assert len(found) == count and sum(h.size for h in found) == total


def test_demo_clock_sets_now_and_restores_it():
    moment = datetime.datetime(2023, 3, 31, 17, tzinfo=datetime.UTC)
    with demo_clock(moment):
        assert timezone.now() == moment
    assert timezone.now().year > 2023

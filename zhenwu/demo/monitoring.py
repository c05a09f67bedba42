"""The monitoring demo: 沙地镇's monitoring work of January–June 2023, run through the real
actions (DEMO.md: never write final figures or statuses into tables).

The half year is replayed day by day: every action runs under a demo clock set to the day
the work is done (``demo_clock``), so case events, audit rows and "today" checks carry the
2023 dates, and the figures reconstruct each case's stage at each month end from its
events. Everything is drawn from one ``random.Random(seed)``; the identification cases are
chosen so that exactly 18 households with 84 people are approved in H1 2023
(issue 3 item 11)."""

import csv
import datetime
import heapq
import io
import itertools
import random
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone as django_timezone

from zhenwu.areas.models import Area
from zhenwu.areas.selectors import villages_under
from zhenwu.demo.accounts import create_village_cadres
from zhenwu.demo.generator import TOWNSHIP_CODE
from zhenwu.monitoring.actions import analysis as analysis_actions
from zhenwu.monitoring.actions import cases as case_actions
from zhenwu.monitoring.actions import clues as clue_actions
from zhenwu.monitoring.actions import problems as problem_actions
from zhenwu.monitoring.actions import screening as screening_actions
from zhenwu.monitoring.actions.department import import_department_file
from zhenwu.monitoring.choices import Channel, ClueStatus, Department, ProblemStatus
from zhenwu.monitoring.engine.runner import run_screening
from zhenwu.monitoring.models import Clue, MonitoringCase, Problem
from zhenwu.monitoring.parameters import load_parameters_csv
from zhenwu.registry.choices import HouseholdCategory, HouseholdStatus, PersonStatus, Relation
from zhenwu.registry.models import Household, Person

MONTHS = [datetime.date(2023, month, 1) for month in range(1, 7)]
H1_END = datetime.date(2023, 6, 30)
NEW_HOUSEHOLDS, NEW_PEOPLE = 18, 84
# Who brings the 18 approved households in: lifted households found by the village cadres'
# monthly visits, general households by self-declaration and by the March department screening.
CADRE_DAYS = [(1, 9), (1, 16), (2, 8), (2, 20), (3, 7), (4, 6), (4, 18), (5, 9), (5, 12)]
DECLARED_DAYS = [(1, 18), (2, 14), (4, 10), (5, 16)]
DEPARTMENT_APPROVED = 5  # from the 2023-03 screening run
DEPARTMENT_RUNS = (datetime.date(2023, 3, 1), datetime.date(2023, 6, 1))
FULL_VISIT_VILLAGES = ("360704101214", "360704101203", "360704101001")  # 螺田、马口、沙地圩
DEFAULT_VISIT_SHARE = 0.3  # share of targets visited outside FULL_VISIT_VILLAGES (build time)
LOCAL_TZ = ZoneInfo(settings.TIME_ZONE)


@dataclass
class MonitoringDemoSummary:
    rounds: int = 0
    visits: int = 0
    problems: int = 0
    clues: dict = field(default_factory=dict)
    cases: dict = field(default_factory=dict)
    rule_runs: int = 0
    department_files: int = 0
    analyses: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        clue_text = "，".join(f"{k} {v}" for k, v in self.clues.items())
        case_text = "，".join(f"{k} {v}" for k, v in self.cases.items())
        spent = "，".join(f"{k.split('.', 1)[1]} {v:.1f}s" for k, v in self.timings.items())
        return [
            f"监测演示：排查轮次 {self.rounds}，走访 {self.visits} 户次，问题 {self.problems} 个，"
            f"部门数据文件 {self.department_files} 个，筛查 {self.rule_runs} 次，"
            f"月度研判 {self.analyses} 次",
            f"  线索：{clue_text}",
            f"  程序：{case_text}",
            f"  用时：{spent}",
        ]


# --- the demo clock ---------------------------------------------------------------------------


@contextmanager
def demo_clock(moment: datetime.datetime):
    """Run the enclosed actions as if it were ``moment``: django.utils.timezone.now() (and so
    localdate(), model defaults and audit timestamps) answer that instant."""
    real = django_timezone.datetime

    class _Frozen(real):
        @classmethod
        def now(cls, tz=None):
            return moment.astimezone(tz) if tz is not None else moment.replace(tzinfo=None)

    django_timezone.datetime = _Frozen
    try:
        yield
    finally:
        django_timezone.datetime = real


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LOCAL_TZ)


class Agenda:
    """Work to do, by day and hour, run in time order under the demo clock."""

    def __init__(self):
        self._queue: list = []
        self._order = itertools.count()
        self.spent: Counter = Counter()  # seconds per kind of work, for the build's timings

    def add(self, day: datetime.date, hour: int, work, *args) -> None:
        heapq.heappush(self._queue, (_at(day, hour), next(self._order), work, args))

    def run(self) -> None:
        """Each day's work in one transaction, as a day's actions committed together: the
        actions are atomic themselves (savepoints inside the day), and a failure stops the
        build anyway. Work added for the same day joins it."""
        while self._queue:
            day = self._queue[0][0].date()
            with transaction.atomic():
                while self._queue and self._queue[0][0].date() == day:
                    self._run_next()

    def _run_next(self) -> None:
        moment, _, work, args = heapq.heappop(self._queue)
        started = time.perf_counter()
        with demo_clock(moment):
            work(*args)
        self.spent[work.__name__] += time.perf_counter() - started


# --- choosing the households ----------------------------------------------------------------


@dataclass(frozen=True)
class Home:
    pk: int
    village_id: int
    category: str
    size: int
    dibao: bool


def pick_with_sum(candidates: list[Home], count: int, total: int) -> list[Home] | None:
    """The first (in candidate order) ``count`` households whose sizes sum to ``total``."""
    # reachable[i][k] = sums reachable with k households from candidates[i:]
    n = len(candidates)
    reachable = [[set() for _ in range(count + 1)] for _ in range(n + 1)]
    reachable[n][0].add(0)
    for i in range(n - 1, -1, -1):
        size = candidates[i].size
        for k in range(count + 1):
            reachable[i][k] = set(reachable[i + 1][k])
            if k:
                reachable[i][k] |= {s + size for s in reachable[i + 1][k - 1] if s + size <= total}
    if total not in reachable[0][count]:
        return None
    chosen, k, rest = [], count, total
    for i in range(n):
        if k and rest - candidates[i].size in reachable[i + 1][k - 1]:
            chosen.append(candidates[i])
            k, rest = k - 1, rest - candidates[i].size
    return chosen


def _homes() -> list[Home]:
    sizes = Counter(
        Person.objects.filter(status=PersonStatus.ACTIVE).values_list("household_id", flat=True)
    )
    dibao = set(
        Person.objects.filter(status=PersonStatus.ACTIVE, receives_dibao=True).values_list(
            "household_id", flat=True
        )
    ) | set(
        Person.objects.filter(status=PersonStatus.ACTIVE, receives_tekun=True).values_list(
            "household_id", flat=True
        )
    )
    rows = Household.objects.filter(status=HouseholdStatus.ACTIVE).order_by("number")
    return [
        Home(pk, village_id, category, sizes.get(pk, 0), pk in dibao)
        for pk, village_id, category in rows.values_list("pk", "village_id", "category")
    ]


@dataclass
class Plan:
    cadre: list[Home]  # lifted, approved
    declared: list[Home]  # general, approved
    department: list[Home]  # general, approved
    extra_lifted: list[Home]  # lifted, for the other outcomes
    extra_general: list[Home]


def choose(rng: random.Random, homes: list[Home]) -> Plan:
    lifted = [h for h in homes if h.category == HouseholdCategory.LIFTED and 2 <= h.size <= 7]
    general = [
        h
        for h in homes
        if h.category == HouseholdCategory.GENERAL and 2 <= h.size <= 7 and not h.dibao
    ]
    rng.shuffle(lifted)
    rng.shuffle(general)
    n_cadre = len(CADRE_DAYS)
    n_general = NEW_HOUSEHOLDS - n_cadre
    # Prefer 4- and 5-person households; fall back to any size when the town is small.
    for lifted_sum in _around(round(NEW_PEOPLE * n_cadre / NEW_HOUSEHOLDS)):
        cadre = pick_with_sum(_prefer(lifted), n_cadre, lifted_sum)
        others = pick_with_sum(_prefer(general), n_general, NEW_PEOPLE - lifted_sum)
        if cadre and others:
            break
    else:
        raise RuntimeError("the town is too small for the monitoring demo (18 households)")
    rest_lifted = [h for h in lifted if h not in cadre]
    rest_general = [h for h in general if h not in others]
    n_declared = len(DECLARED_DAYS)
    return Plan(
        cadre=cadre,
        declared=others[:n_declared],
        department=others[n_declared:],
        extra_lifted=rest_lifted,
        extra_general=rest_general,
    )


def _around(centre: int):
    yield centre
    for step in range(1, 15):
        yield centre - step
        yield centre + step


def _prefer(homes: list[Home]) -> list[Home]:
    return [h for h in homes if h.size in (4, 5)] + [h for h in homes if h.size not in (4, 5)]


# --- the work -------------------------------------------------------------------------------


class MonitoringDemo:
    def __init__(self, *, seed: int, users: dict, workdir: Path, visit_share: float):
        self.rng = random.Random(seed * 7919 + 11)
        self.users = users
        self.township = Area.objects.get(code=TOWNSHIP_CODE)
        self.villages = list(villages_under(self.township))
        self.cadres = create_village_cadres(self.villages)
        self.workdir = workdir
        self.visit_share = visit_share
        self.agenda = Agenda()
        self.summary = MonitoringDemoSummary()
        # household pk -> (day, outcome of its case, risk types) of visits reporting a clue
        self.visit_clues: dict[int, tuple[datetime.date, str, list]] = {}
        self.chosen: Plan | None = None
        self.department_chosen: set[int] = set()  # approved from the March screening
        self.planned_later: set[int] = set()  # brought in by a visit or a declaration
        self.june_department: list[int] = []  # risks revealed by the June files
        # read once per round when it opens (the visit action re-reads the round under its
        # lock); plain visits only need a household's pk, number and village
        self.rounds: dict[int, object] = {}
        self.round_households: dict[int, dict[int, Household]] = {}

    @property
    def township_officer(self):
        return self.users["township_officer"]

    @property
    def district_officer(self):
        return self.users["district_officer"]

    def cadre_of(self, household) -> object:
        return self.cadres[household.village_id]

    # -- plan ------------------------------------------------------------------------------

    def plan(self) -> None:
        plan = self.chosen = choose(self.rng, _homes())
        outcomes = ["approve"] * len(plan.cadre)
        outcomes[1] = "approve_returned"  # returned once by the township, then continued
        outcomes[4] = "approve_late"  # approved after the 15-day limit
        for (month, day), home, outcome in zip(CADRE_DAYS, plan.cadre, outcomes, strict=True):
            self.visit_clues[home.pk] = (
                datetime.date(2023, month, day),
                outcome,
                ["illness"] if month % 2 else ["unsafe_housing"],
            )
        extra = iter(plan.extra_lifted)
        # a village review without a majority; an overdue case still open at the end of June
        self.visit_clues[next(extra).pk] = (
            datetime.date(2023, 2, 16),
            "village_reject",
            ["illness"],
        )
        self.visit_clues[next(extra).pk] = (datetime.date(2023, 6, 3), "stuck", ["illness"])
        for day in (
            datetime.date(2023, 3, 14),
            datetime.date(2023, 4, 20),
            datetime.date(2023, 5, 23),
        ):
            self.visit_clues[next(extra).pk] = (day, "dismiss", ["illness"])
        for (month, day), home in zip(DECLARED_DAYS, plan.declared, strict=True):
            self.agenda.add(datetime.date(2023, month, day), 10, self.declare, home.pk, "approve")
        general = iter(plan.extra_general)
        self.agenda.add(datetime.date(2023, 3, 2), 11, self.declare, next(general).pk, "dismiss")
        self.agenda.add(datetime.date(2023, 5, 4), 9, self.declare, next(general).pk, "dismiss")
        self.agenda.add(datetime.date(2023, 6, 21), 15, self.declare, next(general).pk, "open")
        self.agenda.add(datetime.date(2023, 1, 30), 15, self.declare, next(general).pk, "dismiss")
        self.department_chosen = {h.pk for h in plan.department}
        self.planned_later = set(self.visit_clues) | {h.pk for h in plan.declared}
        self.june_department = [next(general).pk for _ in range(3)]
        for month in MONTHS:
            self.agenda.add(month, 8, self.open_rounds, month)
            following = (month + datetime.timedelta(days=32)).replace(day=1)
            self.agenda.add(following + datetime.timedelta(days=1), 9, self.analyse, month)
        self.agenda.add(datetime.date(2023, 3, 30), 16, self.upload, DEPARTMENT_RUNS[0])
        self.agenda.add(datetime.date(2023, 3, 31), 17, self.screen, DEPARTMENT_RUNS[0])
        self.agenda.add(datetime.date(2023, 6, 29), 16, self.upload, DEPARTMENT_RUNS[1])
        self.agenda.add(datetime.date(2023, 6, 30), 17, self.screen, DEPARTMENT_RUNS[1])

    # -- screening rounds and visits ---------------------------------------------------------

    def open_rounds(self, month: datetime.date) -> None:
        for village in self.villages:
            round_ = screening_actions.do_open_round(village, month, actor=self.cadres[village.pk])
            self.summary.rounds += 1
            self.rounds[round_.pk] = round_
            targets = round_.target_households.order_by("number").values_list("pk", flat=True)
            full = village.code in FULL_VISIT_VILLAGES
            visited = []
            for pk in targets:
                planned = self.visit_clues.get(pk)
                if planned and planned[0].replace(day=1) == month:
                    self.agenda.add(planned[0], 10, self.visit, round_.pk, pk, planned)
                elif full or self.rng.random() < self.visit_share:
                    day = month + datetime.timedelta(days=self.rng.randint(1, 22))
                    hour = self.rng.choice((9, 14, 16))
                    self.agenda.add(day, hour, self.visit, round_.pk, pk, None)
                    visited.append(pk)
            self.round_households[round_.pk] = Household.objects.in_bulk(visited)

    def visit(self, round_pk: int, household_pk: int, planned) -> None:
        round_ = self.rounds[round_pk]
        if planned:  # the clue's checks read the household as it is today
            household = Household.objects.get(pk=household_pk)
        else:
            household = self.round_households[round_pk][household_pk]
        cadre = self.cadres[round_.village_id]
        today = django_timezone.localdate()
        checks, problems, notes, income = {}, [], "", "stable"
        roll = self.rng.random()
        if planned:
            _, outcome, risks = planned
            if "illness" in risks:
                checks["medical"] = False
                notes = "家庭成员患病住院，自付医疗费用较高，收入明显减少"
            else:
                checks["housing"] = False
                notes = "房屋出现裂缝，存在安全隐患，家庭无力修缮"
            income = "decreased"
        elif roll < 0.04:
            kind = self.rng.choice(list(PROBLEM_TEXT))
            checks[kind] = False
            problems.append(
                {
                    "kind": kind,
                    "description": PROBLEM_TEXT[kind],
                    "owner": PROBLEM_OWNER[kind],
                    "deadline_on": today + datetime.timedelta(days=30),
                }
            )
        elif roll < 0.30:
            income = "increased"
        visit = screening_actions.do_record_visit(
            round_,
            household,
            actor=cadre,
            visited_on=today,
            visitors=[cadre.display_name or cadre.username, "驻村工作队员"],
            checks=checks,
            income_change=income,
            rigid_spending=8000 if planned else 0,
            notes=notes,
            report_clue=bool(planned),
            risk_types=planned[2] if planned else (),
            problems=problems,
        )
        self.summary.visits += 1
        for problem in visit.new_problems:
            self.summary.problems += 1
            self.schedule_problem(problem, today)
        if visit.clue is not None:
            self.follow_clue(visit.clue, planned[1], today)

    def schedule_problem(self, problem: Problem, found_on: datetime.date) -> None:
        if self.rng.random() < 0.25:
            return  # still open (some overdue by the end of June)
        fixed_on = found_on + datetime.timedelta(days=self.rng.randint(10, 28))
        self.agenda.add(
            found_on + datetime.timedelta(days=3), 15, self.advance, problem.pk, "in_progress"
        )
        self.agenda.add(fixed_on, 15, self.advance, problem.pk, "fixed")
        self.agenda.add(
            fixed_on + datetime.timedelta(days=4), 10, self.advance, problem.pk, "verified"
        )

    def advance(self, problem_pk: int, status: str) -> None:
        if django_timezone.localdate() > H1_END:
            return
        problem = Problem.objects.select_related("household").get(pk=problem_pk)
        actor = (
            self.township_officer
            if status == ProblemStatus.VERIFIED
            else self.cadre_of(problem.household)
        )
        resolution = PROBLEM_FIX[problem.kind] if status == ProblemStatus.FIXED else ""
        problem_actions.do_advance_problem(
            problem,
            actor=actor,
            status=status,
            on=django_timezone.localdate(),
            resolution=resolution,
        )

    # -- self-declarations -----------------------------------------------------------------

    def declare(self, household_pk: int, outcome: str) -> None:
        household = Household.objects.select_related("village").get(pk=household_pk)
        head = household.members.filter(relation=Relation.HEAD).first() or household.members.first()
        today = django_timezone.localdate()
        clue = clue_actions.do_submit_self_declaration(
            name=head.name,
            id_number=head.id_number,
            village=household.village,
            phone=head.phone or household.phone,
            risk_types=["illness"],
            description="家中有人患重病，医疗费用负担重，申请纳入监测帮扶。",
            ip=f"10.{household.pk % 250}.{household.pk // 250 % 250}.{self.rng.randint(1, 250)}",
            reported_on=today,
        )
        if clue is not None and clue.status == ClueStatus.NEW:
            self.follow_clue(clue, outcome, today)

    # -- department data and the screening engine ------------------------------------------

    def upload(self, period: datetime.date) -> None:
        for department, rows in department_rows(self, period).items():
            path = self.workdir / f"{department}-{period:%Y-%m}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            write_csv(path, department, rows)
            result = import_department_file(
                path,
                department=department,
                area=self.township,
                period=period,
                actor=self.users["data_clerk"],
            )
            if not result.ok:
                raise RuntimeError(f"department file {path.name}: {result.errors[:3]}")
            self.summary.department_files += 1

    def screen(self, period: datetime.date) -> None:
        run = run_screening(self.township, period, actor=self.township_officer)
        self.summary.rule_runs += 1
        today = django_timezone.localdate()
        filed = Clue.objects.filter(rule_hit__run=run, status=ClueStatus.NEW).select_related(
            "rule_hit"
        )
        for clue in filed.order_by("pk"):
            if clue.household_id in self.department_chosen:
                self.follow_clue(clue, "approve", today)
            elif period == DEPARTMENT_RUNS[0]:
                # checked by the village within days; a household the demo brings in later
                # by another line is cleared first, so its later clue is not a duplicate
                later = clue.household_id in self.planned_later
                self.agenda.add(
                    today + datetime.timedelta(days=1 if later else self.rng.randint(3, 12)),
                    11,
                    self.dismiss,
                    clue.pk,
                    DISMISS_REASONS.get(clue.rule_hit.rule_code, DISMISS_DEFAULT),
                )
            # the clues of the June run are checked in July

    def dismiss(self, clue_pk: int, reason: str) -> None:
        clue = Clue.objects.select_related("village").get(pk=clue_pk)
        if clue.status in (ClueStatus.NEW, ClueStatus.VERIFYING):
            clue_actions.do_dismiss_clue(clue, actor=self.cadres[clue.village_id], reason=reason)

    # -- cases ---------------------------------------------------------------------------

    def follow_clue(self, clue: Clue, outcome: str, day: datetime.date) -> None:
        if outcome == "dismiss":
            self.agenda.add(
                day + datetime.timedelta(days=4), 10, self.dismiss, clue.pk, CADRE_DISMISS
            )
            return
        self.agenda.add(day + datetime.timedelta(days=1), 10, self.open_case, clue.pk, outcome)

    def open_case(self, clue_pk: int, outcome: str) -> None:
        clue = Clue.objects.select_related("household").get(pk=clue_pk)
        cadre = self.cadre_of(clue.household)
        case = case_actions.do_open_identification_case(clue, actor=cadre)
        step = self.step_at(case.pk)
        step(1, 15, "verify")
        if outcome in ("stuck", "open"):
            return  # still open at the end of June
        step(3, 10, "review", outcome == "village_reject")
        if outcome == "village_reject":
            return
        step(4, 16, "notice")
        review_day = 11  # the notice ends 5 days after posting (day 4 + 5 = day 9)
        if outcome == "approve_returned":
            step(10, 10, "return")
            step(11, 9, "notice")
            review_day = 17
        step(review_day, 10, "township")
        step(review_day + (6 if outcome == "approve_late" else 2), 15, "approve")

    def step_at(self, case_pk: int):
        opened = django_timezone.localdate()

        def add(days: int, hour: int, name: str, *args) -> None:
            self.agenda.add(
                opened + datetime.timedelta(days=days), hour, self.case_step, case_pk, name, *args
            )

        return add

    def case_step(self, case_pk: int, name: str, *args) -> None:
        case = MonitoringCase.objects.select_related("household__village").get(pk=case_pk)
        cadre = self.cadre_of(case.household)
        today = django_timezone.localdate()
        if name == "verify":
            case_actions.do_record_home_verification(
                case,
                actor=cadre,
                verified_on=today,
                verifiers=[cadre.display_name or cadre.username, "驻村第一书记", "村民小组长"],
                notes="入户核实：家庭收入、支出与申报情况基本一致。",
            )
        elif name == "review":
            attendees = self.rng.randint(11, 17)
            if args and args[0]:  # the village does not agree
                votes_for, votes_against = 3, attendees - 4
            else:
                votes_against = self.rng.randint(0, 2)
                votes_for = attendees - votes_against
            case_actions.do_record_village_review(
                case,
                actor=cadre,
                meeting_on=today,
                attendees=attendees,
                votes_for=votes_for,
                votes_against=votes_against,
                minutes="村民代表会议民主评议。",
            )
        elif name == "notice":
            case_actions.do_post_notice(case, actor=cadre, posted_on=today)
        elif name == "return":
            case_actions.do_return_case(
                case, actor=self.township_officer, reason="公示未附村民小组长签字，请重新公示。"
            )
        elif name == "township":
            case_actions.do_township_review(case, actor=self.township_officer, reviewed_on=today)
        elif name == "approve":
            case_actions.do_approve_case(case, actor=self.district_officer, approved_on=today)

    # -- monthly analysis --------------------------------------------------------------------

    def analyse(self, month: datetime.date) -> None:
        officer = self.township_officer
        analysis = analysis_actions.do_draft_analysis(self.township, month, actor=officer)
        analysis = analysis_actions.do_record_meeting(
            analysis,
            actor=officer,
            meeting_on=django_timezone.localdate(),
            attendees="镇党委副书记、镇乡村振兴办主任、各村党支部书记、驻村第一书记",
            decisions=f"{month.month}月排查发现的问题限期整改；新增线索按期完成识别程序。",
            follow_ups="镇乡村振兴办跟踪整改进度，下次研判会通报。",
        )
        analysis_actions.do_finalize_analysis(analysis, actor=officer)
        self.summary.analyses += 1


PROBLEM_TEXT = {
    "housing": "房屋墙体开裂，屋面漏雨",
    "water": "自来水压不足，高峰时段断水",
    "medical": "家庭成员未参加本年度城乡居民医保",
}
PROBLEM_OWNER = {"housing": "镇村建办", "water": "镇水管站", "medical": "镇医保站"}
PROBLEM_FIX = {
    "housing": "已完成危房维修加固",
    "water": "已更换入户管道，供水正常",
    "medical": "已代缴并办理参保",
}
CADRE_DISMISS = "经入户核实，医疗费用已由基本医保和大病保险报销，家庭收入稳定，无返贫致贫风险。"
DISMISS_REASONS = {
    "income_near_line": "经入户核实，家庭收入稳定，刚性支出不大，暂无返贫致贫风险。",
    "income_below_line": "经核实，家庭已享受低保兜底，人均收入高于监测范围，无新增风险。",
    "no_basic_medical_insurance": "经核实，已动员参加城乡居民医保并完成缴费。",
}
DISMISS_DEFAULT = "经入户核实，部门数据所列情况已消除，暂无返贫致贫风险。"


# --- department files -----------------------------------------------------------------------


def department_rows(demo: MonitoringDemo, period: datetime.date) -> dict[str, list[list]]:
    """Rows of the files the departments send for ``period``: background records for a share
    of the town plus the records that reveal the chosen households' risks."""
    rng = demo.rng
    members = list(
        Person.objects.filter(status=PersonStatus.ACTIVE, household__village__in=demo.villages)
        .order_by("pk")
        .values_list("pk", "household_id", "relation")
    )
    sample = rng.sample(members, min(len(members), max(20, len(members) // 60)))
    if period == DEPARTMENT_RUNS[0]:
        chosen = [h.pk for h in demo.chosen.department]
        sick, house, dibao = chosen[:3], chosen[3:4], chosen[4:]
    else:
        june = demo.june_department
        sick, house, dibao = june[:1], june[1:2], june[2:]
    wanted = set(sick + house + dibao) | {hh for _, hh, _ in sample}
    head_rows = [pk for pk, hh, rel in members if rel == Relation.HEAD and hh in wanted]
    people = {
        pk: (hh, name, number)
        for pk, hh, name, number in Person.objects.filter(
            pk__in=[pk for pk, _, _ in sample] + head_rows
        ).values_list("pk", "household_id", "name", "id_number")
    }
    heads = {people[pk][0]: people[pk][1:] for pk in head_rows}
    months = [period - datetime.timedelta(days=1), period] if period.month == 3 else [period]
    months = [m.replace(day=1) for m in months]
    medical = [
        [number, name, f"{rng.choice(months):%Y-%m}", f"{total:.2f}", f"{total * 0.3:.2f}"]
        for pk, _, _ in sample
        for _, name, number in [people[pk]]
        for total in [rng.randint(300, 6000)]
    ]
    housing = [
        [heads[hh][1], heads[hh][0], f"{period:%Y-%m}", rng.choice("AAAB")]
        for _, hh, _ in sample[: len(sample) // 3]
        if hh in heads and hh not in house
    ]
    civil = [
        [people[pk][2], people[pk][1], f"{period:%Y-%m}", "低保新增"] for pk, _, _ in sample[:3]
    ]
    for hh in sick:
        name, number = heads[hh]
        for month, total in zip(months, (38000, 31000), strict=False):
            medical.append([number, name, f"{month:%Y-%m}", f"{total:.2f}", f"{total * 0.42:.2f}"])
        if len(months) == 1:
            medical.append([number, name, f"{months[0]:%Y-%m}", "70000.00", "26000.00"])
    for hh in house:
        name, number = heads[hh]
        housing.append([number, name, f"{period:%Y-%m}", "D" if period.month == 3 else "C"])
    for hh in dibao:
        name, number = heads[hh]
        civil.append([number, name, f"{period:%Y-%m}", "低保退出"])
    return {
        Department.MEDICAL_INSURANCE: medical,
        Department.HOUSING: housing,
        Department.CIVIL_AFFAIRS: civil,
    }


def write_csv(path: Path, department: str, rows: list[list]) -> None:
    from zhenwu.monitoring.department.spec import TEMPLATES

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TEMPLATES[department].headers)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


# --- entry point ----------------------------------------------------------------------------


def build_monitoring_demo(
    *,
    users: dict,
    seed: int = 2023,
    workdir: Path | None = None,
    visit_share: float = 1.0,
    stdout=None,
) -> MonitoringDemoSummary:
    """Replay January–June 2023 of 沙地镇's monitoring work through the real actions."""
    out = stdout or sys.stdout
    out.write(
        "回放沙地镇 2023 年 1—6 月的防返贫监测工作（排查、申报、部门数据、识别程序、研判）…\n"
    )
    timings: dict[str, float] = {}
    started = time.perf_counter()
    load_parameters_csv()
    demo = MonitoringDemo(
        seed=seed,
        users=users,
        workdir=(workdir or settings.ZHENWU_HOME / "demo") / "department",
        visit_share=visit_share,
    )
    demo.plan()
    timings["monitoring.plan"] = time.perf_counter() - started
    started = time.perf_counter()
    demo.agenda.run()
    for name, seconds in demo.agenda.spent.most_common():
        timings[f"monitoring.{name}"] = seconds
    summary = demo.summary
    summary.timings = timings
    clues = Clue.objects.filter(village__in=demo.villages)
    summary.clues = {
        str(Channel(c).label): n
        for c, n in Counter(clues.values_list("channel", flat=True)).most_common()
    }
    summary.cases = dict(
        Counter(
            MonitoringCase.objects.filter(household__village__in=demo.villages).values_list(
                "status", flat=True
            )
        )
    )
    return summary

"""The assistance demo for 沙地镇, January–June 2023 (issue 4 item 7, DEMO.md): loans, public-
welfare jobs with six monthly payrolls, and transport subsidies, produced ONLY through the
ledgers' actions (issue, assign, attend, build, approve, export, pay) under the demo clock.
No total and no status is ever written directly; the figures are what the statistics
compute from the rows the actions wrote.

Targets of the full town (11,000 households): 105 borrowers and 5,120,000 yuan issued
(100 × 50,000 + 5 × 24,000); 288 people in public-welfare jobs at 500 yuan per month, paid
six times (Jan–Jun; prepared by the township officer, approved, exported and marked paid by
the district officer: maker ≠ checker); 615 transport-subsidy recipients, 215,900 yuan. The
transport mix follows the sample settings (县内 200, 省内 300, 省外 500 yuan) and the
members' work places: the fewest in-county workers, then as many in-province as the town
has (e.g. 458 × 300 + 157 × 500, or 40 × 200 + 398 × 300 + 177 × 500).

People are chosen deterministically (seeded) from the town's 脱贫户/监测户: job holders
aged 18–60 who do not work away from home, one per household; borrowers aged 20–58, one
per household; transport recipients with a work place outside the township and ≥ 3 months
of work. A smaller town has fewer such people: each target is then cut to what the town
has (``DemoTargets.fit``), and the summary says so (the figures stay exact for the cut
targets; the full figures need about 6,000 households).
"""

import datetime
import random
import sys
import time
from dataclasses import dataclass, field, replace
from decimal import Decimal

from zhenwu.areas.models import Area
from zhenwu.areas.selectors import villages_under
from zhenwu.assistance.actions.jobs import (
    do_assign_job,
    do_build_payroll,
    do_create_post,
    do_record_attendance_sheet,
)
from zhenwu.assistance.actions.loans import do_issue_loan
from zhenwu.assistance.actions.payments import do_approve_batch, do_mark_paid, export_bank_file
from zhenwu.assistance.actions.transport import (
    do_apply_transport_subsidy,
    do_approve_application,
    do_build_transport_batch,
    do_verify_application,
)
from zhenwu.assistance.choices import Destination, FundingLevel, SettingKey
from zhenwu.assistance.parameters import load_sample_settings, setting_value
from zhenwu.demo.accounts import create_village_cadres
from zhenwu.demo.generator import TOWNSHIP_CODE
from zhenwu.demo.monitoring import Agenda
from zhenwu.lib.ids import age_on
from zhenwu.registry.choices import (
    HouseholdCategory,
    HouseholdStatus,
    LabourCapacity,
    PersonStatus,
    WorkPlace,
)
from zhenwu.registry.models import Person

D = datetime.date
YEAR = 2023
MONTHS = [D(YEAR, month, 1) for month in range(1, 7)]
JOB_START = D(YEAR, 1, 1)
LOAN_FULL, LOAN_SMALL, LOAN_SMALL_COUNT = Decimal("50000"), Decimal("24000"), 5
ELIGIBLE = (HouseholdCategory.LIFTED, HouseholdCategory.MONITORED)
AWAY = {
    WorkPlace.IN_COUNTY: Destination.IN_COUNTY,
    WorkPlace.IN_PROVINCE: Destination.IN_PROVINCE,
    WorkPlace.OUT_OF_PROVINCE: Destination.OUT_OF_PROVINCE,
}
AMOUNT_KEYS = {
    Destination.IN_COUNTY: SettingKey.TRANSPORT_IN_COUNTY,
    Destination.IN_PROVINCE: SettingKey.TRANSPORT_IN_PROVINCE,
    Destination.OUT_OF_PROVINCE: SettingKey.TRANSPORT_OUT_OF_PROVINCE,
}
NO_LABOUR = {LabourCapacity.LOST, LabourCapacity.NONE}
POST_TYPES = ["保洁员", "护路员", "护林员", "水管员"]
BANKS = ["赣州农村商业银行沙地支行", "中国邮政储蓄银行赣县区支行"]
PURPOSES = ["脐橙种植", "生猪养殖", "油茶种植", "蔬菜种植", "肉牛养殖", "甜叶菊种植"]
EMPLOYERS = {
    Destination.IN_COUNTY: ["赣县区稀土产业园某公司", "赣县区电子厂"],
    Destination.IN_PROVINCE: ["南昌某电子有限公司", "赣州经开区某制造企业", "吉安某服装厂"],
    Destination.OUT_OF_PROVINCE: ["东莞某电子厂", "深圳某物流公司", "厦门某建筑公司"],
}


@dataclass(frozen=True)
class DemoTargets:
    borrowers: int = 105
    job_people: int = 288
    job_rate: Decimal = Decimal("500")
    transport_people: int = 615
    transport_total: Decimal = Decimal("215900")

    @property
    def loan_amounts(self) -> list[Decimal]:
        """50,000 each, the last five 24,000 (105 loans: 5,120,000 yuan)."""
        small = min(LOAN_SMALL_COUNT, self.borrowers)
        return [LOAN_FULL] * (self.borrowers - small) + [LOAN_SMALL] * small

    @property
    def loan_total(self) -> Decimal:
        return sum(self.loan_amounts, Decimal("0"))

    def fit(self, borrowers: int, job_people: int, transport_people: int) -> "DemoTargets":
        """Cut each target to the people the town has; a cut transport target pays whoever
        it takes at their destination's rate (no exact total)."""
        fitted = self
        if borrowers < self.borrowers:
            fitted = replace(fitted, borrowers=borrowers)
        if job_people < self.job_people:
            fitted = replace(fitted, job_people=job_people)
        if transport_people < self.transport_people:
            fitted = replace(fitted, transport_people=transport_people, transport_total=None)
        return fitted


@dataclass
class AssistanceDemoSummary:
    targets: DemoTargets
    loans: int = 0
    loan_total: Decimal = Decimal("0")
    job_people: int = 0
    payrolls: int = 0
    payroll_total: Decimal = Decimal("0")
    transport_people: int = 0
    transport_total: Decimal = Decimal("0")
    transport_mix: dict = field(default_factory=dict)
    cut: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        mix = "，".join(f"{label} {n} 人" for label, n in self.transport_mix.items())
        lines = [
            f"帮扶演示：发放贷款 {self.loans} 笔，{self.loan_total:,.2f} 元；公益性岗位 "
            f"{self.job_people} 人，发放工资 {self.payrolls} 批，{self.payroll_total:,.2f} 元；"
            f"交通补贴 {self.transport_people} 人，{self.transport_total:,.2f} 元（{mix}）",
        ]
        if self.cut:
            lines.append("  户数较少：符合条件的人员不足，演示目标已按本镇人数缩减。")
        spent = "，".join(f"{name} {sec:.1f}s" for name, sec in self.timings.items())
        return lines + [f"  用时：{spent}"]


# --- choosing the people ------------------------------------------------------------------


def _eligible_people(township: Area) -> list[Person]:
    return list(
        Person.objects.filter(
            household__village__path__startswith=township.path,
            household__category__in=ELIGIBLE,
            household__status=HouseholdStatus.ACTIVE,
            status=PersonStatus.ACTIVE,
        )
        .select_related("household__village")
        .order_by("household__number", "birth_date", "pk")
    )


def _one_per_household(people: list[Person], accept) -> list[Person]:
    chosen, seen = [], set()
    for person in people:
        if person.household_id not in seen and accept(person):
            seen.add(person.household_id)
            chosen.append(person)
    return chosen


def job_candidates(people: list[Person]) -> list[Person]:
    def accept(person):
        age = age_on(person.birth_date, JOB_START)
        stays = person.work_place in ("", WorkPlace.IN_TOWNSHIP)
        return 18 <= age <= 60 and stays and person.labour_capacity not in NO_LABOUR

    return _one_per_household(people, accept)


def loan_candidates(people: list[Person]) -> list[Person]:
    return _one_per_household(
        people, lambda person: 20 <= age_on(person.birth_date, JOB_START) <= 58
    )


def transport_candidates(people: list[Person]) -> dict[str, list[Person]]:
    pools: dict[str, list[Person]] = {destination: [] for destination in AMOUNT_KEYS}
    for person in people:
        if person.work_place in AWAY and (person.work_months or 0) >= 3:
            pools[AWAY[person.work_place]].append(person)
    return pools


def transport_mix(
    pools: dict[str, int], amounts: dict[str, Decimal], people: int, total: Decimal | None
) -> dict[str, int] | None:
    """How many of each destination make ``people`` recipients and ``total`` yuan: the
    fewest in-county, then the most in-province. ``total`` None: the dearest ``people``
    are not wanted, so take in-province first, then out-of-province, then in-county."""
    near, middle, far = Destination.IN_COUNTY, Destination.IN_PROVINCE, Destination.OUT_OF_PROVINCE
    if total is None:
        mix, left = {}, people
        for destination in (middle, far, near):
            mix[destination] = min(left, pools[destination])
            left -= mix[destination]
        return mix if left == 0 else None
    for count_near in range(min(pools[near], people) + 1):
        rest = people - count_near
        remaining = total - amounts[near] * count_near
        # amounts[middle] * m + amounts[far] * (rest - m) == remaining
        numerator = amounts[far] * rest - remaining
        step = amounts[far] - amounts[middle]
        if step <= 0 or numerator % step:
            continue
        count_middle = int(numerator / step)
        count_far = rest - count_middle
        if 0 <= count_middle <= pools[middle] and 0 <= count_far <= pools[far]:
            return {near: count_near, middle: count_middle, far: count_far}
    return None


# --- the replay -------------------------------------------------------------------------------


class AssistanceDemo:
    def __init__(self, *, users: dict, seed: int, targets: DemoTargets):
        self.township = Area.objects.get(code=TOWNSHIP_CODE)
        self.preparer = users["township_officer"]
        self.approver = users["district_officer"]
        self.rng = random.Random(f"assistance-{seed}")
        self.cadres = create_village_cadres(list(villages_under(self.township)))
        self.agenda = Agenda()
        self.requested = targets
        self.summary = AssistanceDemoSummary(targets=targets)
        self.assignments: list = []
        self.applications: list = []
        self.batches: dict = {}

    def plan(self) -> None:
        people = _eligible_people(self.township)
        jobs, loans = job_candidates(people), loan_candidates(people)
        pools = transport_candidates(people)
        targets = self.requested.fit(len(loans), len(jobs), sum(map(len, pools.values())))
        amounts = {
            destination: setting_value(self.township, key, D(YEAR, 6, 1))
            for destination, key in AMOUNT_KEYS.items()
        }
        counts = {destination: len(pool) for destination, pool in pools.items()}
        mix = transport_mix(counts, amounts, targets.transport_people, targets.transport_total)
        if mix is None:  # no exact mix with these pools: pay whoever the pools give
            mix = transport_mix(counts, amounts, targets.transport_people, None)
        self.summary.targets = targets
        self.summary.cut = targets != self.requested
        self._plan_loans(self.rng.sample(loans, targets.borrowers), targets)
        self._plan_jobs(sorted(self.rng.sample(jobs, targets.job_people), key=_home_order))
        chosen = [
            (person, destination)
            for destination, count in mix.items()
            for person in self.rng.sample(pools[destination], count)
        ]
        self._plan_transport(sorted(chosen, key=lambda item: _home_order(item[0])))

    # loans: spread over the half-year's working days
    def _plan_loans(self, borrowers: list[Person], targets: DemoTargets) -> None:
        days = _working_days(D(YEAR, 1, 9), D(YEAR, 6, 20))
        for index, (person, amount) in enumerate(zip(borrowers, targets.loan_amounts, strict=True)):
            day = days[index * len(days) // len(borrowers)]
            self.agenda.add(day, 10, self.issue_loan, person, amount, index + 1, day)

    def issue_loan(self, person: Person, amount: Decimal, number: int, day: D) -> None:
        loan = do_issue_loan(
            actor=self.preparer,
            borrower=person,
            bank=BANKS[number % len(BANKS)],
            contract_number=f"XDT-{YEAR}-{number:04d}",
            amount=amount,
            issued_on=day,
            term_months=36,
            annual_rate=Decimal("0.0365"),
            purpose=PURPOSES[number % len(PURPOSES)],
        )
        self.summary.loans += 1
        self.summary.loan_total += loan.amount

    # jobs: posts and assignments on 3 January, attendance at each month's end, payroll
    # built on the 5th, approved and exported on the 6th, paid on the 10th
    def _plan_jobs(self, holders: list[Person]) -> None:
        self.agenda.add(D(YEAR, 1, 3), 9, self.open_posts, holders)
        for month in MONTHS:
            last = _month_end(month)
            self.agenda.add(last, 17, self.record_attendance, month)
            following = D(YEAR, month.month + 1, 1)
            self.agenda.add(following.replace(day=5), 9, self.build_payroll, month)
            self.agenda.add(following.replace(day=6), 10, self.approve_export, month)
            self.agenda.add(following.replace(day=10), 15, self.pay, month)

    def open_posts(self, holders: list[Person]) -> None:
        by_village: dict[int, list[Person]] = {}
        for person in holders:
            by_village.setdefault(person.household.village_id, []).append(person)
        for people in by_village.values():
            village = people[0].household.village
            for index, post_type in enumerate(POST_TYPES):
                share = people[index :: len(POST_TYPES)]
                if not share:
                    continue
                post = do_create_post(
                    actor=self.preparer,
                    village=village,
                    post_type=post_type,
                    funding_level=FundingLevel.DISTRICT,
                    monthly_subsidy=self.summary.targets.job_rate,
                    capacity=len(share),
                )
                for person in share:
                    self.assignments.append(
                        do_assign_job(post, person, actor=self.preparer, start_on=JOB_START)
                    )
        self.summary.job_people = len(self.assignments)

    def record_attendance(self, month: D) -> None:
        """Each village's cadre fills in the month's attendance sheet of the village."""
        sheets: dict[int, list] = {}
        for assignment in self.assignments:
            days = 20 + self.rng.randrange(7)
            sheets.setdefault(assignment.post.village_id, []).append((assignment, days, True))
        for village_id, entries in sheets.items():
            do_record_attendance_sheet(entries, actor=self.cadres[village_id], month=month)

    def build_payroll(self, month: D) -> None:
        self.batches[month] = do_build_payroll(self.township, month, actor=self.preparer)

    def approve_export(self, month: D) -> None:
        batch = do_approve_batch(self.batches[month], actor=self.approver)
        export_bank_file(batch, actor=self.approver)

    def pay(self, month: D) -> None:
        day = D(YEAR, month.month + 1, 10)
        batch = do_mark_paid(self.batches[month], actor=self.approver, paid_on=day)
        self.summary.payrolls += 1
        self.summary.payroll_total += batch.total_amount

    # transport: applications by the village cadres in May and June, verified by the
    # township, approved by the district, paid in one batch before the half-year ends
    def _plan_transport(self, chosen: list[tuple[Person, str]]) -> None:
        days = _working_days(D(YEAR, 5, 8), D(YEAR, 6, 9))
        for index, (person, destination) in enumerate(chosen):
            day = days[index * len(days) // max(len(chosen), 1)]
            self.agenda.add(day, 11, self.apply_transport, person, destination, day)
        self.agenda.add(D(YEAR, 6, 12), 9, self.verify_transport)
        self.agenda.add(D(YEAR, 6, 14), 9, self.approve_transport)
        self.agenda.add(D(YEAR, 6, 16), 9, self.build_transport)
        self.agenda.add(D(YEAR, 6, 19), 10, self.approve_export, "transport")
        self.agenda.add(D(YEAR, 6, 26), 15, self.pay_transport)
        self.summary.transport_mix = {
            str(Destination(d).label): sum(1 for _p, dest in chosen if dest == d)
            for d in AMOUNT_KEYS
            if any(dest == d for _p, dest in chosen)
        }

    def apply_transport(self, person: Person, destination: str, day: D) -> None:
        employers = EMPLOYERS[destination]
        application = do_apply_transport_subsidy(
            actor=self.cadres[person.household.village_id],
            person=person,
            year=YEAR,
            destination=destination,
            employer=employers[person.pk % len(employers)],
            months_worked=min(person.work_months, 5),
            evidence="务工证明、社保缴费记录",
            applied_on=day,
        )
        self.applications.append(application)

    def verify_transport(self) -> None:
        for application in self.applications:
            do_verify_application(application, actor=self.preparer)

    def approve_transport(self) -> None:
        for application in self.applications:
            do_approve_application(application, actor=self.approver)

    def build_transport(self) -> None:
        if self.applications:
            self.batches["transport"] = do_build_transport_batch(
                self.township, YEAR, actor=self.preparer
            )

    def pay_transport(self) -> None:
        if "transport" in self.batches:
            batch = do_mark_paid(
                self.batches["transport"], actor=self.approver, paid_on=D(YEAR, 6, 26)
            )
            self.summary.transport_people = batch.line_count
            self.summary.transport_total = batch.total_amount


def _home_order(person: Person) -> tuple:
    return (person.household.number, person.pk)


def _month_end(first: D) -> D:
    return D(first.year + first.month // 12, first.month % 12 + 1, 1) - datetime.timedelta(1)


def _working_days(first: D, last: D) -> list[D]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


# --- entry point ----------------------------------------------------------------------------


def build_assistance_demo(
    users: dict, seed: int = 2023, *, targets: DemoTargets | None = None, stdout=None
) -> AssistanceDemoSummary:
    """Replay January–June 2023 of 沙地镇's assistance ledgers through the real actions."""
    out = stdout or sys.stdout
    out.write("回放沙地镇 2023 年 1—6 月的帮扶台账（小额信贷、公益性岗位、交通补贴）…\n")
    started = time.perf_counter()
    load_sample_settings()
    demo = AssistanceDemo(users=users, seed=seed, targets=targets or DemoTargets())
    demo.plan()
    demo.agenda.run()
    summary = demo.summary
    summary.timings = {name: sec for name, sec in demo.agenda.spent.most_common(4)}
    summary.timings["total"] = time.perf_counter() - started
    return summary

"""The relocation follow-up demo for 沙地镇 (易地搬迁后续扶持): the households the registry
marks as relocated are entered in the relocation ledger at their two 安置点 in early January
2023, and the township visits each of them at the end of each quarter (March and June),
recording labour members, employed members and monthly income — all through
``assistance.actions.relocation`` under the demo clock.

Labour and employment come from the registry (members with labour capacity; those with a
work place and months worked), so a visit agrees with the household's record."""

import datetime
import random
import sys
from collections import defaultdict
from dataclasses import dataclass

from zhenwu.areas.models import Area
from zhenwu.assistance.actions.relocation import (
    do_create_site,
    do_record_follow_up,
    do_register_relocation,
)
from zhenwu.demo.generator import RELOCATION_SITES, TOWNSHIP_CODE
from zhenwu.demo.monitoring import Agenda
from zhenwu.registry.choices import LabourCapacity, PersonStatus
from zhenwu.registry.models import Household, Person

D = datetime.date
REGISTERED_ON = D(2023, 1, 5)
VISIT_DAYS = (D(2023, 3, 28), D(2023, 6, 27))
LABOUR = {LabourCapacity.ORDINARY, LabourCapacity.SKILLED, LabourCapacity.WEAK}
# Where each site lies: the township's own site, and the county town's (district level).
SITE_AREAS = {RELOCATION_SITES[0]: TOWNSHIP_CODE, RELOCATION_SITES[1]: TOWNSHIP_CODE[:6]}


@dataclass
class RelocationDemoSummary:
    households: int = 0
    visits: int = 0

    def lines(self) -> list[str]:
        return [f"易地搬迁后续扶持：{self.households} 户搬迁户，{self.visits} 次后续扶持走访"]


def build_relocation_demo(users: dict, seed: int = 2023, *, stdout=None):
    out = stdout or sys.stdout
    out.write("登记沙地镇易地搬迁户并回放 2023 年上半年的后续扶持走访…\n")
    rng = random.Random(seed * 17 + 3)
    summary = RelocationDemoSummary()
    township = Area.objects.get(code=TOWNSHIP_CODE)
    households = list(
        Household.objects.filter(village__path__startswith=township.path, relocated=True)
        .select_related("village")
        .order_by("number")
    )
    if not households:
        return summary
    members = _members(households)
    agenda = Agenda()
    sites: dict[str, object] = {}

    def create_sites():
        for name, code in SITE_AREAS.items():
            actor = users["township_officer" if code == TOWNSHIP_CODE else "district_officer"]
            area = Area.objects.get(code=code)
            sites[name] = do_create_site(actor=actor, area=area, name=name, kind="集中安置")

    def register(household):
        site = sites.get(household.relocation_site) or sites[RELOCATION_SITES[0]]
        moved_on = D(rng.choice((2017, 2018, 2019)), rng.randint(1, 12), rng.randint(1, 28))
        relocation = do_register_relocation(
            household, site, actor=users["district_officer"], moved_on=moved_on
        )
        summary.households += 1
        for day in VISIT_DAYS:
            agenda.add(day, 10, visit, relocation, members[household.pk], day)

    def visit(relocation, people, day):
        labour, employed = people
        income = employed * rng.randint(2200, 3600) + rng.randint(300, 900)
        do_record_follow_up(
            relocation,
            actor=users["township_officer"],
            visited_on=day,
            labour_members=labour,
            employed_members=employed,
            monthly_income=income,
            notes="入户了解就业和生活情况，宣传稳岗就业政策。",
        )
        summary.visits += 1

    agenda.add(REGISTERED_ON, 9, create_sites)
    for household in households:
        agenda.add(REGISTERED_ON, 10, register, household)
    agenda.run()
    return summary


def _members(households) -> dict[int, tuple[int, int]]:
    """Per household: (labour members, employed members) from the registry."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    rows = Person.objects.filter(household__in=households, status=PersonStatus.ACTIVE).values_list(
        "household_id", "labour_capacity", "work_place", "work_months"
    )
    for household_id, capacity, work_place, months in rows:
        if capacity in LABOUR:
            counts[household_id][0] += 1
            if work_place and months:
                counts[household_id][1] += 1
    return {h.pk: (counts[h.pk][0], min(counts[h.pk][0], counts[h.pk][1])) for h in households}

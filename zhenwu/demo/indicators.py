"""The indicators demo for 沙地镇 (issue 5 item 5, DEMO.md): the catalogue, the 2023 targets
set by the township officer in January, and the first half of 2023 entered village by
village by each village's cadre through ``do_record_measurement`` under the demo clock (a
month's figures on the 3rd of the next month). Nothing is aggregated here: the township's
figures are what ``workplans.figures`` computes from the village rows.

* 农村生活垃圾收运率: every village, every month January–June, all collection points
  cleared (numerator = denominator), so the township's 2023H1 rate is exactly 100%.
* 卫生厕所普及率 (June): the village's households as the denominator; 100% except in a few
  villages that still lack some toilets.
* 村集体经济收入 (2023H1): mid-year income per village; a few already above the year's
  300,000 yuan, most on track (≥ half), a few behind.
* 粮食播种面积（早稻） (2023H1), 医保电子凭证激活率 (June), 新时代文明实践站覆盖率 (June),
  国家反诈中心APP安装率 (June).
"""

import datetime
import random
import sys
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from zhenwu.areas.models import Area
from zhenwu.areas.selectors import villages_under
from zhenwu.demo.accounts import create_village_cadres
from zhenwu.demo.generator import TOWNSHIP_CODE
from zhenwu.demo.monitoring import Agenda
from zhenwu.registry.models import Household, Person
from zhenwu.workplans.actions.indicators import (
    do_record_measurement,
    do_set_target,
    load_indicator_catalogue,
)
from zhenwu.workplans.figures import indicator_value
from zhenwu.workplans.models import Indicator

YEAR = 2023
MONTHS = range(1, 7)
# indicator → (village target for 2023, township target for 2023)
TARGETS = {
    "collective_income": Decimal(300000),
    "garbage_collection_rate": Decimal(100),
    "sanitary_toilet_coverage": Decimal(100),
    "medical_card_activation": Decimal(95),
    "antifraud_app_installs": Decimal(90),
    "civilisation_station_coverage": Decimal(100),
}
TOWNSHIP_TARGETS = ("garbage_collection_rate", "sanitary_toilet_coverage")
TOILET_GAP_VILLAGES = 3  # villages still short of sanitary toilets at mid-year
INCOME_BEHIND_VILLAGES = 3
INCOME_MET_VILLAGES = 2


@dataclass
class IndicatorsDemoSummary:
    villages: int = 0
    targets: int = 0
    measurements: int = 0
    garbage_rate: Decimal | None = None
    toilet_rate: Decimal | None = None
    income_behind: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"指标：{self.villages} 个村设定 {self.targets} 个 2023 年目标，"
            f"村干部填报上半年实际值 {self.measurements} 条；"
            f"全镇上半年垃圾收运率 {self.garbage_rate}%，卫生厕所普及率 {self.toilet_rate}%；"
            f"集体经济收入进度落后：{'、'.join(self.income_behind) or '无'}",
        ]


def _day(month: int, day: int = 3) -> datetime.date:
    """The 3rd of the month after ``month`` (the month's figures are reported then)."""
    return datetime.date(YEAR + month // 12, month % 12 + 1, day)


def build_indicators_demo(users: dict, seed: int = 2023, *, stdout=None) -> IndicatorsDemoSummary:
    out = stdout or sys.stdout
    out.write("填报沙地镇 2023 年指标目标和上半年实际值…\n")
    load_indicator_catalogue()
    indicators = {i.code: i for i in Indicator.objects.all()}
    township = Area.objects.get(code=TOWNSHIP_CODE)
    villages = list(villages_under(township).order_by("code"))
    cadres = create_village_cadres(villages)
    officer = users["township_officer"]
    rng = random.Random(seed * 31 + 5)
    summary = IndicatorsDemoSummary(villages=len(villages))
    agenda = Agenda()
    households = dict(
        Household.objects.filter(village__in=villages)
        .values_list("village")
        .annotate(n=Count("id"))
        .values_list("village", "n")
    )
    people = dict(
        Person.objects.filter(household__village__in=villages)
        .values_list("household__village")
        .annotate(n=Count("id"))
        .values_list("household__village", "n")
    )

    def target(indicator, area, value):
        do_set_target(
            actor=officer, indicator=indicators[indicator], area=area, period=str(YEAR), value=value
        )
        summary.targets += 1

    def measure(cadre, indicator, area, period, figures):
        do_record_measurement(
            actor=cadre, indicator=indicators[indicator], area=area, period=period, **figures
        )
        summary.measurements += 1

    for village in villages:
        for code, value in TARGETS.items():
            agenda.add(datetime.date(YEAR, 1, 10), 9, target, code, village, value)
    for code in TOWNSHIP_TARGETS:
        agenda.add(datetime.date(YEAR, 1, 10), 10, target, code, township, TARGETS[code])

    order = list(villages)
    rng.shuffle(order)
    toilet_gaps = {v.pk for v in order[:TOILET_GAP_VILLAGES]}
    income_behind = {
        v.pk for v in order[TOILET_GAP_VILLAGES : TOILET_GAP_VILLAGES + INCOME_BEHIND_VILLAGES]
    }
    income_met = {v.pk for v in order[-INCOME_MET_VILLAGES:]}
    for village in villages:
        cadre = cadres[village.pk]
        points = rng.randint(6, 18)  # garbage collection points of the village
        for month in MONTHS:
            period = f"{YEAR}-{month:02d}"
            agenda.add(
                _day(month),
                9,
                measure,
                cadre,
                "garbage_collection_rate",
                village,
                period,
                {"numerator": points, "denominator": points},
            )
        homes = households.get(village.pk) or rng.randint(200, 600)
        with_toilet = (
            homes - min(homes - 1, rng.randint(3, 12)) if village.pk in toilet_gaps else homes
        )
        insured = people.get(village.pk) or homes * 4
        activated = int(insured * rng.uniform(0.86, 0.99))
        adults = max(1, int(insured * 0.75))  # a small test town has tiny villages
        installed = int(adults * rng.uniform(0.82, 0.98))
        has_station = 1
        if village.pk in income_behind:
            income = rng.randint(60, 140) * 1000
        elif village.pk in income_met:
            income = rng.randint(305, 360) * 1000
        else:
            income = rng.randint(155, 290) * 1000
        june, half = f"{YEAR}-06", f"{YEAR}H1"
        day = _day(6, 5)
        for code, period, figures in (
            ("sanitary_toilet_coverage", june, {"numerator": with_toilet, "denominator": homes}),
            ("medical_card_activation", june, {"numerator": activated, "denominator": insured}),
            ("antifraud_app_installs", june, {"numerator": installed, "denominator": adults}),
            ("civilisation_station_coverage", june, {"numerator": has_station, "denominator": 1}),
            ("collective_income", half, {"value": income}),
            ("grain_sown_area_early_rice", half, {"value": rng.randint(600, 2800)}),
        ):
            agenda.add(day, 10, measure, cadre, code, village, period, figures)
    agenda.run()
    summary.garbage_rate = indicator_value(
        indicators["garbage_collection_rate"], township, f"{YEAR}H1"
    )
    summary.toilet_rate = indicator_value(
        indicators["sanitary_toilet_coverage"], township, f"{YEAR}H1"
    )
    summary.income_behind = [v.name for v in villages if v.pk in income_behind]
    return summary

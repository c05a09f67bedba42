"""一户一策 warnings (帮扶预警): pure functions over plain data, no ORM (DOMAIN.md §6).

``selectors.household_facts`` builds ``HouseholdFacts`` from the database; ``check`` returns
the warnings in a fixed order. Cancelled measures never count; a measure counts as
implemented only from its implementation date.
"""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from zhenwu.assistance.choices import DEVELOPMENT_CATEGORIES, MeasureCategory, MeasureStatus

RULES_VERSION = "1"
ILLNESS = "illness"
SCHOOLING = "schooling"
HEALTH_AID = frozenset(
    {MeasureCategory.HEALTH, MeasureCategory.SOCIAL_SECURITY, MeasureCategory.SOCIAL_ASSISTANCE}
)
EDUCATION_AID = frozenset({MeasureCategory.COMPULSORY_EDUCATION, MeasureCategory.OTHER_EDUCATION})
JOB_MEASURES = frozenset({MeasureCategory.EMPLOYMENT, MeasureCategory.PUBLIC_WELFARE_JOB})

WARNING_LABELS = {
    "no_development_measure": _("有劳动力但未落实开发式帮扶措施"),
    "illness_without_health_aid": _("因病风险未落实健康/综合保障/社会帮扶措施"),
    "schooling_without_education_aid": _("因学风险未落实教育帮扶措施"),
    "no_measure_after_identification": _("识别监测满一个月仍无帮扶措施"),
    "only_social_security": _("有劳动力但仅有综合保障措施"),
    "job_without_wage_income": _("有就业/公益岗位措施但最近一年工资性收入为0"),
}
WARNING_CODES = tuple(WARNING_LABELS)


@dataclass(frozen=True)
class MeasureFact:
    category: str
    status: str
    implemented_on: datetime.date | None = None


@dataclass(frozen=True)
class HouseholdFacts:
    """What the rules need to know about one household on day ``on``."""

    on: datetime.date
    is_target: bool = True  # 脱贫户 or 监测户: general households have no plan
    has_labour: bool = False
    risks: tuple[str, ...] = ()
    monitoring_since: datetime.date | None = None  # set for monitored households only
    measures: tuple[MeasureFact, ...] = field(default_factory=tuple)
    latest_wage_income: Decimal | None = None  # None: no income record


@dataclass(frozen=True)
class Warning:
    code: str
    detail: str = ""

    @property
    def label(self) -> str:
        return str(WARNING_LABELS[self.code])


def add_one_month(day: datetime.date) -> datetime.date:
    """2023-01-31 → 2023-02-28: the same day next month, clipped to the month's end."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _arranged(facts: HouseholdFacts) -> list[MeasureFact]:
    return [m for m in facts.measures if m.status != MeasureStatus.CANCELLED]


def _implemented(facts: HouseholdFacts) -> list[MeasureFact]:
    return [
        m
        for m in facts.measures
        if m.status == MeasureStatus.IMPLEMENTED
        and m.implemented_on is not None
        and m.implemented_on <= facts.on
    ]


def _no_development_measure(facts: HouseholdFacts) -> Warning | None:
    if facts.has_labour and not any(
        m.category in DEVELOPMENT_CATEGORIES for m in _implemented(facts)
    ):
        return Warning("no_development_measure")
    return None


def _illness_without_health_aid(facts: HouseholdFacts) -> Warning | None:
    if ILLNESS in facts.risks and not any(m.category in HEALTH_AID for m in _arranged(facts)):
        return Warning("illness_without_health_aid")
    return None


def _schooling_without_education_aid(facts: HouseholdFacts) -> Warning | None:
    if SCHOOLING in facts.risks and not any(m.category in EDUCATION_AID for m in _arranged(facts)):
        return Warning("schooling_without_education_aid")
    return None


def _no_measure_after_identification(facts: HouseholdFacts) -> Warning | None:
    since = facts.monitoring_since
    if since is None or facts.on < add_one_month(since) or _arranged(facts):
        return None
    return Warning("no_measure_after_identification", since.isoformat())


def _only_social_security(facts: HouseholdFacts) -> Warning | None:
    arranged = _arranged(facts)
    if facts.has_labour and arranged:
        if all(m.category == MeasureCategory.SOCIAL_SECURITY for m in arranged):
            return Warning("only_social_security")
    return None


def _job_without_wage_income(facts: HouseholdFacts) -> Warning | None:
    has_job = any(m.category in JOB_MEASURES for m in _implemented(facts))
    if has_job and facts.latest_wage_income is not None and facts.latest_wage_income == 0:
        return Warning("job_without_wage_income")
    return None


RULES = (
    _no_development_measure,
    _illness_without_health_aid,
    _schooling_without_education_aid,
    _no_measure_after_identification,
    _only_social_security,
    _job_without_wage_income,
)


def check(facts: HouseholdFacts) -> list[Warning]:
    """The warnings that hold for ``facts`` (none for a household that is not a target)."""
    if not facts.is_target:
        return []
    return [warning for rule in RULES if (warning := rule(facts)) is not None]

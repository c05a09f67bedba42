"""风险消除条件 (DOMAIN.md §5): the elimination criteria as a pure function, no ORM.

The caller gathers the facts (``EliminationFacts``) from the database; ``check_criteria``
returns one ``Criterion`` per condition. ``passed`` is True (met), False (not met) or None
("not checkable yet": the data it needs does not exist in the system). None is never a pass:
the UI shows it as such and the township reviewer checks it by hand (docs/modules/monitoring.md).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

NATURAL = "natural"
ASSISTED = "assisted"

# Code → label, in the order the UI shows them.
CRITERIA_LABELS = {
    "monitoring_months": _("纳入监测已满规定月数"),
    "development_assistance": _("有劳动能力的户已落实开发式帮扶措施"),
    "income_above_line": _("最近年度人均纯收入不低于当年监测范围"),
    "no_open_problems": _("两不愁三保障及饮水安全无未清零问题"),
    "has_labour": _("非整户无劳动力家庭"),
}


@dataclass(frozen=True)
class EliminationFacts:
    way: str  # assisted | natural
    on: datetime.date  # the date the check is made for
    monitoring_since: datetime.date | None
    elimination_months: int
    has_labour: bool  # any active member with ordinary, skilled or weak labour capacity
    no_labour_flag: bool  # Household.no_labour (整户无劳动力)
    income_year: int | None  # latest IncomeRecord year
    per_capita_income: Decimal | None
    income_line: Decimal | None  # the monitoring line of ``income_year``
    open_problem_count: int
    development_measures: int | None = None  # None until the assistance module exists


@dataclass(frozen=True)
class Criterion:
    code: str
    passed: bool | None
    detail: str

    def as_dict(self) -> dict:
        return {"code": self.code, "passed": self.passed, "detail": self.detail}


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from ``start`` to ``end`` (2023-01-01 → 2023-07-01 is 6)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def _monitoring_months(facts: EliminationFacts) -> Criterion:
    if facts.monitoring_since is None:
        return Criterion("monitoring_months", False, "monitoring_since=none")
    months = months_between(facts.monitoring_since, facts.on)
    detail = f"{months}/{facts.elimination_months}"
    return Criterion("monitoring_months", months >= facts.elimination_months, detail)


def _development_assistance(facts: EliminationFacts) -> Criterion:
    # Required only for households with labour that leave monitoring through assistance;
    # natural elimination (risk gone by itself) does not depend on measures delivered.
    if not facts.has_labour:
        return Criterion("development_assistance", True, "no_labour_members")
    if facts.way == NATURAL:
        return Criterion("development_assistance", True, "natural")
    if facts.development_measures is None:
        return Criterion("development_assistance", None, "assistance_module_missing")
    detail = str(facts.development_measures)
    return Criterion("development_assistance", facts.development_measures >= 1, detail)


def _income_above_line(facts: EliminationFacts) -> Criterion:
    if facts.per_capita_income is None:
        return Criterion("income_above_line", False, "no_income_record")
    if facts.income_line is None:
        return Criterion("income_above_line", False, f"{facts.income_year}:line_missing")
    detail = f"{facts.income_year}:{facts.per_capita_income}/{facts.income_line}"
    return Criterion("income_above_line", facts.per_capita_income >= facts.income_line, detail)


def _no_open_problems(facts: EliminationFacts) -> Criterion:
    count = facts.open_problem_count
    return Criterion("no_open_problems", count == 0, str(count))


def _has_labour(facts: EliminationFacts) -> Criterion:
    return Criterion("has_labour", not facts.no_labour_flag, "")


CHECKS = (
    _monitoring_months,
    _development_assistance,
    _income_above_line,
    _no_open_problems,
    _has_labour,
)


def check_criteria(facts: EliminationFacts) -> list[Criterion]:
    return [check(facts) for check in CHECKS]


def failed(criteria: list[Criterion]) -> list[str]:
    """Codes of the criteria that are definitely not met (None is not a failure here)."""
    return [c.code for c in criteria if c.passed is False]


def unchecked(criteria: list[Criterion]) -> list[str]:
    return [c.code for c in criteria if c.passed is None]


FIXED_DETAILS = {
    "monitoring_since=none": _("无识别监测时间"),
    "no_labour_members": _("家庭成员均无劳动能力，不作要求"),
    "natural": _("自然消除，不作要求"),
    "assistance_module_missing": _("帮扶措施模块尚未上线，须人工核实"),
    "no_income_record": _("未登记年度收入"),
}


def describe(code: str, detail: str) -> str:
    """The stored machine detail of a criterion as a sentence for the page."""
    if detail in FIXED_DETAILS:
        return str(FIXED_DETAILS[detail])
    try:
        return _describe_values(code, detail)
    except (ValueError, IndexError):
        return detail


def _describe_values(code: str, detail: str) -> str:
    if code == "monitoring_months":
        months, required = detail.split("/")
        return str(_("已监测 %(months)s 个月，要求 %(required)s 个月")) % {
            "months": months,
            "required": required,
        }
    if code == "development_assistance":
        return str(_("已实施 %(count)s 项")) % {"count": int(detail)}
    if code == "income_above_line":
        year, values = detail.split(":")
        if values == "line_missing":
            return str(_("%(year)s 年监测范围未配置")) % {"year": year}
        income, line = values.split("/")
        return str(_("%(year)s 年人均纯收入 %(income)s 元，监测范围 %(line)s 元")) % {
            "year": year,
            "income": income,
            "line": line,
        }
    if code == "no_open_problems":
        return str(_("未清零问题 %(count)s 项")) % {"count": int(detail)}
    return detail

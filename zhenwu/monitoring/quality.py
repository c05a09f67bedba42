"""Running the data-quality checks (``rules/quality.py``) over the households a user may see
in an area. Reads through the registry selectors (scoped, fail closed); the ID numbers are
decrypted only to re-check them and never leave this module."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area
from zhenwu.monitoring.rules.quality import (
    ALL_CHECKS,
    ERROR,
    Failure,
    HouseholdFacts,
    MemberFacts,
    check_all,
)
from zhenwu.registry.choices import HouseholdCategory, HouseholdStatus, PersonStatus
from zhenwu.registry.models import Person
from zhenwu.registry.selectors import visible_households

CHUNK = 500


@dataclass
class QualityReport:
    area: Area
    checked_on: datetime.date
    households: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def errors(self) -> list[Failure]:
        return [f for f in self.failures if f.severity == ERROR]

    @property
    def error_households(self) -> int:
        return len({f.household for f in self.errors})

    def counts(self) -> list[dict]:
        """Per check: code, message, severity and how many failures (all checks listed)."""
        counted = Counter(f.code for f in self.failures)
        return [
            {
                "code": check.code,
                "message": str(check.message),
                "severity": check.severity,
                "count": counted.get(check.code, 0),
            }
            for check in ALL_CHECKS
        ]


def scoped_households(
    user, area: Area, *, perm: str = Perm.VIEW_REGISTRY, monitored_only: bool = False
) -> QuerySet:
    qs = visible_households(user, perm).filter(
        village__path__startswith=area.path, status=HouseholdStatus.ACTIVE
    )
    if monitored_only:
        qs = qs.filter(category=HouseholdCategory.MONITORED)
    return qs.order_by("village__code", "number")


def run_quality_checks(
    user,
    area: Area,
    *,
    perm: str = Perm.VIEW_REGISTRY,
    monitored_only: bool = False,
    today: datetime.date | None = None,
) -> QualityReport:
    today = today or timezone.localdate()
    households = scoped_households(user, area, perm=perm, monitored_only=monitored_only)
    facts = [household_facts(h) for h in _with_members(households)]
    return QualityReport(
        area=area, checked_on=today, households=len(facts), failures=check_all(facts, today)
    )


def _with_members(households: QuerySet):
    members = Person.objects.filter(status=PersonStatus.ACTIVE).order_by("pk")
    return households.prefetch_related(
        Prefetch("members", queryset=members, to_attr="active"), "incomes"
    ).iterator(CHUNK)


def household_facts(household) -> HouseholdFacts:
    return HouseholdFacts(
        number=household.number,
        category=household.category,
        monitoring_category=household.monitoring_category,
        monitoring_since=household.monitoring_since,
        risk_status=household.risk_status,
        risk_eliminated_on=household.risk_eliminated_on,
        risks=tuple(household.risks or ()),
        no_labour=household.no_labour,
        lifted_year=household.lifted_year,
        income_years=tuple(income.year for income in household.incomes.all()),
        members=tuple(member_facts(p) for p in household.active),
        village=household.village.name,
        ref=str(household.public_id),
    )


def member_facts(person) -> MemberFacts:
    return MemberFacts(
        name=person.name,
        id_number=person.id_number,
        sex=person.sex,
        birth_date=person.birth_date,
        relation=person.relation,
        school_status=person.school_status,
        labour_capacity=person.labour_capacity,
        work_place=person.work_place,
        work_months=person.work_months,
        medical_insurance=person.medical_insurance,
        receives_dibao=person.receives_dibao,
        receives_tekun=person.receives_tekun,
        ref=str(person.public_id),
    )


def failures_xlsx(report: QualityReport) -> bytes:
    """The failure list as .xlsx (formula-escaped). Names only, never ID numbers."""
    import io

    from zhenwu.lib.xlsx import XlsxWriter

    buffer = io.BytesIO()
    headers = ["行政村", "户编号", "成员", "校验代码", "级别", "问题"]
    severities = {"error": "错误", "warning": "提示"}
    with XlsxWriter(buffer) as writer:
        sheet = writer.add_sheet("数据质量问题", headers, widths=[12, 16, 10, 10, 8, 60])
        for failure in report.failures:
            sheet.append(
                [
                    failure.village,
                    failure.household,
                    failure.member,
                    failure.code,
                    severities.get(failure.severity, failure.severity),
                    failure.message,
                ]
            )
        counts = writer.add_sheet("按校验项统计", ["校验代码", "级别", "问题", "数量"])
        for row in report.counts():
            severity = severities.get(row["severity"], row["severity"])
            counts.append([row["code"], severity, row["message"], row["count"]])
    return buffer.getvalue()

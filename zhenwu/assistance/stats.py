"""Statistics of the assistance ledgers (帮扶数据统计) by village and period.

Every figure is computed from the ledgers (loans, job assignments, payment lines, measures),
never typed in. Each figure carries ``filter``: the query parameters that list exactly the
rows it counted, and ``has_data``: false when its source has no rows at all in the area
(so "0" never hides "not recorded").

Counting rules (docs/modules/assistance.md "Statistics"):
- loans issued: ``issued_on`` inside the period; borrowers are distinct persons.
- loans outstanding at period end: issued on or before the end, not written off, principal
  repaid up to the end below the amount; overdue when the (extended) due date is before
  the end.
- people in jobs: distinct persons with an assignment overlapping the period.
- subsidy paid: payment lines of kind job_payroll in PAID batches whose period is a month
  of the period; reversal lines (negative, in a paid correction batch) are included.
- transport: lines of kind transport in PAID batches of the period's year(s); recipients
  are distinct persons whose net amount is positive.
- measures: planned = planned_on in the period (not cancelled); implemented = implemented
  with implemented_on in the period.
"""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area
from zhenwu.areas.selectors import villages_under
from zhenwu.assistance.choices import (
    BatchStatus,
    LoanStatus,
    MeasureCategory,
    MeasureStatus,
    PaymentKind,
)
from zhenwu.assistance.models import JobAssignment, Loan, LoanRepayment, Measure, PaymentLine
from zhenwu.lib.periods import Period

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
COUNT, MONEY = "count", "money"

# key → (label, unit kind); the order is the order of the summary and the village table.
FIGURES = {
    "loan_borrowers": (_("发放贷款（人）"), COUNT),
    "loan_amount": (_("发放金额（元）"), MONEY),
    "loans_outstanding": (_("期末未结清贷款（笔）"), COUNT),
    "loan_balance": (_("期末贷款余额（元）"), MONEY),
    "loans_overdue": (_("期末逾期贷款（笔）"), COUNT),
    "job_people": (_("公益性岗位在岗（人）"), COUNT),
    "job_paid": (_("发放岗位补贴（元）"), MONEY),
    "transport_people": (_("交通补贴（人）"), COUNT),
    "transport_amount": (_("交通补贴金额（元）"), MONEY),
    "measures_planned": (_("计划帮扶措施（项）"), COUNT),
    "measures_implemented": (_("已实施帮扶措施（项）"), COUNT),
}
FIGURE_KEYS = list(FIGURES)


def assistance_figures(area: Area, period: Period) -> dict:
    """The figures of ``area`` (township, district or village) for ``period``, by village
    and in total. Unscoped: callers on behalf of a user use ``assistance_figures_for``."""
    with translation.override("zh-hans"):
        return _compute(area, period)


def assistance_figures_for(user, area: Area, period: Period) -> dict:
    """The same, for a user: refused (DomainError) without the view permission or when
    ``area`` lies outside the user's scope."""
    require_perm(user, Perm.VIEW_ASSISTANCE)
    require_area(user, area, Perm.VIEW_ASSISTANCE)
    return assistance_figures(area, period)


def month_codes(period: Period) -> list[str]:
    """The payroll periods (``2023-01`` …) that lie in ``period``."""
    return [f"{month.year}-{month.month:02d}" for month in period.months()]


def year_codes(period: Period) -> list[str]:
    return [str(year) for year in range(period.start.year, period.end.year + 1)]


def _compute(area: Area, period: Period) -> dict:
    base = {"area": area.code, "from": period.start.isoformat(), "to": period.end.isoformat()}
    villages = list(villages_under(area))
    per_village: dict[int, dict] = defaultdict(dict)
    totals: dict[str, tuple] = {}
    for part in (_loans, _jobs, _payroll, _transport, _measures):
        totals.update(part(area, period, base, per_village))
    summary = [_figure(key, *totals[key]) for key in FIGURE_KEYS]
    rows = [
        {
            "code": village.code,
            "name": village.name,
            "values": [_exact(key, per_village[village.pk].get(key)) for key in FIGURE_KEYS],
        }
        for village in villages
    ]
    return {
        "area": {"code": area.code, "name": area.name},
        "period": {
            "code": period.code,
            "kind": period.kind,
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "columns": [{"key": key, "label": str(FIGURES[key][0])} for key in FIGURE_KEYS],
        "summary": summary,
        "figures": {item["key"]: item for item in summary},
        "villages": rows,
        "job_rates": totals["job_rates"][0],
        "measures_by_category": _measures_by_category(area, period, base),
    }


def _zero(key: str):
    return ZERO if FIGURES[key][1] == MONEY else 0


def _exact(key: str, value):
    """Money with two places (database sums may come back as 600 or 600.0000)."""
    if value is None:
        return _zero(key)
    return value.quantize(CENT, rounding=ROUND_HALF_UP) if FIGURES[key][1] == MONEY else value


def _figure(key: str, value, filter_: dict, has_data: bool) -> dict:
    label, kind = FIGURES[key]
    return {
        "key": key,
        "label": str(label),
        "kind": kind,
        "value": _exact(key, value),
        "has_data": has_data,
        "filter": filter_,
    }


def _in_area(area: Area, field: str = "household__village") -> Q:
    return Q(**{f"{field}__path__startswith": area.path})


# --- loans ------------------------------------------------------------------------------------


def _loans(area: Area, period: Period, base: dict, per_village: dict) -> dict:
    loans = Loan.objects.filter(_in_area(area))
    has_data = loans.exists()
    issued = list(
        loans.filter(issued_on__range=(period.start, period.end)).values_list(
            "household__village_id", "borrower_id", "amount"
        )
    )
    borrowers: dict[int, set] = defaultdict(set)
    for village_id, borrower_id, amount in issued:
        borrowers[village_id].add(borrower_id)
        _add(per_village, village_id, "loan_amount", amount)
    for village_id, people in borrowers.items():
        per_village[village_id]["loan_borrowers"] = len(people)
    outstanding, balance, overdue = _outstanding(loans, period.end, per_village)
    issued_filter = {"list": "loans", **base}
    at_end = {"list": "loans", "area": base["area"], "outstanding_on": period.end.isoformat()}
    return {
        "loan_borrowers": (len({b for _v, b, _a in issued}), issued_filter, has_data),
        "loan_amount": (sum((a for _v, _b, a in issued), ZERO), issued_filter, has_data),
        "loans_outstanding": (outstanding, at_end, has_data),
        "loan_balance": (balance, at_end, has_data),
        "loans_overdue": (overdue, {**at_end, "overdue": "1"}, has_data),
    }


def _outstanding(loans, end: datetime.date, per_village: dict) -> tuple[int, Decimal, int]:
    """Loans not repaid at ``end``, their principal balance, and how many were overdue."""
    candidates = list(
        loans.filter(issued_on__lte=end)
        .exclude(status=LoanStatus.WRITTEN_OFF)
        .values_list("pk", "household__village_id", "amount", "due_on", "extended_to")
    )
    repaid = dict(
        LoanRepayment.objects.filter(loan__in=[c[0] for c in candidates], paid_on__lte=end)
        .values_list("loan_id")
        .annotate(total=Sum("principal"))
        .order_by()
    )
    count, balance, overdue = 0, ZERO, 0
    for pk, village_id, amount, due_on, extended_to in candidates:
        left = amount - (repaid.get(pk) or ZERO)
        if left <= 0:
            continue
        count += 1
        balance += left
        _add(per_village, village_id, "loans_outstanding", 1)
        _add(per_village, village_id, "loan_balance", left)
        if (extended_to or due_on) < end:
            overdue += 1
            _add(per_village, village_id, "loans_overdue", 1)
    return count, balance, overdue


def _add(per_village: dict, village_id: int, key: str, value) -> None:
    per_village[village_id][key] = per_village[village_id].get(key, _zero(key)) + value


# --- public-welfare jobs ----------------------------------------------------------------------


def _jobs(area: Area, period: Period, base: dict, per_village: dict) -> dict:
    assignments = JobAssignment.objects.filter(_in_area(area))
    has_data = assignments.exists()
    overlapping = assignments.filter(start_on__lte=period.end).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=period.start)
    )
    rows = list(
        overlapping.values_list("household__village_id", "person_id", "post__monthly_subsidy")
    )
    people: dict[int, set] = defaultdict(set)
    for village_id, person_id, _rate in rows:
        people[village_id].add(person_id)
    for village_id, persons in people.items():
        per_village[village_id]["job_people"] = len(persons)
    rates = sorted({rate for _v, _p, rate in rows})
    return {
        "job_people": (len({p for _v, p, _r in rows}), {"list": "jobs", **base}, has_data),
        "job_rates": (rates, {}, bool(rates)),
    }


def _paid_lines(area: Area, kind: str, periods: list[str]):
    """Lines by their own period: a reversal keeps the period of the line it reverses but
    sits in a correction batch (period ``2023-06R``), counted once that batch is paid."""
    return PaymentLine.objects.filter(_in_area(area), kind=kind, period__in=periods).order_by()


def _payroll(area: Area, period: Period, base: dict, per_village: dict) -> dict:
    codes = month_codes(period)
    lines = _paid_lines(area, PaymentKind.JOB_PAYROLL, codes)
    has_data = lines.exists()
    paid = lines.filter(batch__status=BatchStatus.PAID)
    by_village = paid.values_list("household__village_id").annotate(total=Sum("amount"))
    total = ZERO
    for village_id, amount in by_village:
        per_village[village_id]["job_paid"] = amount
        total += amount
    filter_ = {"list": "payment_lines", "kind": PaymentKind.JOB_PAYROLL.value, **base}
    filter_["batch_status"] = BatchStatus.PAID.value
    return {"job_paid": (total, filter_, has_data)}


def _transport(area: Area, period: Period, base: dict, per_village: dict) -> dict:
    years = year_codes(period)
    lines = _paid_lines(area, PaymentKind.TRANSPORT, years)
    has_data = lines.exists()
    paid = lines.filter(batch__status=BatchStatus.PAID)
    net = paid.values_list("household__village_id", "person_id").annotate(total=Sum("amount"))
    people, total = 0, ZERO
    for village_id, _person_id, amount in net:
        total += amount
        _add(per_village, village_id, "transport_amount", amount)
        if amount > 0:
            people += 1
            _add(per_village, village_id, "transport_people", 1)
    filter_ = {"list": "payment_lines", "kind": PaymentKind.TRANSPORT.value, "area": area.code}
    filter_.update(years=",".join(years), batch_status=BatchStatus.PAID.value)
    return {
        "transport_people": (people, filter_, has_data),
        "transport_amount": (total, filter_, has_data),
    }


# --- measures ---------------------------------------------------------------------------------


def _planned(area: Area, period: Period):
    return Measure.objects.filter(
        _in_area(area), planned_on__range=(period.start, period.end)
    ).exclude(status=MeasureStatus.CANCELLED)


def _implemented(area: Area, period: Period):
    return Measure.objects.filter(
        _in_area(area),
        status=MeasureStatus.IMPLEMENTED,
        implemented_on__range=(period.start, period.end),
    )


def _measures(area: Area, period: Period, base: dict, per_village: dict) -> dict:
    has_data = Measure.objects.filter(_in_area(area)).exists()
    result = {}
    for key, qs in (
        ("measures_planned", _planned(area, period)),
        ("measures_implemented", _implemented(area, period)),
    ):
        total = 0
        for village_id, count in _count_by(qs, "household__village_id"):
            per_village[village_id][key] = count
            total += count
        state = "planned" if key == "measures_planned" else "implemented"
        result[key] = (total, {"list": "measures", "state": state, **base}, has_data)
    return result


def _count_by(qs, field: str):
    return qs.values_list(field).annotate(n=Count("id")).order_by()


def _measures_by_category(area: Area, period: Period, base: dict) -> list[dict]:
    planned = dict(_count_by(_planned(area, period), "category"))
    implemented = dict(_count_by(_implemented(area, period), "category"))
    return [
        {
            "code": code,
            "label": str(label),
            "planned": planned.get(code, 0),
            "implemented": implemented.get(code, 0),
            "filter": {"list": "measures", "category": code, **base},
        }
        for code, label in MeasureCategory.choices
    ]

"""每月一排查: monthly screening rounds per village and the home visits of a round.

A round fixes its target households when it is opened (stored in ``target_households``), so
the completion rate does not move when a household changes category mid-month. Opening the
same village and month again is idempotent: it returns the existing round and adds the
households that newly qualify, never removing or duplicating one.

A visit is recorded once per household and round; recording it again needs the version the
editor started from (optimistic lock) and updates it. A visit that finds a problem may
report a clue (``clues.do_report_clue``) and open rectification items
(``problems.do_open_problem``) in the same transaction.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import AreaLevel
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.monitoring.choices import (
    Channel,
    IncomeChange,
    ProblemKind,
    ProblemStatus,
    RoundStatus,
)
from zhenwu.monitoring.models import Problem, ScreeningRound, ScreeningVisit
from zhenwu.monitoring.selectors import round_progress
from zhenwu.registry.choices import HouseholdCategory, HouseholdStatus, PersonStatus
from zhenwu.registry.models import Household, Person

# Target groups (排查对象). Codes are stored on the round; labels are shown in the UI.
GROUP_LIFTED = "lifted"
GROUP_MONITORED = "monitored"
GROUP_DIBAO_TEKUN = "dibao_tekun"
GROUP_OPEN_PROBLEM = "open_problem"
TARGET_GROUPS = {
    GROUP_LIFTED: _("脱贫户"),
    GROUP_MONITORED: _("监测户"),
    GROUP_DIBAO_TEKUN: _("低保/特困户"),
    GROUP_OPEN_PROBLEM: _("有未整改问题的农户"),
}
DEFAULT_TARGET_GROUPS = (GROUP_LIFTED, GROUP_MONITORED, GROUP_DIBAO_TEKUN, GROUP_OPEN_PROBLEM)

# 两不愁三保障 + 饮水: checklist key → model field.
CHECKS = {
    "food": "food_ok",
    "clothing": "clothing_ok",
    "education": "education_ok",
    "medical": "medical_ok",
    "housing": "housing_ok",
    "water": "water_ok",
}
# A problem is "open" until it has been verified as fixed.
UNRESOLVED_PROBLEM = [ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS, ProblemStatus.FIXED]
MAX_VISITORS = 10
MAX_PROBLEMS_PER_VISIT = 6


def first_of_month(month) -> datetime.date:
    """A round's month as its first day; accepts a date or 'YYYY-MM'."""
    if isinstance(month, str):
        try:
            year, number = (int(part) for part in month.strip().split("-")[:2])
            return datetime.date(year, number, 1)
        except (ValueError, TypeError):
            raise DomainError("invalid_month") from None
    if isinstance(month, datetime.date):
        return month.replace(day=1)
    raise DomainError("invalid_month")


def _group_condition(group: str) -> Q:
    if group == GROUP_LIFTED:
        return Q(category=HouseholdCategory.LIFTED)
    if group == GROUP_MONITORED:
        return Q(category=HouseholdCategory.MONITORED)
    if group == GROUP_DIBAO_TEKUN:
        members = Person.objects.filter(
            Q(receives_dibao=True) | Q(receives_tekun=True),
            household=OuterRef("pk"),
            status=PersonStatus.ACTIVE,
        )
        return Q(Exists(members))
    if group == GROUP_OPEN_PROBLEM:
        problems = Problem.objects.filter(household=OuterRef("pk"), status__in=UNRESOLVED_PROBLEM)
        return Q(Exists(problems))
    raise DomainError("invalid_target_group")


def target_households_for(village, groups) -> QuerySet[Household]:
    """Active households of ``village`` in any of ``groups`` (an OR of the groups)."""
    condition = Q()
    for group in groups:
        condition |= _group_condition(group)
    return Household.objects.filter(condition, village=village, status=HouseholdStatus.ACTIVE)


def _clean_groups(groups) -> list[str]:
    chosen = list(DEFAULT_TARGET_GROUPS if groups is None else groups)
    if not chosen or any(g not in TARGET_GROUPS for g in chosen):
        raise DomainError("invalid_target_group")
    return sorted(set(chosen))


def _check_actor(actor, village) -> None:
    """``actor=None`` is the server console (``zhenwu open_rounds``): no scope check."""
    if actor is None:
        return
    require_perm(actor, Perm.SCREEN_HOUSEHOLDS)
    require_area(actor, village, Perm.SCREEN_HOUSEHOLDS)


def _username(actor) -> str:
    if actor is not None:
        return ""
    from zhenwu.registry.importer import console_user

    return console_user()


@transaction.atomic
def do_open_round(village, month, *, actor, groups=None) -> ScreeningRound:
    """Open (or refresh) the round of ``village`` for ``month``. Re-running adds households
    that newly qualify and never removes one; the groups only ever widen."""
    if village is None or village.level != AreaLevel.VILLAGE:
        raise DomainError("area_level")
    _check_actor(actor, village)
    month = first_of_month(month)
    chosen = _clean_groups(groups)
    round_, created = ScreeningRound.objects.select_for_update().get_or_create(
        village=village,
        month=month,
        defaults={"target_groups": chosen, "created_by": actor, "updated_by": actor},
    )
    if round_.status == RoundStatus.CLOSED:
        return round_
    if not created:
        chosen = sorted(set(round_.target_groups) | set(chosen))
        if chosen != round_.target_groups:
            round_.target_groups = chosen
            round_.updated_by = actor
            round_.save(update_fields=["target_groups", "updated_by", "updated_at"])
    existing = set(round_.target_households.values_list("pk", flat=True))
    wanted = set(target_households_for(village, chosen).values_list("pk", flat=True))
    added = sorted(wanted - existing)
    round_.target_households.add(*added)
    audit.record(
        "monitoring.round_opened" if created else "monitoring.round_refreshed",
        actor=actor,
        obj=round_,
        username=_username(actor),
        data={
            "village": village.code,
            "month": month.strftime("%Y-%m"),
            "groups": chosen,
            "added": len(added),
            "targets": len(existing) + len(added),
        },
    )
    return round_


@transaction.atomic
def do_close_round(round_: ScreeningRound, *, actor) -> ScreeningRound:
    _check_actor(actor, round_.village)
    if round_.status == RoundStatus.CLOSED:
        raise DomainError("round_closed")
    visited, targets, _rate = round_progress(round_)
    round_.status = RoundStatus.CLOSED
    round_.updated_by = actor
    round_.version += 1
    round_.save(update_fields=["status", "updated_by", "version", "updated_at"])
    audit.record(
        "monitoring.round_closed",
        actor=actor,
        obj=round_,
        username=_username(actor),
        data={"visited": visited, "targets": targets},
    )
    return round_


# --- visits ----------------------------------------------------------------------------


def _clean_visitors(visitors) -> list[str]:
    if isinstance(visitors, str):
        visitors = visitors.replace("，", ",").replace("、", ",").split(",")
    names = [str(v).strip()[:50] for v in (visitors or []) if str(v).strip()]
    if not names:
        raise DomainError("visitors_required")
    if len(names) > MAX_VISITORS:
        raise DomainError("too_many_visitors")
    return names


def _clean_checks(checks: dict) -> dict:
    unknown = set(checks or {}) - set(CHECKS)
    if unknown:
        raise DomainError("invalid_check", key=",".join(sorted(unknown)))
    return {CHECKS[key]: bool((checks or {}).get(key, True)) for key in CHECKS}


def _clean_amount(value) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0))
    except (InvalidOperation, ValueError):
        raise DomainError("invalid_amount") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise DomainError("invalid_amount")
    return amount.quantize(Decimal("0.01"))


def _clean_problems(problems, visited_on) -> list[dict]:
    cleaned = []
    for item in problems or []:
        kind = item.get("kind")
        description = (item.get("description") or "").strip()
        owner = (item.get("owner") or "").strip()
        deadline_on = item.get("deadline_on")
        if kind not in ProblemKind.values or not description or not owner:
            raise DomainError("invalid_problem")
        if not isinstance(deadline_on, datetime.date) or deadline_on < visited_on:
            raise DomainError("invalid_problem")
        cleaned.append(
            {"kind": kind, "description": description, "owner": owner, "deadline_on": deadline_on}
        )
    if len(cleaned) > MAX_PROBLEMS_PER_VISIT:
        raise DomainError("invalid_problem")
    return cleaned


def _risk_description(visit: ScreeningVisit, notes: str) -> str:
    """The clue's text: which checks failed, income, spending and the cadre's notes."""
    failed = [
        str(ScreeningVisit._meta.get_field(field).verbose_name)
        for field in CHECKS.values()
        if not getattr(visit, field)
    ]
    parts = [str(_("入户排查发现：")) + ("、".join(failed) if failed else str(_("见走访情况")))]
    if visit.income_change == IncomeChange.DECREASED:
        parts.append(str(_("收入明显减少")))
    if visit.rigid_spending:
        parts.append(str(_("新增刚性支出 %(amount)s 元")) % {"amount": visit.rigid_spending})
    if notes:
        parts.append(notes)
    return "；".join(parts)


def _report_clue(visit, *, actor, round_, household, risk_types, notes):
    """Returns (clue, duplicate). A duplicate leaves the visit saved (savepoint)."""
    from zhenwu.monitoring.actions.clues import do_report_clue

    try:
        with transaction.atomic():
            clue = do_report_clue(
                actor=actor,
                village=round_.village,
                channel=Channel.CADRE_SCREENING,
                reported_on=visit.visited_on,
                household=household,
                risk_types=list(risk_types or ()),
                description=_risk_description(visit, notes),
                visit=visit,
            )
    except DomainError as error:
        if error.code == "duplicate_clue":
            return None, True
        raise
    return clue, False


def _open_problems(visit, items, *, actor, household) -> list:
    if not items:
        return []
    from zhenwu.monitoring.actions.problems import do_open_problem

    return [
        do_open_problem(
            household,
            actor=actor,
            kind=item["kind"],
            description=item["description"],
            owner=item["owner"],
            found_on=visit.visited_on,
            deadline_on=item["deadline_on"],
            visit=visit,
        )
        for item in items
    ]


@transaction.atomic
def do_record_visit(
    round_: ScreeningRound,
    household: Household,
    *,
    actor,
    visited_on: datetime.date,
    visitors,
    checks: dict,
    income_change: str = IncomeChange.STABLE,
    rigid_spending=0,
    notes: str = "",
    report_clue: bool = False,
    risk_types=(),
    problems: list[dict] | None = None,
    expected_version: int | None = None,
) -> ScreeningVisit:
    """Record the visit of a target household. A second record for the same household
    needs ``expected_version`` (the version the editor read) and updates the visit;
    without it: DomainError("duplicate_visit"); with a stale one: DomainError("conflict").

    The returned visit carries ``clue`` (or None), ``clue_duplicate`` (an open clue or case
    already existed, so none was added) and ``new_problems``."""
    require_perm(actor, Perm.SCREEN_HOUSEHOLDS)
    require_area(actor, round_.village, Perm.SCREEN_HOUSEHOLDS)
    round_ = ScreeningRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.OPEN:
        raise DomainError("round_closed")
    if not round_.target_households.filter(pk=household.pk).exists():
        raise DomainError("not_a_target")
    if (
        not isinstance(visited_on, datetime.date)
        or visited_on < round_.month
        or visited_on > timezone.localdate()
    ):
        raise DomainError("invalid_visit_date")
    if income_change not in IncomeChange.values:
        raise DomainError("invalid_income_change")
    values = {
        "visited_on": visited_on,
        "visitors": _clean_visitors(visitors),
        **_clean_checks(checks),
        "income_change": income_change,
        "rigid_spending": _clean_amount(rigid_spending),
        "notes": (notes or "").strip(),
    }
    problem_items = _clean_problems(problems, visited_on)

    visit = ScreeningVisit.objects.filter(round=round_, household=household).first()
    created = visit is None
    if created:
        visit = ScreeningVisit(round=round_, household=household, created_by=actor)
    elif expected_version is None:
        raise DomainError("duplicate_visit")
    elif visit.version != expected_version:
        raise DomainError("conflict")
    else:
        visit.version += 1
    for field, value in values.items():
        setattr(visit, field, value)
    visit.updated_by = actor
    visit.save()

    visit.clue, visit.clue_duplicate = None, False
    if report_clue:
        visit.clue, visit.clue_duplicate = _report_clue(
            visit,
            actor=actor,
            round_=round_,
            household=household,
            risk_types=risk_types,
            notes=values["notes"],
        )
    visit.new_problems = _open_problems(visit, problem_items, actor=actor, household=household)
    audit.record(
        "monitoring.visit_recorded" if created else "monitoring.visit_updated",
        actor=actor,
        obj=visit,
        data={
            "round": str(round_.public_id),
            "household": household.number,
            "visited_on": visited_on,
            "checks": {key: getattr(visit, field) for key, field in CHECKS.items()},
            "income_change": visit.income_change,
            "has_problem": visit.has_problem,
            "clue": str(visit.clue.public_id) if visit.clue else None,
            "clue_duplicate": visit.clue_duplicate,
            "problems": [str(p.public_id) for p in visit.new_problems],
        },
    )
    return visit

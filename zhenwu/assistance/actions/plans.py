"""帮扶责任人 and 一户一策 plans with their measures (DOMAIN.md §6).

Every action: Perm.EDIT_ASSISTANCE with the household's village (or the helper's area) in the
actor's scope, one transaction, one audit row. Measures go planned → implemented or
planned → cancelled; nothing else changes a measure's status.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.assistance import selectors
from zhenwu.assistance.choices import MeasureCategory, MeasureStatus, PlanStatus
from zhenwu.assistance.models import AssistancePlan, Helper, HelperAssignment, Measure
from zhenwu.assistance.selectors import plan_warnings  # noqa: F401  (contract: plans.plan_warnings)
from zhenwu.core import audit
from zhenwu.core.errors import DomainError

CENT = Decimal("0.01")
ONE_DAY = datetime.timedelta(days=1)
HELPER_FIELDS = ("name", "unit", "position", "phone")


def _require_household(actor, household) -> None:
    require_perm(actor, Perm.EDIT_ASSISTANCE)
    require_area(actor, household.village, Perm.EDIT_ASSISTANCE)


def _text(value, limit: int, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError("invalid_measure")
    return text[:limit]


def _lock(model, obj, actor, expected_version: int | None) -> None:
    """Optimistic lock: the row must still be at the version the caller saw."""
    version = obj.version if expected_version is None else expected_version
    if model.objects.filter(pk=obj.pk, version=version).update(version=F("version") + 1) != 1:
        raise DomainError("conflict")
    obj.version = version + 1
    obj.updated_by = actor


# --- helpers (帮扶责任人) ---------------------------------------------------------------------


def _helper_view(helper: Helper) -> dict:
    return {"area": helper.area.code, **{f: getattr(helper, f) for f in HELPER_FIELDS}}


def _helper_values(data: dict) -> dict:
    values = {f: (data.get(f) or "").strip() for f in HELPER_FIELDS}
    if not values["name"] or not values["unit"]:
        raise DomainError("helper_incomplete")
    limits = {"name": 50, "unit": 100, "position": 50, "phone": 20}
    return {f: values[f][: limits[f]] for f in HELPER_FIELDS}


@transaction.atomic
def do_create_helper(*, actor, area, data: dict) -> Helper:
    """A 帮扶责任人 (name, unit, position, phone) of ``area`` (in the actor's scope)."""
    require_perm(actor, Perm.EDIT_ASSISTANCE)
    require_area(actor, area, Perm.EDIT_ASSISTANCE)
    helper = Helper(area=area, created_by=actor, updated_by=actor, **_helper_values(data))
    helper.save()
    audit.record(
        "assistance.helper_created", actor=actor, obj=helper, data={"after": _helper_view(helper)}
    )
    return helper


@transaction.atomic
def do_update_helper(helper: Helper, *, actor, expected_version: int, data: dict) -> Helper:
    require_perm(actor, Perm.EDIT_ASSISTANCE)
    require_area(actor, helper.area, Perm.EDIT_ASSISTANCE)
    before = _helper_view(helper)
    values = _helper_values(data)
    _lock(Helper, helper, actor, expected_version)
    for field, value in values.items():
        setattr(helper, field, value)
    helper.save()
    audit.record(
        "assistance.helper_updated",
        actor=actor,
        obj=helper,
        data={"changes": audit.diff(before, _helper_view(helper))},
    )
    return helper


@transaction.atomic
def do_assign_helper(helper: Helper, household, *, actor, start_on) -> HelperAssignment:
    """Pair ``helper`` with ``household`` from ``start_on``; the current pairing (if any)
    ends the day before. Pairing the current helper again changes nothing."""
    _require_household(actor, household)
    if not selectors.visible_helpers(actor, Perm.EDIT_ASSISTANCE).filter(pk=helper.pk).exists():
        raise DomainError("out_of_scope")
    current = (
        HelperAssignment.objects.select_for_update()
        .filter(household=household, end_on__isnull=True)
        .first()
    )
    if current is not None and current.helper_id == helper.pk:
        return current
    ended = None
    if current is not None:
        if start_on <= current.start_on:
            raise DomainError("date_order")
        current.end_on, current.updated_by = start_on - ONE_DAY, actor
        current.version += 1
        current.save(update_fields=["end_on", "updated_by", "version", "updated_at"])
        ended = {"helper": str(current.helper.public_id), "end_on": current.end_on}
    pairing = HelperAssignment.objects.create(
        helper=helper, household=household, start_on=start_on, created_by=actor, updated_by=actor
    )
    data = {"helper": str(helper.public_id), "household": household.number, "start_on": start_on}
    if ended:
        data["ended"] = ended
    audit.record("assistance.helper_assigned", actor=actor, obj=pairing, data=data)
    return pairing


# --- plans and measures (一户一策) -------------------------------------------------------------


@transaction.atomic
def do_create_plan(household, year: int, *, actor, goals: str = "") -> AssistancePlan:
    """The household's plan for ``year`` (one per household per year; a plan is in force
    from its creation, so it starts ``active``)."""
    _require_household(actor, household)
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise DomainError("parameter_invalid")
    if AssistancePlan.objects.filter(household=household, year=year).exists():
        raise DomainError("duplicate_plan")
    plan = AssistancePlan(
        household=household,
        year=year,
        status=PlanStatus.ACTIVE,
        goals=(goals or "").strip()[:2000],
        created_by=actor,
        updated_by=actor,
    )
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:  # a concurrent request created it first
        raise DomainError("duplicate_plan") from None
    audit.record(
        "assistance.plan_created",
        actor=actor,
        obj=plan,
        data={"household": household.number, "year": year},
    )
    return plan


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation:
        raise DomainError("invalid_measure") from None
    if not amount.is_finite() or amount < 0:
        raise DomainError("invalid_measure")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _measure_view(measure: Measure) -> dict:
    return {
        "category": measure.category,
        "description": measure.description,
        "amount": measure.amount,
        "planned_on": measure.planned_on,
        "implemented_on": measure.implemented_on,
        "status": measure.status,
        "person": str(measure.person.public_id) if measure.person_id else None,
    }


@transaction.atomic
def do_add_measure(
    plan: AssistancePlan,
    *,
    actor,
    category: str,
    description: str,
    amount,
    planned_on: datetime.date,
    person=None,
) -> Measure:
    household = plan.household
    _require_household(actor, household)
    if plan.status == PlanStatus.CLOSED:
        raise DomainError("plan_closed")
    if category not in MeasureCategory.values or planned_on is None:
        raise DomainError("invalid_measure")
    if person is not None and person.household_id != household.pk:
        raise DomainError("not_a_member")
    measure = Measure.objects.create(
        plan=plan,
        household=household,
        person=person,
        category=category,
        description=_text(description, 200),
        amount=_amount(amount),
        planned_on=planned_on,
        created_by=actor,
        updated_by=actor,
    )
    audit.record(
        "assistance.measure_added",
        actor=actor,
        obj=measure,
        data={"plan": str(plan.public_id), "after": _measure_view(measure)},
    )
    return measure


def _finish(measure: Measure, *, actor, status: str, expected_version, data: dict) -> Measure:
    _require_household(actor, measure.household)
    if measure.status != MeasureStatus.PLANNED:
        raise DomainError("measure_not_planned")
    if measure.plan.status == PlanStatus.CLOSED:
        raise DomainError("plan_closed")
    _lock(Measure, measure, actor, expected_version)
    measure.status = status
    measure.save()
    audit.record(f"assistance.measure_{status}", actor=actor, obj=measure, data=data)
    return measure


@transaction.atomic
def do_implement_measure(
    measure: Measure, *, actor, implemented_on: datetime.date, expected_version=None
) -> Measure:
    if implemented_on is None:
        raise DomainError("invalid_measure")
    measure.implemented_on = implemented_on
    data = {"category": measure.category, "implemented_on": implemented_on}
    return _finish(
        measure,
        actor=actor,
        status=MeasureStatus.IMPLEMENTED,
        expected_version=expected_version,
        data=data,
    )


@transaction.atomic
def do_cancel_measure(measure: Measure, *, actor, reason: str, expected_version=None) -> Measure:
    text = (reason or "").strip()
    if not text:
        raise DomainError("reason_missing")
    return _finish(
        measure,
        actor=actor,
        status=MeasureStatus.CANCELLED,
        expected_version=expected_version,
        data={"category": measure.category, "reason": text[:500]},
    )

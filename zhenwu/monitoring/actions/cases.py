"""识别纳入 and 风险消除 cases through the review chain (DOMAIN.md §4-5, states.CASE_CHAIN).

Every step: permission from ``states.STEP_PERMISSION`` and the household's village in the
actor's scope; optimistic lock on the case (``version``); one ``CaseEvent`` and one audit
row. Review and approval steps follow maker ≠ checker (see ``_require_checker``).
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.monitoring.choices import (
    CaseAction,
    CaseKind,
    CaseStatus,
    ClueStatus,
    EliminationWay,
    ParameterKey,
    ProblemKind,
    ProblemStatus,
)
from zhenwu.monitoring.models import OPEN_CASE_STATUSES, CaseEvent, MonitoringCase, Problem
from zhenwu.monitoring.parameters import parameter_days, parameter_value
from zhenwu.monitoring.rules.elimination import (
    EliminationFacts,
    check_criteria,
    failed,
    unchecked,
)
from zhenwu.monitoring.states import (
    CASE_CHAIN,
    CLUE_TRANSITIONS,
    STEP_PERMISSION,
    check_transition,
    next_case_status,
    previous_case_status,
)
from zhenwu.registry.choices import (
    HouseholdCategory,
    LabourCapacity,
    MonitoringCategory,
    PersonStatus,
    RiskStatus,
    RiskType,
)
from zhenwu.registry.models import Household, IncomeRecord

MIN_VERIFIERS = 2
MAX_RISK_TYPES = 5
LABOUR_CAPACITIES = {LabourCapacity.ORDINARY, LabourCapacity.SKILLED, LabourCapacity.WEAK}
# Problems that block an elimination: the 两不愁三保障 and drinking-water items.
BLOCKING_PROBLEM_KINDS = [k for k in ProblemKind.values if k != ProblemKind.OTHER]
# Fields filled by the step that leads INTO a status; a return clears them.
STEP_FIELDS = {
    CaseStatus.HOME_VERIFIED: {"verified_on": None, "verifiers": [], "verification_notes": ""},
    CaseStatus.VILLAGE_REVIEWED: {
        "review_meeting_on": None,
        "review_attendees": None,
        "votes_for": None,
        "votes_against": None,
        "review_minutes": "",
    },
    CaseStatus.NOTICE_POSTED: {"notice_posted_on": None, "notice_ends_on": None},
    CaseStatus.TOWNSHIP_REVIEWED: {"township_reviewed_on": None},
}


# --- parameters ------------------------------------------------------------------------


def whole_parameter(area, key: str, on: datetime.date) -> int:
    """A day/month count (identification_days, notice_days, elimination_months) for ``area``
    on ``on``; DomainError("parameter_missing") when not configured."""
    return parameter_days(area, key, on)


def income_line(area, year: int) -> Decimal | None:
    """The monitoring line that holds at the end of ``year`` (None when not configured:
    the income criterion then fails with "line missing")."""
    try:
        return parameter_value(area, ParameterKey.INCOME_LINE, datetime.date(year, 12, 31))
    except DomainError:
        return None


# --- helpers ---------------------------------------------------------------------------


def _require_step(case: MonitoringCase, actor, target: str) -> None:
    perm = STEP_PERMISSION[target]
    require_perm(actor, perm)
    require_area(actor, case.household.village, perm)


def _require_status(case: MonitoringCase, *statuses: str) -> None:
    if case.status not in statuses:
        raise DomainError("illegal_transition")


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise DomainError("reason_missing")
    return text[:2000]


def _previous_actor_id(case: MonitoringCase):
    """Who moved the case into its current status (the opener for a draft)."""
    event = (
        case.events.filter(action=CaseAction.ADVANCE, to_status=case.status)
        .order_by("-at", "-id")
        .first()
    )
    return event.actor_id if event is not None else case.created_by_id


def _require_checker(case: MonitoringCase, actor, target: str) -> None:
    """Maker ≠ checker: a review/approval is made by someone else than the previous step,
    and nobody approves a case they opened."""
    if _previous_actor_id(case) == actor.pk:
        raise DomainError("maker_is_checker")
    if target == CaseStatus.APPROVED and case.created_by_id == actor.pk:
        raise DomainError("maker_is_checker")


def can_check(case: MonitoringCase, actor, target: str) -> bool:
    """For the UI: would maker ≠ checker allow ``actor`` to take the case to ``target``?"""
    try:
        _require_checker(case, actor, target)
    except DomainError:
        return False
    return True


def _lock(case: MonitoringCase, actor, expected_version: int | None) -> None:
    """Optimistic lock: the case must still be at the version (and status) the caller saw."""
    version = case.version if expected_version is None else expected_version
    updated = MonitoringCase.objects.filter(pk=case.pk, version=version, status=case.status).update(
        version=F("version") + 1
    )
    if updated != 1:
        raise DomainError("conflict")
    case.version = version + 1
    case.updated_by = actor


def _move(
    case, *, actor, action: str, to_status: str, reason="", data=None, expected_version=None
) -> None:
    _lock(case, actor, expected_version)  # last, so that a refused step leaves no trace
    from_status = case.status
    case.status = to_status
    case.save()
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )
    audit.record(
        f"monitoring.case_{action}",
        actor=actor,
        obj=case,
        data={
            "kind": case.kind,
            "household": case.household.number,
            "from": from_status,
            "to": to_status,
            "reason": reason[:200],
            **(data or {}),
        },
    )


def _advance(case, *, actor, expected_version, reason: str = "", data=None) -> MonitoringCase:
    _move(
        case,
        actor=actor,
        action=CaseAction.ADVANCE,
        to_status=next_case_status(case.status),
        reason=reason,
        data=data,
        expected_version=expected_version,
    )
    return case


def _prepare_step(case, actor, target: str) -> None:
    _require_status(case, *_statuses_before(target))
    _require_step(case, actor, target)
    if target in (CaseStatus.TOWNSHIP_REVIEWED, CaseStatus.APPROVED):
        _require_checker(case, actor, target)


def _statuses_before(target: str) -> tuple[str, ...]:
    return (CASE_CHAIN[CASE_CHAIN.index(target) - 1],)


def _validate_risk_types(risk_types) -> list[str]:
    risk_types = list(dict.fromkeys(risk_types or []))
    if len(risk_types) > MAX_RISK_TYPES:
        raise DomainError("too_many_risk_types")
    unknown = set(risk_types) - set(RiskType.values)
    if unknown:
        raise ValueError(f"unknown risk types: {sorted(unknown)}")
    return risk_types


def _known_risks(risk_types) -> list[str]:
    """A clue's risk types as a default: known codes only, at most five."""
    return [r for r in dict.fromkeys(risk_types or []) if r in RiskType.values][:MAX_RISK_TYPES]


def _is_monitored_unresolved(household: Household) -> bool:
    return (
        household.category == HouseholdCategory.MONITORED
        and household.risk_status == RiskStatus.UNRESOLVED
    )


def _create_case(**fields) -> MonitoringCase:
    try:
        with transaction.atomic():
            return MonitoringCase.objects.create(**fields)
    except IntegrityError:
        raise DomainError("open_case_exists") from None


# --- opening ---------------------------------------------------------------------------


def default_category(household: Household) -> str:
    """脱贫户 → 脱贫不稳定户; anyone else → 边缘易致贫户 (changeable before approval)."""
    if household.category == HouseholdCategory.LIFTED:
        return MonitoringCategory.UNSTABLE_LIFTED
    return MonitoringCategory.MARGINAL


@transaction.atomic
def do_open_identification_case(clue, *, actor, category: str = "", risk_types=None):
    """识别纳入 from a clue; the 15-day clock runs from the clue's ``reported_on``."""
    if clue.household_id is None or clue.status not in (ClueStatus.NEW, ClueStatus.VERIFYING):
        raise DomainError("clue_not_ready")
    household = Household.objects.select_for_update().get(pk=clue.household_id)
    require_perm(actor, Perm.MANAGE_CLUES)
    require_area(actor, household.village, Perm.MANAGE_CLUES)
    check_transition(CLUE_TRANSITIONS, clue.status, ClueStatus.CASE_OPENED)
    if _is_monitored_unresolved(household):
        raise DomainError("already_monitored")
    if category and category not in MonitoringCategory.values:
        raise ValueError(f"unknown category: {category}")
    if MonitoringCase.objects.filter(
        household=household, kind=CaseKind.IDENTIFICATION, status__in=OPEN_CASE_STATUSES
    ).exists():
        raise DomainError("open_case_exists")
    days = whole_parameter(household.village, ParameterKey.IDENTIFICATION_DAYS, clue.reported_on)
    case = _create_case(
        kind=CaseKind.IDENTIFICATION,
        household=household,
        category=category or default_category(household),
        risk_types=_validate_risk_types(
            risk_types if risk_types is not None else _known_risks(clue.risk_types)
        ),
        started_on=clue.reported_on,
        deadline_on=clue.reported_on + datetime.timedelta(days=days),
        created_by=actor,
        updated_by=actor,
    )
    updated = (
        type(clue)
        .objects.filter(pk=clue.pk, status=clue.status)
        .update(
            status=ClueStatus.CASE_OPENED, case=case, version=F("version") + 1, updated_by=actor
        )
    )
    if updated != 1:
        raise DomainError("conflict")
    clue.status, clue.case = ClueStatus.CASE_OPENED, case
    _opened(case, actor, {"clue": str(clue.public_id)})
    return case


def _opened(case: MonitoringCase, actor, data: dict) -> None:
    CaseEvent.objects.create(
        case=case, actor=actor, action="open", from_status="", to_status=case.status
    )
    audit.record(
        "monitoring.case_opened",
        actor=actor,
        obj=case,
        data={"kind": case.kind, "household": case.household.number, **data},
    )


@transaction.atomic
def do_open_elimination_case(household, *, actor, way: str, started_on=None):
    """风险消除: only for monitored households with unresolved risk, never for 整户无劳动力."""
    household = Household.objects.select_for_update().select_related("village").get(pk=household.pk)
    require_perm(actor, Perm.CASE_VILLAGE_STEPS)
    require_area(actor, household.village, Perm.CASE_VILLAGE_STEPS)
    if way not in EliminationWay.values:
        raise ValueError(f"unknown elimination way: {way}")
    if household.no_labour:
        raise DomainError("no_labour_household")
    if not _is_monitored_unresolved(household):
        raise DomainError("not_monitored")
    started_on = started_on or timezone.localdate()
    days = whole_parameter(household.village, ParameterKey.IDENTIFICATION_DAYS, started_on)
    case = _create_case(
        kind=CaseKind.ELIMINATION,
        household=household,
        category=household.monitoring_category,
        risk_types=list(household.risks or []),
        started_on=started_on,
        deadline_on=started_on + datetime.timedelta(days=days),
        elimination_way=way,
        created_by=actor,
        updated_by=actor,
    )
    case.criteria_results = criteria_results(case, on=started_on)
    case.save(update_fields=["criteria_results"])
    _opened(case, actor, {"way": way})
    return case


# --- elimination criteria --------------------------------------------------------------


def elimination_facts(case: MonitoringCase, on: datetime.date) -> EliminationFacts:
    household = case.household
    members = household.members.filter(status=PersonStatus.ACTIVE)
    latest = IncomeRecord.objects.filter(household=household).order_by("-year").first()
    open_problems = Problem.objects.filter(
        household=household, kind__in=BLOCKING_PROBLEM_KINDS
    ).exclude(status=ProblemStatus.VERIFIED)
    return EliminationFacts(
        way=case.elimination_way,
        on=on,
        monitoring_since=household.monitoring_since,
        elimination_months=whole_parameter(household.village, ParameterKey.ELIMINATION_MONTHS, on),
        has_labour=members.filter(labour_capacity__in=LABOUR_CAPACITIES).exists(),
        no_labour_flag=household.no_labour,
        income_year=latest.year if latest else None,
        per_capita_income=latest.per_capita_net_income if latest else None,
        income_line=income_line(household.village, latest.year) if latest else None,
        open_problem_count=open_problems.count(),
        development_measures=_development_measures(household, on),
    )


def _development_measures(household, on: datetime.date) -> int | None:
    """Implemented development-type measures (产业/就业/金融/公益岗位) from the assistance
    ledgers. A soft dependency: without the assistance app the criterion stays "not
    checkable" rather than passing."""
    from django.apps import apps

    if not apps.is_installed("zhenwu.assistance"):
        return None
    from zhenwu.assistance.selectors import implemented_development_measures

    return implemented_development_measures(household, on)


def criteria_results(case: MonitoringCase, *, on: datetime.date) -> dict:
    criteria = check_criteria(elimination_facts(case, on))
    return {
        "checked_on": on.isoformat(),
        "items": [c.as_dict() for c in criteria],
        "failed": failed(criteria),
        "unchecked": unchecked(criteria),
    }


def _require_criteria(case: MonitoringCase, on: datetime.date) -> dict:
    results = criteria_results(case, on=on)
    case.criteria_results = results
    if results["failed"]:
        raise DomainError("criteria_not_met")
    return results


# --- steps -----------------------------------------------------------------------------


@transaction.atomic
def do_record_home_verification(
    case, *, actor, verified_on, verifiers, notes="", expected_version=None
):
    """入户核实 by at least two people."""
    names = [v.strip() for v in verifiers or [] if v and v.strip()]
    _prepare_step(case, actor, CaseStatus.HOME_VERIFIED)
    if len(set(names)) < MIN_VERIFIERS:
        raise DomainError("too_few_verifiers")
    if verified_on < case.started_on:
        raise DomainError("date_order")
    case.verified_on, case.verifiers, case.verification_notes = verified_on, names, notes
    case.application_signed = True
    return _advance(case, actor=actor, expected_version=expected_version)


@transaction.atomic
def do_record_village_review(
    case,
    *,
    actor,
    meeting_on,
    attendees: int,
    votes_for: int,
    votes_against: int,
    minutes="",
    expected_version=None,
):
    """民主评议. Without a majority of the votes cast the village does not agree: the case is
    closed as rejected (the minutes are kept) instead of going on to the notice."""
    _prepare_step(case, actor, CaseStatus.VILLAGE_REVIEWED)
    if min(attendees, votes_for, votes_against) < 0 or votes_for + votes_against > attendees:
        raise DomainError("votes_invalid")
    if case.verified_on and meeting_on < case.verified_on:
        raise DomainError("date_order")
    case.review_meeting_on, case.review_attendees = meeting_on, attendees
    case.votes_for, case.votes_against, case.review_minutes = votes_for, votes_against, minutes
    votes = {"votes_for": votes_for, "votes_against": votes_against, "attendees": attendees}
    if votes_for * 2 <= votes_for + votes_against:
        case.closing_reason = f"village_review_failed:{votes_for}/{votes_against}"
        _move(
            case,
            actor=actor,
            action=CaseAction.REJECT,
            to_status=CaseStatus.REJECTED,
            reason=case.closing_reason,
            data=votes,
            expected_version=expected_version,
        )
        return case
    return _advance(case, actor=actor, expected_version=expected_version, data=votes)


@transaction.atomic
def do_post_notice(case, *, actor, posted_on, expected_version=None):
    """村内公示 for at least ``notice_days`` days."""
    _prepare_step(case, actor, CaseStatus.NOTICE_POSTED)
    if case.review_meeting_on and posted_on < case.review_meeting_on:
        raise DomainError("date_order")
    days = whole_parameter(case.household.village, ParameterKey.NOTICE_DAYS, posted_on)
    case.notice_posted_on = posted_on
    case.notice_ends_on = posted_on + datetime.timedelta(days=days)
    return _advance(case, actor=actor, expected_version=expected_version)


@transaction.atomic
def do_township_review(case, *, actor, reviewed_on, expected_version=None):
    """乡镇审核, not before the notice period has ended; elimination criteria re-checked."""
    _prepare_step(case, actor, CaseStatus.TOWNSHIP_REVIEWED)
    if case.notice_ends_on is None or reviewed_on < case.notice_ends_on:
        raise DomainError("notice_too_short")
    data = {}
    if case.kind == CaseKind.ELIMINATION:
        results = _require_criteria(case, reviewed_on)
        data["unchecked"] = results["unchecked"]  # confirmed by hand by this reviewer
    case.township_reviewed_on = reviewed_on
    return _advance(case, actor=actor, expected_version=expected_version, data=data)


@transaction.atomic
def do_approve_case(case, *, actor, approved_on, expected_version=None):
    """县级审定: the household becomes monitored (identification) or its risk is marked
    eliminated (elimination), through the audited registry action."""
    from zhenwu.registry.actions import do_apply_monitoring_decision

    _prepare_step(case, actor, CaseStatus.APPROVED)
    if case.township_reviewed_on and approved_on < case.township_reviewed_on:
        raise DomainError("date_order")
    household = Household.objects.select_for_update().get(pk=case.household_id)
    if case.kind == CaseKind.IDENTIFICATION:
        changes = {
            "category": HouseholdCategory.MONITORED,
            "monitoring_category": case.category,
            "monitoring_since": approved_on.replace(day=1),
            "risk_status": RiskStatus.UNRESOLVED,
            "risk_eliminated_on": None,
            "risks": list(case.risk_types)[:MAX_RISK_TYPES],
        }
    else:
        if household.no_labour:
            raise DomainError("no_labour_household")
        _require_criteria(case, approved_on)
        changes = {"risk_status": RiskStatus.ELIMINATED, "risk_eliminated_on": approved_on}
    do_apply_monitoring_decision(
        household,
        actor=actor,
        expected_version=household.version,
        changes=changes,
        case_id=str(case.public_id),
    )
    case.approved_on = approved_on
    case.household = household
    return _advance(case, actor=actor, expected_version=expected_version)


@transaction.atomic
def do_return_case(case, *, actor, reason, expected_version=None):
    """退回修改: one step back; needs the permission of the step that was refused."""
    text = _reason(reason)
    target = previous_case_status(case.status) if case.is_open else None
    if target is None:
        raise DomainError("illegal_transition")
    _require_step(case, actor, _deciding_step(case.status))
    for field, empty in STEP_FIELDS.get(case.status, {}).items():
        setattr(case, field, empty)
    _move(
        case,
        actor=actor,
        action=CaseAction.RETURN,
        to_status=target,
        reason=text,
        expected_version=expected_version,
    )
    return case


@transaction.atomic
def do_reject_case(case, *, actor, reason, expected_version=None):
    """不予通过: closes the case (an identification case's clue stays linked to it)."""
    text = _reason(reason)
    if not case.is_open:
        raise DomainError("illegal_transition")
    _require_step(case, actor, _deciding_step(case.status))
    case.closing_reason = text
    _move(
        case,
        actor=actor,
        action=CaseAction.REJECT,
        to_status=CaseStatus.REJECTED,
        reason=text,
        expected_version=expected_version,
    )
    return case


def _deciding_step(status: str) -> str:
    """Whoever may take the next step may also return or reject the case instead."""
    return next_case_status(status)

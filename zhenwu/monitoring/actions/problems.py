"""动态清零: 两不愁三保障 and drinking-water problems, fixed by a deadline and verified by
someone else than the person who recorded the fix (maker ≠ checker)."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.monitoring.choices import ProblemKind, ProblemStatus
from zhenwu.monitoring.models import Problem
from zhenwu.monitoring.states import PROBLEM_TRANSITIONS, check_transition

EDITABLE = {"kind", "description", "owner", "deadline_on"}
UNFIXED = (ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS)


def is_overdue(problem: Problem, today: datetime.date | None = None) -> bool:
    """Not fixed although the deadline has passed."""
    today = today or timezone.localdate()
    return problem.status in UNFIXED and today > problem.deadline_on


def _require(actor, household) -> None:
    require_perm(actor, Perm.MANAGE_PROBLEMS)
    require_area(actor, household.village, Perm.MANAGE_PROBLEMS)


def _validate(kind: str, description: str, owner: str, found_on, deadline_on) -> None:
    if kind not in ProblemKind.values:
        raise ValueError(f"unknown problem kind: {kind}")
    if not (description or "").strip() or not (owner or "").strip():
        raise DomainError("reason_missing")
    if deadline_on < found_on:
        raise DomainError("date_order")


def _lock(problem: Problem, actor, expected_version: int | None) -> None:
    version = problem.version if expected_version is None else expected_version
    updated = Problem.objects.filter(pk=problem.pk, version=version).update(
        version=F("version") + 1
    )
    if updated != 1:
        raise DomainError("conflict")
    problem.version = version + 1
    problem.updated_by = actor


@transaction.atomic
def do_open_problem(
    household, *, actor, kind, description, owner, found_on, deadline_on, visit=None
) -> Problem:
    _require(actor, household)
    _validate(kind, description, owner, found_on, deadline_on)
    problem = Problem.objects.create(
        household=household,
        kind=kind,
        description=description.strip(),
        owner=owner.strip(),
        found_on=found_on,
        deadline_on=deadline_on,
        visit=visit,
        created_by=actor,
        updated_by=actor,
    )
    audit.record(
        "monitoring.problem_opened",
        actor=actor,
        obj=problem,
        data={"household": household.number, "kind": kind, "deadline_on": deadline_on},
    )
    return problem


@transaction.atomic
def do_update_problem(problem, *, actor, changes: dict, expected_version=None) -> Problem:
    """Edit the description, owner, kind or deadline while the problem is not fixed."""
    _require(actor, problem.household)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if problem.status not in UNFIXED:
        raise DomainError("illegal_transition")
    before = {f: getattr(problem, f) for f in EDITABLE}
    for field, value in changes.items():
        setattr(problem, field, value)
    _validate(
        problem.kind, problem.description, problem.owner, problem.found_on, problem.deadline_on
    )
    _lock(problem, actor, expected_version)
    problem.save()
    after = {f: getattr(problem, f) for f in EDITABLE}
    audit.record(
        "monitoring.problem_updated",
        actor=actor,
        obj=problem,
        data={"changes": audit.diff(before, after)},
    )
    return problem


@transaction.atomic
def do_advance_problem(
    problem, *, actor, status, on, resolution="", expected_version=None
) -> Problem:
    """open → in_progress → fixed → verified (or fixed → in_progress when the check fails)."""
    _require(actor, problem.household)
    check_transition(PROBLEM_TRANSITIONS, problem.status, status)
    if status == ProblemStatus.FIXED:
        if on < problem.found_on:
            raise DomainError("date_order")
        problem.fixed_on, problem.fixed_by = on, actor
    elif status == ProblemStatus.VERIFIED:
        if problem.fixed_by_id == actor.pk:
            raise DomainError("maker_is_checker")
        if problem.fixed_on and on < problem.fixed_on:
            raise DomainError("date_order")
        problem.verified_on = on
    elif status == ProblemStatus.IN_PROGRESS and problem.status == ProblemStatus.FIXED:
        # The check found the fix insufficient: back to work, the fix is undone.
        problem.fixed_on, problem.fixed_by = None, None
    if resolution:
        problem.resolution = resolution.strip()
    from_status = problem.status
    problem.status = status
    _lock(problem, actor, expected_version)
    problem.save()
    audit.record(
        "monitoring.problem_advanced",
        actor=actor,
        obj=problem,
        data={"from": from_status, "to": status, "on": on},
    )
    return problem

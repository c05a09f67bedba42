"""项目库 actions: create and edit a project, move it along its lifecycle (``states``), fund
it, pay it out, set milestones, performance targets and its benefit linkage (联农带农).

Every function: keyword-only ``actor``, atomic, permission and area checked through
``accounts.policy``, one ``core.audit.record`` in the same transaction, ``DomainError``
on a broken rule. Writes that change the project row re-read it under a row lock and
honour an optional ``version`` (optimistic locking: a stale form gets ``conflict``)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from zhenwu.accounts.policy import has_perm, require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.projects.choices import BudgetItem, FundingSourceKind, ProjectType, TargetDimension
from zhenwu.projects.models import (
    Disbursement,
    FundingSource,
    Milestone,
    PerformanceTarget,
    Project,
)
from zhenwu.projects.states import (
    APPROVAL_STEPS,
    DATE_FIELDS,
    FUNDED_STATUSES,
    check_project_transition,
    step_permission,
)

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
ADVANCED_EVENT = "projects.project_advanced"
EDITABLE_FIELDS = (
    "name",
    "project_type",
    "lead_unit",
    "year",
    "description",
    "planned_start_on",
    "planned_end_on",
)


# --- helpers ---------------------------------------------------------------------------


def money(value) -> Decimal:
    """Decimal yuan, 2 places. Floats are refused: they are not exact."""
    if isinstance(value, float | bool) or value is None:
        raise DomainError("invalid_amount")
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError("invalid_amount") from None
    if not amount.is_finite():
        raise DomainError("invalid_amount")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _points(value, code: str) -> Decimal:
    if isinstance(value, float | bool) or value is None:
        raise DomainError(code)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(code) from None
    if not number.is_finite() or number < 0 or number > 100:
        raise DomainError(code)
    return number.quantize(TENTH, rounding=ROUND_HALF_UP)


def _require(actor, project: Project, perm: str = Perm.EDIT_PROJECTS) -> None:
    require_perm(actor, perm)
    require_area(actor, project.area, perm)


def _locked(project: Project, version=None) -> Project:
    """The project re-read under a row lock; ``conflict`` if the caller's copy is stale."""
    locked = Project.objects.select_for_update().select_related("area").get(pk=project.pk)
    if version is not None and int(version) != locked.version:
        raise DomainError("conflict")
    return locked


def _touch(project: Project, actor, fields: list[str]) -> None:
    project.updated_by = actor
    project.version += 1
    project.save(update_fields=[*fields, "updated_by", "version", "updated_at"])


def total_budget(project: Project) -> Decimal:
    total = project.funding_sources.aggregate(s=Sum("amount"))["s"]
    return (total or Decimal("0")).quantize(CENT)


def total_disbursed(project: Project) -> Decimal:
    total = project.disbursements.aggregate(s=Sum("amount"))["s"]
    return (total or Decimal("0")).quantize(CENT)


def _project_data(project: Project, **extra) -> dict:
    return {"code": project.code, "area": project.area.code, "status": project.status, **extra}


# --- create and edit -------------------------------------------------------------------


def _clean_fields(data: dict) -> dict:
    cleaned = {key: data[key] for key in EDITABLE_FIELDS if key in data}
    for key in ("name", "lead_unit"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
            if not cleaned[key]:
                raise DomainError("project_invalid")
    if "project_type" in cleaned and cleaned["project_type"] not in ProjectType.values:
        raise DomainError("project_invalid")
    if "year" in cleaned:
        try:
            cleaned["year"] = int(cleaned["year"])
        except (TypeError, ValueError):
            raise DomainError("project_invalid") from None
        if not 2000 <= cleaned["year"] <= 2100:
            raise DomainError("project_invalid")
    return cleaned


def _check_plan_dates(project: Project) -> None:
    if (
        project.planned_start_on
        and project.planned_end_on
        and project.planned_end_on < project.planned_start_on
    ):
        raise DomainError("project_dates")


@transaction.atomic
def do_create_project(
    *,
    actor,
    area,
    code: str,
    name: str,
    project_type: str,
    lead_unit: str,
    year: int,
    description: str = "",
    planned_start_on: datetime.date | None = None,
    planned_end_on: datetime.date | None = None,
) -> Project:
    """申报: a new project in status ``proposed``."""
    require_perm(actor, Perm.EDIT_PROJECTS)
    require_area(actor, area, Perm.EDIT_PROJECTS)
    code = (code or "").strip()
    if not code:
        raise DomainError("project_invalid")
    fields = _clean_fields(
        {
            "name": name,
            "project_type": project_type,
            "lead_unit": lead_unit,
            "year": year,
            "description": description or "",
            "planned_start_on": planned_start_on,
            "planned_end_on": planned_end_on,
        }
    )
    project = Project(area=area, code=code, created_by=actor, updated_by=actor, **fields)
    _check_plan_dates(project)
    if Project.objects.filter(code=code).exists():
        raise DomainError("project_duplicate_code", number=code)
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError:
        raise DomainError("project_duplicate_code", number=code) from None
    audit.record("projects.project_created", actor=actor, obj=project, data=_project_data(project))
    return project


@transaction.atomic
def do_update_project(project: Project, *, actor, version=None, **data) -> Project:
    """Edit the descriptive fields (not the status, area or code)."""
    _require(actor, project)
    locked = _locked(project, version)
    fields = _clean_fields(data)
    changed = [key for key, value in fields.items() if getattr(locked, key) != value]
    for key in changed:
        setattr(locked, key, fields[key])
    _check_plan_dates(locked)
    if changed:
        _touch(locked, actor, changed)
        audit.record(
            "projects.project_updated",
            actor=actor,
            obj=locked,
            data=_project_data(locked, fields=sorted(changed)),
        )
    return locked


# --- lifecycle -------------------------------------------------------------------------


def previous_step_by(project: Project):
    """User id of whoever made the project's last step (its creator while ``proposed``)."""
    event = (
        AuditEvent.objects.filter(event=ADVANCED_EVENT, object_id=str(project.public_id))
        .order_by("-id")
        .values_list("user_id", flat=True)
        .first()
    )
    return event if event is not None else project.created_by_id


def can_approve(project: Project, actor) -> bool:
    """For the UI: maker ≠ checker for the approval steps."""
    return actor.pk not in {project.created_by_id, previous_step_by(project)}


def _check_step_date(project: Project, target: str, on: datetime.date) -> None:
    if not isinstance(on, datetime.date) or on > timezone.localdate():
        raise DomainError("invalid_paid_on")
    earlier = [getattr(project, f) for s, f in DATE_FIELDS.items() if s != target]
    if target in DATE_FIELDS and any(d and d > on for d in earlier):
        raise DomainError("date_order")


@transaction.atomic
def do_advance_project(
    project: Project, *, actor, to_status: str, on: datetime.date | None = None, version=None
) -> Project:
    """One step forward (``states.PROJECT_TRANSITIONS``). Approval steps need
    ``projects.approve`` and a checker who is not a maker; 开工/完工/验收 record ``on``;
    资产登记 needs at least one registered asset."""
    perm = step_permission(to_status)
    _require(actor, project, perm)
    locked = _locked(project, version)
    check_project_transition(locked.status, to_status)
    if to_status in APPROVAL_STEPS and not can_approve(locked, actor):
        raise DomainError("maker_is_checker")
    on = on or timezone.localdate()
    _check_step_date(locked, to_status, on)
    if to_status == "assets_registered" and not locked.assets.exists():
        raise DomainError("no_assets_registered")
    previous = locked.status
    locked.status = to_status
    fields = ["status"]
    if to_status in DATE_FIELDS:
        setattr(locked, DATE_FIELDS[to_status], on)
        fields.append(DATE_FIELDS[to_status])
    _touch(locked, actor, fields)
    audit.record(
        ADVANCED_EVENT,
        actor=actor,
        obj=locked,
        data=_project_data(locked, **{"from": previous, "to": to_status, "on": on.isoformat()}),
    )
    return locked


# --- funding and disbursements -----------------------------------------------------------


@transaction.atomic
def do_add_funding(project: Project, *, actor, source: str, budget_item: str, amount):
    """资金来源: part of the budget from one level (中央/省/市/区 衔接资金, other)."""
    _require(actor, project)
    locked = _locked(project)
    if source not in FundingSourceKind.values or budget_item not in BudgetItem.values:
        raise DomainError("invalid_amount")
    amount = money(amount)
    if amount <= 0:
        raise DomainError("invalid_amount")
    funding = FundingSource.objects.create(
        project=locked,
        source=source,
        budget_item=budget_item,
        amount=amount,
        created_by=actor,
        updated_by=actor,
    )
    _touch(locked, actor, [])
    audit.record(
        "projects.funding_added",
        actor=actor,
        obj=locked,
        data=_project_data(
            locked,
            source=source,
            budget_item=budget_item,
            amount=str(amount),
            budget=str(total_budget(locked)),
        ),
    )
    return funding


@transaction.atomic
def do_record_disbursement(
    project: Project,
    *,
    actor,
    paid_on: datetime.date,
    amount,
    voucher: str,
    funding_source: FundingSource | None = None,
    note: str = "",
    over_budget_reason: str = "",
) -> Disbursement:
    """资金拨付. The running total never exceeds the budget, unless a holder of
    ``projects.approve`` gives ``over_budget_reason`` (kept on the row and audited).
    A negative amount is a correction (冲减) and needs a note."""
    _require(actor, project)
    locked = _locked(project)  # serialises concurrent payments of one project
    if locked.status not in FUNDED_STATUSES:
        raise DomainError("project_not_funded")
    amount = money(amount)
    voucher = (voucher or "").strip()
    note = (note or "").strip()
    reason = (over_budget_reason or "").strip()
    if (
        amount == 0
        or not voucher
        or not isinstance(paid_on, datetime.date)
        or paid_on > timezone.localdate()
        or (amount < 0 and not note)
    ):
        raise DomainError("disbursement_invalid")
    if funding_source is not None and funding_source.project_id != locked.pk:
        raise DomainError("funding_source_foreign")
    budget = total_budget(locked)
    new_total = total_disbursed(locked) + amount
    if new_total < 0:
        raise DomainError("disbursement_invalid")
    over = new_total > budget
    if over and not (reason and has_perm(actor, Perm.APPROVE_PROJECTS)):
        raise DomainError("over_budget", total=new_total, budget=budget)
    if over:
        require_area(actor, locked.area, Perm.APPROVE_PROJECTS)
    disbursement = Disbursement.objects.create(
        project=locked,
        funding_source=funding_source,
        paid_on=paid_on,
        amount=amount,
        voucher=voucher[:64],
        note=note[:200],
        over_budget_reason=reason[:200] if over else "",
        created_by=actor,
        updated_by=actor,
    )
    _touch(locked, actor, [])
    audit.record(
        "projects.disbursement_over_budget" if over else "projects.disbursement_recorded",
        actor=actor,
        obj=locked,
        data=_project_data(
            locked,
            amount=str(amount),
            voucher=disbursement.voucher,
            paid_on=paid_on.isoformat(),
            disbursed=str(new_total),
            budget=str(budget),
            over_budget_reason=disbursement.over_budget_reason,
        ),
    )
    return disbursement


# --- milestones ------------------------------------------------------------------------


@transaction.atomic
def do_add_milestone(project: Project, *, actor, title: str, due_on: datetime.date) -> Milestone:
    _require(actor, project)
    locked = _locked(project)
    title = (title or "").strip()
    if not title or not isinstance(due_on, datetime.date):
        raise DomainError("milestone_invalid")
    milestone = Milestone.objects.create(
        project=locked, title=title[:100], due_on=due_on, created_by=actor, updated_by=actor
    )
    _touch(locked, actor, [])
    audit.record(
        "projects.milestone_added",
        actor=actor,
        obj=locked,
        data=_project_data(locked, title=milestone.title, due_on=due_on.isoformat()),
    )
    return milestone


@transaction.atomic
def do_complete_milestone(milestone: Milestone, *, actor, done_on: datetime.date) -> Milestone:
    _require(actor, milestone.project)
    locked = Milestone.objects.select_for_update().select_related("project__area")
    locked = locked.get(pk=milestone.pk)
    if locked.done_on is not None:
        raise DomainError("milestone_done")
    if not isinstance(done_on, datetime.date) or done_on > timezone.localdate():
        raise DomainError("invalid_paid_on")
    locked.done_on = done_on
    locked.updated_by = actor
    locked.version += 1
    locked.save(update_fields=["done_on", "updated_by", "version", "updated_at"])
    audit.record(
        "projects.milestone_completed",
        actor=actor,
        obj=locked.project,
        data=_project_data(locked.project, title=locked.title, done_on=done_on.isoformat()),
    )
    return locked


# --- performance targets -----------------------------------------------------------------


@transaction.atomic
def do_set_performance_target(
    project: Project,
    *,
    actor,
    dimension: str,
    indicator: str,
    target_value: str,
    unit: str = "",
    weight=0,
) -> PerformanceTarget:
    """绩效目标: one indicator of a dimension (产出/效益/满意度) with its target and 分值."""
    _require(actor, project)
    locked = _locked(project)
    indicator = (indicator or "").strip()
    target_value = (str(target_value) if target_value is not None else "").strip()
    if dimension not in TargetDimension.values or not indicator or not target_value:
        raise DomainError("target_invalid")
    target = PerformanceTarget.objects.create(
        project=locked,
        dimension=dimension,
        indicator=indicator[:100],
        target_value=target_value[:50],
        unit=(unit or "").strip()[:20],
        weight=_points(weight, "target_invalid"),
        created_by=actor,
        updated_by=actor,
    )
    _touch(locked, actor, [])
    audit.record(
        "projects.target_set",
        actor=actor,
        obj=locked,
        data=_project_data(
            locked,
            dimension=dimension,
            indicator=target.indicator,
            target=target.target_value,
            weight=str(target.weight),
        ),
    )
    return target


def _self_evaluation(project: Project) -> Decimal | None:
    scores = project.performance_targets.exclude(score__isnull=True)
    total = scores.aggregate(s=Sum("score"))["s"]
    return None if total is None else Decimal(total).quantize(TENTH)


@transaction.atomic
def do_record_actual(
    target: PerformanceTarget, *, actor, actual_value: str, score=None
) -> PerformanceTarget:
    """实际完成值 and, at self-evaluation, the score (0 … weight). The project's
    ``self_evaluation_score`` is the sum of its targets' scores."""
    project = target.project
    _require(actor, project)
    locked_project = _locked(project)
    locked = PerformanceTarget.objects.select_for_update().get(pk=target.pk)
    locked.actual_value = (str(actual_value) if actual_value is not None else "").strip()[:50]
    if score is not None and score != "":
        locked.score = _points(score, "score_invalid")
        if locked.score > locked.weight:
            raise DomainError("score_invalid")
    locked.updated_by = actor
    locked.version += 1
    locked.save(update_fields=["actual_value", "score", "updated_by", "version", "updated_at"])
    locked_project.self_evaluation_score = _self_evaluation(locked_project)
    _touch(locked_project, actor, ["self_evaluation_score"])
    audit.record(
        "projects.target_actual_recorded",
        actor=actor,
        obj=locked_project,
        data=_project_data(
            locked_project,
            indicator=locked.indicator,
            actual=locked.actual_value,
            score=None if locked.score is None else str(locked.score),
            total_score=str(locked_project.self_evaluation_score),
        ),
    )
    return locked


# --- benefit linkage -------------------------------------------------------------------


def _count(value) -> int:
    if isinstance(value, bool):
        raise DomainError("benefit_invalid")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError("benefit_invalid") from None
    if number < 0 or str(number) != str(value).strip():
        raise DomainError("benefit_invalid")
    return number


@transaction.atomic
def do_set_benefit(
    project: Project,
    *,
    actor,
    households_benefiting,
    lifted_households_benefiting,
    jobs_for_lifted,
    linkage_mechanism: str = "",
    version=None,
) -> Project:
    """联农带农: households benefiting, of which 脱贫/监测 households, jobs for 脱贫 people,
    and how the project links to them (dividends, wages, land rent …)."""
    _require(actor, project)
    locked = _locked(project, version)
    households = _count(households_benefiting)
    lifted = _count(lifted_households_benefiting)
    jobs = _count(jobs_for_lifted)
    if lifted > households:
        raise DomainError("benefit_invalid")
    locked.households_benefiting = households
    locked.lifted_households_benefiting = lifted
    locked.jobs_for_lifted = jobs
    locked.linkage_mechanism = (linkage_mechanism or "").strip()
    _touch(
        locked,
        actor,
        [
            "households_benefiting",
            "lifted_households_benefiting",
            "jobs_for_lifted",
            "linkage_mechanism",
        ],
    )
    audit.record(
        "projects.benefit_set",
        actor=actor,
        obj=locked,
        data=_project_data(
            locked, households=households, lifted_households=lifted, jobs_for_lifted=jobs
        ),
    )
    return locked

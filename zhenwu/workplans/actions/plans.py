"""工作计划: a plan per area and period with sections, tasks and progress updates.

A plan is draft → active → closed. Sections and tasks are added while it is not closed
(Perm.EDIT_PLANS in the plan's area). Progress is reported on tasks of an active plan by
whoever holds Perm.ENTER_MEASUREMENTS in the plan's area (a village cadre reports on the
village's plan; the township plan is read-only for cadres). Every write is atomic and
leaves one audit row.
"""

import datetime
import uuid
from pathlib import PurePath

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.lib.periods import PeriodError, parse_period
from zhenwu.workplans.choices import PlanStatus, TaskStatus
from zhenwu.workplans.models import PlanSection, ProgressUpdate, Task, WorkPlan

MAX_ATTACHMENT_MB = 10
MAX_ATTACHMENT_BYTES = MAX_ATTACHMENT_MB * 1024 * 1024
# Extension → accepted leading bytes. docx and xlsx are zip containers.
_ZIP = (b"PK\x03\x04",)
ATTACHMENT_TYPES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": _ZIP,
    "xlsx": _ZIP,
}
OPEN_TASK_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)


# --- helpers -----------------------------------------------------------------------------


def is_overdue(task: Task, today: datetime.date | None = None) -> bool:
    """逾期: past its deadline and neither done nor cancelled."""
    today = today or timezone.localdate()
    return (
        task.deadline_on is not None
        and task.deadline_on < today
        and task.status in OPEN_TASK_STATUSES
    )


def _title(value, limit: int = 200) -> str:
    text = (value or "").strip()
    if not text or len(text) > limit:
        raise DomainError("invalid_title")
    return text


def _locked_plan(plan: WorkPlan) -> WorkPlan:
    """The plan re-read under a row lock: the status the caller saw may be stale."""
    return WorkPlan.objects.select_for_update().select_related("area").get(pk=plan.pk)


def _require_plan(actor, plan: WorkPlan, perm: str) -> None:
    require_perm(actor, perm)
    require_area(actor, plan.area, perm)


def _require_open(plan: WorkPlan) -> None:
    if plan.status == PlanStatus.CLOSED:
        raise DomainError("workplan_closed")


def _progress(value) -> int:
    if isinstance(value, bool):
        raise DomainError("invalid_progress")
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError("invalid_progress") from None
    if str(number) != str(value).strip().lstrip("+") or not 0 <= number <= 100:
        raise DomainError("invalid_progress")
    return number


def check_attachment(upload) -> str:
    """The attachment's (lower-case) extension, after checking type, content and size."""
    refuse = DomainError("invalid_attachment", mb=MAX_ATTACHMENT_MB)
    extension = PurePath(getattr(upload, "name", "") or "").suffix.lower().lstrip(".")
    if extension not in ATTACHMENT_TYPES:
        raise refuse
    size = getattr(upload, "size", None)
    if size is None or size <= 0 or size > MAX_ATTACHMENT_BYTES:
        raise refuse
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ATTACHMENT_TYPES[extension]):
        raise refuse
    return "jpg" if extension == "jpeg" else extension


def _plan_data(plan: WorkPlan, **extra) -> dict:
    return {"area": plan.area.code, "period": plan.period, "status": plan.status, **extra}


# --- plans -------------------------------------------------------------------------------


@transaction.atomic
def do_create_plan(*, actor, area, period, title) -> WorkPlan:
    """A draft plan; one per area and period (DB constraint)."""
    require_perm(actor, Perm.EDIT_PLANS)
    require_area(actor, area, Perm.EDIT_PLANS)
    try:
        code = parse_period(str(period)).code
    except PeriodError:
        raise DomainError("invalid_period") from None
    title = _title(title)
    if WorkPlan.objects.filter(area=area, period=code).exists():
        raise DomainError("workplan_duplicate")
    try:
        with transaction.atomic():
            plan = WorkPlan.objects.create(
                area=area, period=code, title=title, created_by=actor, updated_by=actor
            )
    except IntegrityError:  # created by someone else a moment ago
        raise DomainError("workplan_duplicate") from None
    audit.record("workplans.plan_created", actor=actor, obj=plan, data=_plan_data(plan))
    return plan


def _set_plan_status(plan, actor, allowed_from, status, event) -> WorkPlan:
    plan = _locked_plan(plan)
    _require_plan(actor, plan, Perm.EDIT_PLANS)
    if plan.status not in allowed_from:
        raise DomainError("workplan_illegal_status")
    previous = plan.status
    plan.status = status
    plan.updated_by = actor
    plan.version += 1
    plan.save(update_fields=["status", "updated_by", "version", "updated_at"])
    audit.record(event, actor=actor, obj=plan, data=_plan_data(plan, previous=previous))
    return plan


@transaction.atomic
def do_activate_plan(plan: WorkPlan, *, actor) -> WorkPlan:
    """草稿 → 执行中."""
    return _set_plan_status(
        plan, actor, (PlanStatus.DRAFT,), PlanStatus.ACTIVE, "workplans.plan_activated"
    )


@transaction.atomic
def do_close_plan(plan: WorkPlan, *, actor) -> WorkPlan:
    """执行中 → 已结束; a closed plan is read-only."""
    return _set_plan_status(
        plan, actor, (PlanStatus.ACTIVE,), PlanStatus.CLOSED, "workplans.plan_closed"
    )


# --- sections and tasks ------------------------------------------------------------------


@transaction.atomic
def do_add_section(plan: WorkPlan, *, actor, title) -> PlanSection:
    """A section at the end of the plan, e.g. “（一）坚持产业主导，推进乡村全面振兴”."""
    plan = _locked_plan(plan)
    _require_plan(actor, plan, Perm.EDIT_PLANS)
    _require_open(plan)
    last = plan.sections.aggregate(last=Max("order"))["last"] or 0
    section = PlanSection.objects.create(
        plan=plan, order=last + 1, title=_title(title), created_by=actor, updated_by=actor
    )
    audit.record(
        "workplans.section_added",
        actor=actor,
        obj=section,
        data=_plan_data(plan, section=section.title),
    )
    return section


@transaction.atomic
def do_add_task(
    section: PlanSection,
    *,
    actor,
    title,
    description="",
    lead_unit="",
    responsible="",
    deadline_on=None,
    indicator=None,
) -> Task:
    plan = _locked_plan(section.plan)
    _require_plan(actor, plan, Perm.EDIT_PLANS)
    _require_open(plan)
    last = section.tasks.aggregate(last=Max("order"))["last"] or 0
    task = Task.objects.create(
        section=section,
        order=last + 1,
        title=_title(title),
        description=(description or "").strip(),
        lead_unit=(lead_unit or "").strip()[:100],
        responsible=(responsible or "").strip()[:100],
        deadline_on=deadline_on,
        indicator=indicator,
        created_by=actor,
        updated_by=actor,
    )
    audit.record(
        "workplans.task_added",
        actor=actor,
        obj=task,
        data=_plan_data(
            plan,
            task=task.title,
            deadline_on=deadline_on,
            indicator=indicator.code if indicator else None,
        ),
    )
    return task


def _locked_task(task: Task) -> tuple[Task, WorkPlan]:
    plan = _locked_plan(task.section.plan)
    task = Task.objects.select_for_update().select_related("section").get(pk=task.pk)
    return task, plan


@transaction.atomic
def do_set_task_status(task: Task, *, actor, status) -> Task:
    """Set a task's status; 已完成 sets progress to 100. Cancelling is for planners
    (Perm.EDIT_PLANS), the rest for those who report progress."""
    if status not in TaskStatus.values:
        raise DomainError("invalid_task_status")
    task, plan = _locked_task(task)
    perm = Perm.EDIT_PLANS if status == TaskStatus.CANCELLED else Perm.ENTER_MEASUREMENTS
    _require_plan(actor, plan, perm)
    _require_open(plan)
    previous = task.status
    task.status = status
    if status == TaskStatus.DONE:
        task.progress = 100
    task.updated_by = actor
    task.version += 1
    task.save(update_fields=["status", "progress", "updated_by", "version", "updated_at"])
    audit.record(
        "workplans.task_status",
        actor=actor,
        obj=task,
        data=_plan_data(plan, task=task.title, previous=previous, task_status=status),
    )
    return task


@transaction.atomic
def do_report_progress(
    task: Task, *, actor, reported_on, note, progress, attachment=None
) -> ProgressUpdate:
    """进展情况: a dated note with the progress (0–100) and optionally one attachment
    (pdf/jpg/png/docx/xlsx, ≤ MAX_ATTACHMENT_MB). The task takes the reported progress; a
    task not yet started becomes 推进中."""
    task, plan = _locked_task(task)
    _require_plan(actor, plan, Perm.ENTER_MEASUREMENTS)
    _require_open(plan)
    if plan.status != PlanStatus.ACTIVE:
        raise DomainError("workplan_not_active")
    if task.status == TaskStatus.CANCELLED:
        raise DomainError("task_cancelled")
    value = _progress(progress)
    if not isinstance(reported_on, datetime.date) or reported_on > timezone.localdate():
        raise DomainError("invalid_reported_on")
    note = (note or "").strip()
    if not note:
        raise DomainError("progress_note_missing")
    extension = check_attachment(attachment) if attachment else None
    update = ProgressUpdate(
        task=task,
        reported_on=reported_on,
        note=note,
        progress=value,
        created_by=actor,
        updated_by=actor,
    )
    if extension:
        # A generated name: the uploader's file name never reaches the file system.
        update.attachment.save(f"{uuid.uuid4().hex}.{extension}", attachment, save=False)
    update.save()
    task.progress = value
    if task.status == TaskStatus.NOT_STARTED:
        task.status = TaskStatus.IN_PROGRESS
    task.updated_by = actor
    task.version += 1
    task.save(update_fields=["status", "progress", "updated_by", "version", "updated_at"])
    audit.record(
        "workplans.progress_reported",
        actor=actor,
        obj=update,
        data=_plan_data(
            plan,
            task=str(task.public_id),
            reported_on=reported_on,
            progress=value,
            attachment=bool(extension),
        ),
    )
    return update

"""工作计划 pages: the module home, the plan list, a plan by section with its tasks, a task
with its progress updates, the forms (plan, section, task, progress) and the permission-
checked attachment download.

Thin: reads through ``workplans.selectors`` (scoped; ``NotFound`` → 404), writes through
``workplans.actions.plans``. Attachments are never served from a public URL."""

import io
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhenwu.accounts.policy import area_in_scope, has_perm, scope_paths
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.areas.selectors import current
from zhenwu.core.errors import DomainError, NotFound
from zhenwu.workplans import selectors
from zhenwu.workplans.actions import plans
from zhenwu.workplans.choices import PlanStatus, TaskStatus
from zhenwu.workplans.exports_plans import export_plan, plan_filename
from zhenwu.workplans.forms_plans import (
    PlanForm,
    ProgressForm,
    SectionForm,
    TaskForm,
    TaskStatusForm,
)
from zhenwu.workplans.models import Indicator, Task

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _or_404(call):
    try:
        return call()
    except NotFound:
        raise Http404 from None


def _require(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied


def _plan_areas(user):
    """Areas where the user may create plans: townships and villages in the EDIT scope."""
    paths = scope_paths(user, Perm.EDIT_PLANS)
    if not paths:
        return Area.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    levels = (AreaLevel.TOWNSHIP, AreaLevel.VILLAGE)
    return current(Area.objects.filter(condition, level__in=levels)).order_by("level", "code")


def _can(user, plan, perm: str) -> bool:
    return plan.status != PlanStatus.CLOSED and area_in_scope(user, plan.area, perm)


def _mark_overdue(tasks, today):
    for task in tasks:
        task.overdue = plans.is_overdue(task, today)
    return tasks


# --- home and plans ---------------------------------------------------------------------


@login_required
def home(request):
    """工作计划与指标 start page."""
    _require(request.user, Perm.VIEW_PLANS)
    visible = selectors.visible_plans(request.user)
    overdue = selectors.overdue_tasks(request.user).count()
    return render(
        request,
        "workplans/home.html",
        {
            "plan_count": visible.count(),
            "active_count": visible.filter(status=PlanStatus.ACTIVE).count(),
            "overdue": overdue,
        },
    )


@login_required
def plan_list(request):
    user = request.user
    _require(user, Perm.VIEW_PLANS)
    create_form = None
    if has_perm(user, Perm.EDIT_PLANS):
        create_form = PlanForm(areas=_plan_areas(user))
    return render(
        request,
        "workplans/plans_list.html",
        {"plans": selectors.visible_plans(user), "create_form": create_form},
    )


@login_required
@require_POST
def plan_create(request):
    user = request.user
    _require(user, Perm.EDIT_PLANS)
    form = PlanForm(request.POST, areas=_plan_areas(user))
    if form.is_valid():
        try:
            plan = plans.do_create_plan(actor=user, **form.cleaned_data)
            messages.success(request, _("工作计划已创建。"))
            return redirect("workplans:plan_detail", public_id=plan.public_id)
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("请检查计划信息。"))
    return redirect("workplans:plan_list")


@login_required
def plan_detail(request, public_id):
    user = request.user
    plan = _or_404(lambda: selectors.access_plan(user, public_id))
    today = timezone.localdate()
    sections = list(
        plan.sections.prefetch_related(
            Prefetch("tasks", queryset=Task.objects.select_related("indicator"))
        )
    )
    for section in sections:
        section.task_rows = _mark_overdue(list(section.tasks.all()), today)
    can_edit = _can(user, plan, Perm.EDIT_PLANS)
    context = {
        "plan": plan,
        "sections": sections,
        "can_edit": can_edit,
        "can_report": plan.status == PlanStatus.ACTIVE
        and _can(user, plan, Perm.ENTER_MEASUREMENTS),
        "can_activate": plan.status == PlanStatus.DRAFT and can_edit,
        "can_close": plan.status == PlanStatus.ACTIVE and can_edit,
    }
    if can_edit:
        context["section_form"] = SectionForm()
        if sections:
            context["task_form"] = TaskForm(
                sections=plan.sections.all(), indicators=Indicator.objects.all()
            )
    return render(request, "workplans/plans_detail.html", context)


@login_required
def plan_export(request, public_id):
    """The plan's tasks as .xlsx (sheet 任务); audited (``workplans.exported``)."""
    user = request.user
    _require(user, Perm.VIEW_PLANS)
    plan = _or_404(lambda: selectors.access_plan(user, public_id))
    today = timezone.localdate()
    content = export_plan(user, plan, today)
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=plan_filename(plan, today),
        content_type=XLSX,
    )


def _plan_action(request, public_id, action, done_message):
    user = request.user
    plan = _or_404(lambda: selectors.access_plan(user, public_id))
    try:
        action(plan, actor=user)
        messages.success(request, done_message)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("workplans:plan_detail", public_id=plan.public_id)


@login_required
@require_POST
def plan_activate(request, public_id):
    return _plan_action(request, public_id, plans.do_activate_plan, _("工作计划已启用。"))


@login_required
@require_POST
def plan_close(request, public_id):
    return _plan_action(request, public_id, plans.do_close_plan, _("工作计划已结束。"))


@login_required
@require_POST
def section_add(request, public_id):
    user = request.user
    plan = _or_404(lambda: selectors.access_plan(user, public_id))
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            plans.do_add_section(plan, actor=user, title=form.cleaned_data["title"])
            messages.success(request, _("章节已添加。"))
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("请填写章节标题。"))
    return redirect("workplans:plan_detail", public_id=plan.public_id)


@login_required
@require_POST
def task_add(request, public_id):
    user = request.user
    plan = _or_404(lambda: selectors.access_plan(user, public_id))
    form = TaskForm(request.POST, sections=plan.sections.all(), indicators=Indicator.objects.all())
    if form.is_valid():
        data = dict(form.cleaned_data)
        section = data.pop("section")
        try:
            plans.do_add_task(section, actor=user, **data)
            messages.success(request, _("任务已添加。"))
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("请检查任务信息。"))
    return redirect("workplans:plan_detail", public_id=plan.public_id)


# --- tasks and progress -------------------------------------------------------------------


@login_required
def task_detail(request, public_id):
    """A task with its progress updates; the progress form for those who may report."""
    user = request.user
    task = _or_404(lambda: selectors.access_task(user, public_id))
    plan = task.section.plan
    can_report = plan.status == PlanStatus.ACTIVE and _can(user, plan, Perm.ENTER_MEASUREMENTS)
    form = None
    if can_report:
        if request.method == "POST":
            form = ProgressForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    plans.do_report_progress(task, actor=user, **form.cleaned_data)
                    messages.success(request, _("进展已填报。"))
                    return redirect("workplans:task_detail", public_id=task.public_id)
                except DomainError as error:
                    form.add_error(None, error.message)
        else:
            form = ProgressForm(
                initial={"reported_on": timezone.localdate(), "progress": task.progress}
            )
    elif request.method == "POST":
        raise PermissionDenied
    status_choices = TaskStatus.choices
    if not _can(user, plan, Perm.EDIT_PLANS):
        status_choices = [c for c in status_choices if c[0] != TaskStatus.CANCELLED]
    task.overdue = plans.is_overdue(task)
    return render(
        request,
        "workplans/plans_task.html",
        {
            "task": task,
            "plan": plan,
            "updates": task.updates.all(),
            "form": form,
            "status_form": _status_form(task, status_choices) if can_report else None,
        },
    )


def _status_form(task, choices) -> TaskStatusForm:
    form = TaskStatusForm(initial={"status": task.status})
    form.fields["status"].choices = choices
    return form


@login_required
@require_POST
def task_status(request, public_id):
    user = request.user
    task = _or_404(lambda: selectors.access_task(user, public_id))
    form = TaskStatusForm(request.POST)
    if form.is_valid():
        try:
            plans.do_set_task_status(task, actor=user, status=form.cleaned_data["status"])
            messages.success(request, _("任务状态已更新。"))
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("任务状态不正确。"))
    return redirect("workplans:task_detail", public_id=task.public_id)


@login_required
def attachment(request, public_id):
    """The attachment of a progress update, for users who may read its plan (404 otherwise).
    Always a download, never rendered inline."""
    update = _or_404(lambda: selectors.access_progress_update(request.user, public_id))
    if not update.attachment:
        raise Http404
    try:
        handle = update.attachment.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = PurePath(update.attachment.name).suffix
    name = f"{update.task.title[:40]}-{update.reported_on:%Y%m%d}{extension}"
    return FileResponse(handle, as_attachment=True, filename=name)

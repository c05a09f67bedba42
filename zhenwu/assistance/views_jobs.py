"""公益性岗位 pages: posts per village, a post with its assignments, the assign form (with the
refusal message), the monthly attendance sheet (a grid for a phone) and the payroll build.

Thin: reads through ``assistance.selectors`` (scoped; ``NotFound`` → 404), writes through
``assistance.actions.jobs``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhenwu.accounts.policy import area_in_scope, has_perm, scope_paths
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.areas.selectors import current
from zhenwu.assistance import selectors
from zhenwu.assistance.actions import jobs
from zhenwu.assistance.choices import JobStatus
from zhenwu.assistance.forms_jobs import (
    AssignForm,
    EndJobForm,
    PayrollForm,
    PostForm,
    SheetForm,
    VillageFilterForm,
    default_month,
)
from zhenwu.core.errors import DomainError, NotFound

CANDIDATES_SHOWN = 200


def _or_404(call):
    try:
        return call()
    except NotFound:
        raise Http404 from None


def _require(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied


def _areas(user, perm: str, levels=(AreaLevel.VILLAGE,)):
    paths = scope_paths(user, perm)
    if not paths:
        return Area.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return current(Area.objects.filter(condition, level__in=levels)).order_by("level", "code")


def _active_count():
    return Count("assignments", filter=Q(assignments__status=JobStatus.ACTIVE))


# --- posts ---------------------------------------------------------------------------------


@login_required
def post_list(request):
    user = request.user
    _require(user, Perm.VIEW_ASSISTANCE)
    villages = _areas(user, Perm.VIEW_ASSISTANCE)
    form = VillageFilterForm(request.GET or None, villages=villages)
    form.is_valid()
    village = getattr(form, "cleaned_data", {}).get("village")
    posts = selectors.visible_posts(user).annotate(filled=_active_count())
    if village is not None:
        posts = posts.filter(village=village)
    can_create = has_perm(user, Perm.PREPARE_PAYMENTS)
    create_form = None
    if can_create:
        create_form = PostForm(
            villages=_areas(user, Perm.PREPARE_PAYMENTS),
            initial={"village": village.code if village else None},
        )
    return render(
        request,
        "assistance/jobs_post_list.html",
        {
            "form": form,
            "posts": posts.order_by("village__code", "post_type", "id"),
            "create_form": create_form,
            "payroll_form": PayrollForm(
                areas=payroll_areas(user), initial={"month": default_month()}
            )
            if can_create
            else None,
        },
    )


@login_required
@require_POST
def post_create(request):
    user = request.user
    _require(user, Perm.PREPARE_PAYMENTS)
    form = PostForm(request.POST, villages=_areas(user, Perm.PREPARE_PAYMENTS))
    if form.is_valid():
        try:
            post = jobs.do_create_post(actor=user, **form.cleaned_data)
            messages.success(request, _("岗位已设立。"))
            return redirect("assistance:job_post_detail", public_id=post.public_id)
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("请检查岗位信息。"))
    return redirect("assistance:job_post_list")


@login_required
def post_detail(request, public_id):
    user = request.user
    post = _or_404(lambda: selectors.access_post(user, public_id))
    assignments = (
        selectors.visible_job_assignments(user)
        .filter(post=post)
        .order_by("status", "-start_on", "id")
    )
    can_edit = area_in_scope(user, post.village, Perm.EDIT_ASSISTANCE)
    filled = sum(1 for a in assignments if a.status == JobStatus.ACTIVE)
    return render(
        request,
        "assistance/jobs_post_detail.html",
        {
            "post": post,
            "assignments": assignments,
            "filled": filled,
            "can_edit": can_edit,
            "end_form": EndJobForm(initial={"end_on": timezone.localdate()}),
        },
    )


@login_required
def assign(request, public_id):
    """岗位安置 form. A refusal (ineligible person) is shown on the form with its reason."""
    user = request.user
    _require(user, Perm.EDIT_ASSISTANCE)
    post = _or_404(lambda: selectors.access_post(user, public_id, Perm.EDIT_ASSISTANCE))
    query = request.GET.get("q", "").strip()[:40]
    candidates = selectors.job_candidates(user, post, query=query)
    refusal = None
    if request.method == "POST":
        form = AssignForm(request.POST, candidates=selectors.job_candidates(user, post))
        if form.is_valid():
            try:
                jobs.do_assign_job(
                    post,
                    form.cleaned_data["person"],
                    actor=user,
                    start_on=form.cleaned_data["start_on"],
                )
                messages.success(request, _("已安置上岗。"))
                return redirect("assistance:job_post_detail", public_id=post.public_id)
            except DomainError as error:
                if error.code == "permission_denied":
                    raise PermissionDenied from None
                refusal = error.message
    else:
        form = AssignForm(candidates=candidates, initial={"start_on": timezone.localdate()})
    form.fields["person"].queryset = candidates[:CANDIDATES_SHOWN]
    return render(
        request,
        "assistance/jobs_assign.html",
        {"post": post, "form": form, "refusal": refusal, "query": query},
        status=422 if refusal else 200,
    )


@login_required
@require_POST
def end_job(request, public_id):
    user = request.user
    assignment = _or_404(lambda: selectors.access_job_assignment(user, public_id))
    form = EndJobForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写离岗日期。"))
    else:
        try:
            jobs.do_end_job(assignment, actor=user, end_on=form.cleaned_data["end_on"])
            messages.success(request, _("已办理离岗。"))
        except DomainError as error:
            if error.code == "permission_denied":
                raise PermissionDenied from None
            messages.error(request, error.message)
    return redirect("assistance:job_post_detail", public_id=assignment.post.public_id)


# --- attendance ----------------------------------------------------------------------------


def _sheet_rows(user, village, first):
    rows = selectors.attendance_sheet(user, village, first)
    for assignment in rows:
        assignment.locked = jobs.payroll_line_exists(assignment, first)
    return rows


@login_required
def attendance(request):
    """考勤表: one row per worker active in the month; saved all at once."""
    user = request.user
    _require(user, Perm.VIEW_ASSISTANCE)
    villages = _areas(user, Perm.VIEW_ASSISTANCE)
    data = request.GET if request.GET.get("village") else None
    form = SheetForm(
        data, villages=villages, initial={"month": default_month(), "village": villages.first()}
    )
    if not form.is_valid():
        return render(request, "assistance/jobs_attendance.html", {"form": form, "rows": None})
    village, first = form.cleaned_data["village"], form.cleaned_data["month"]
    can_edit = area_in_scope(user, village, Perm.EDIT_ASSISTANCE)
    errors = []
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        errors = _save_sheet(request, user, village, first)
        if not errors:
            messages.success(request, _("考勤已保存。"))
            return redirect(request.get_full_path())
    return render(
        request,
        "assistance/jobs_attendance.html",
        {
            "form": form,
            "village": village,
            "month": first,
            "rows": _sheet_rows(user, village, first),
            "can_edit": can_edit,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


def _save_sheet(request, user, village, first) -> list[str]:
    """All rows or none: a refusal on one row rolls the sheet back and names the row."""
    errors = []
    try:
        with transaction.atomic():
            for assignment in selectors.attendance_sheet(user, village, first):
                key = str(assignment.public_id)
                raw = request.POST.get(f"days-{key}", "").strip()
                if raw == "":
                    continue
                try:
                    jobs.do_record_attendance(
                        assignment,
                        actor=user,
                        month=first,
                        days_worked=raw,
                        is_qualified=request.POST.get(f"ok-{key}") == "on",
                    )
                except DomainError as error:
                    if error.code != "attendance_paid":
                        errors.append(f"{assignment.person.name}：{error.message}")
            if errors:
                raise _Rollback
    except _Rollback:
        pass
    return errors


class _Rollback(Exception):
    pass


# --- payroll -------------------------------------------------------------------------------


@login_required
@require_POST
def build_payroll(request):
    user = request.user
    _require(user, Perm.PREPARE_PAYMENTS)
    areas = _areas(user, Perm.PREPARE_PAYMENTS, levels=(AreaLevel.TOWNSHIP, AreaLevel.VILLAGE))
    form = PayrollForm(request.POST, areas=areas)
    if not form.is_valid():
        messages.error(request, _("请选择区域和月份。"))
        return redirect("assistance:job_post_list")
    try:
        batch = jobs.do_build_payroll(
            form.cleaned_data["area"], form.cleaned_data["month"], actor=user
        )
    except DomainError as error:
        if error.code == "permission_denied":
            raise PermissionDenied from None
        messages.error(request, error.message)
        return redirect("assistance:job_post_list")
    messages.success(
        request,
        _("已生成工资发放批次：%(count)s 笔，合计 %(total)s 元。")
        % {"count": batch.line_count, "total": batch.total_amount},
    )
    return redirect("assistance:payment_batch_detail", public_id=batch.public_id)


def payroll_areas(user):
    return _areas(user, Perm.PREPARE_PAYMENTS, levels=(AreaLevel.TOWNSHIP, AreaLevel.VILLAGE))

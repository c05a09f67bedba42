"""项目库 pages: the start page of the module, the project list (filters, totals, warning
badges, .xlsx export), a project's page (funding, disbursements with progress, milestones,
performance targets, benefit linkage, assets, timeline) and the forms that change it.

Thin: reads through ``projects.selectors`` (scoped; ``NotFound`` → 404), writes through
``projects.actions.projects``; a ``DomainError`` becomes a message on the project page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhenwu.accounts.policy import has_perm, scope_paths
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.areas.selectors import current
from zhenwu.core.errors import DomainError, NotFound
from zhenwu.projects import selectors
from zhenwu.projects.actions import projects as actions
from zhenwu.projects.choices import ProjectStatus
from zhenwu.projects.exports import export_ledger
from zhenwu.projects.forms_projects import (
    ActualForm,
    AdvanceForm,
    BenefitForm,
    DisbursementForm,
    FundingForm,
    MilestoneDoneForm,
    MilestoneForm,
    ProjectFilterForm,
    ProjectForm,
    TargetForm,
)
from zhenwu.projects.models import Disbursement, FundingSource
from zhenwu.projects.states import APPROVAL_STEPS, next_status, step_permission

LIST_LIMIT = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied


def _project(user, public_id, perm=Perm.VIEW_PROJECTS):
    try:
        return selectors.access_project(user, public_id, perm)
    except NotFound:
        raise Http404 from None


def _areas(user, perm: str):
    """Township and villages in the user's scope for ``perm`` (filter and create forms)."""
    paths = scope_paths(user, perm)
    if not paths:
        return Area.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    levels = (AreaLevel.TOWNSHIP, AreaLevel.VILLAGE)
    return current(Area.objects.filter(condition, level__in=levels)).order_by("level", "code")


def _sum(qs) -> object:
    return qs.aggregate(s=Sum("amount"))["s"] or 0


# --- start page ----------------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    _require(user, Perm.VIEW_PROJECTS)
    today = timezone.localdate()
    projects = selectors.visible_projects(user)
    this_year = projects.filter(year=today.year)
    running = projects.filter(status__in=[ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS])
    counts = {
        "projects": projects.count(),
        "this_year": this_year.count(),
        "running": running.count(),
        "warnings": sum(1 for p in running if selectors.project_warnings(p, today)),
        "budget": _sum(FundingSource.objects.filter(project__in=this_year)),
        "disbursed": _sum(Disbursement.objects.filter(project__in=this_year)),
    }
    return render(request, "projects/home.html", {"counts": counts, "today": today})


# --- list and export -------------------------------------------------------------------------


def _filtered(request):
    user = request.user
    form = ProjectFilterForm(request.GET or None, areas=_areas(user, Perm.VIEW_PROJECTS))
    projects = selectors.visible_projects(user)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        if data.get("year"):
            projects = projects.filter(year=data["year"])
            filters["year"] = data["year"]
        for key in ("project_type", "status"):
            if data.get(key):
                projects = projects.filter(**{key: data[key]})
                filters[key] = data[key]
        if data.get("area") is not None:
            projects = projects.filter(area=data["area"])
            filters["area"] = data["area"].code
    return form, projects.order_by("-year", "code"), filters


@login_required
def project_list(request):
    user = request.user
    _require(user, Perm.VIEW_PROJECTS)
    today = timezone.localdate()
    form, projects, _filters = _filtered(request)
    rows = []
    for project in projects[:LIST_LIMIT]:
        disbursed, budget, ratio = selectors.disbursement_progress(project)
        rows.append(
            {
                "project": project,
                "budget": budget,
                "disbursed": disbursed,
                "percent": selectors.progress_percent(ratio),
                "warnings": selectors.project_warnings(project, today),
            }
        )
    totals = {
        "count": projects.count(),
        "budget": _sum(FundingSource.objects.filter(project__in=projects)),
        "disbursed": _sum(Disbursement.objects.filter(project__in=projects)),
    }
    return render(
        request,
        "projects/projects_list.html",
        {
            "form": form,
            "rows": rows,
            "totals": totals,
            "truncated": totals["count"] > LIST_LIMIT,
            "can_edit": has_perm(user, Perm.EDIT_PROJECTS),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def project_export(request):
    user = request.user
    _require(user, Perm.VIEW_PROJECTS)
    _form, projects, filters = _filtered(request)
    content = export_ledger(user, projects, timezone.localdate(), filters)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="project-ledger.xlsx"'
    return response


# --- create and edit -----------------------------------------------------------------------


@login_required
def project_create(request):
    user = request.user
    _require(user, Perm.EDIT_PROJECTS)
    areas = _areas(user, Perm.EDIT_PROJECTS)
    form = ProjectForm(
        request.POST or None, areas=areas, initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = actions.do_create_project(actor=user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("项目已申报。"))
            return redirect("projects:project_detail", public_id=project.public_id)
    return render(request, "projects/projects_form.html", {"form": form, "project": None})


@login_required
def project_edit(request, public_id):
    user = request.user
    _require(user, Perm.EDIT_PROJECTS)
    project = _project(user, public_id, Perm.EDIT_PROJECTS)
    initial = {field: getattr(project, field) for field in actions.EDITABLE_FIELDS}
    initial["version"] = project.version
    form = ProjectForm(request.POST or None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_project(project, actor=user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("项目信息已保存。"))
            return redirect("projects:project_detail", public_id=project.public_id)
    return render(request, "projects/projects_form.html", {"form": form, "project": project})


# --- detail ----------------------------------------------------------------------------------


def _step(user, project):
    """The next step and whether ``user`` may take it (permission, maker ≠ checker)."""
    target = next_status(project.status)
    if target is None or not has_perm(user, step_permission(target)):
        return None
    if target in APPROVAL_STEPS and not actions.can_approve(project, user):
        return {"status": target, "label": ProjectStatus(target).label, "blocked": True}
    form = AdvanceForm(
        initial={"to_status": target, "version": project.version, "on": timezone.localdate()}
    )
    return {"status": target, "label": ProjectStatus(target).label, "form": form}


@login_required
def project_detail(request, public_id):
    user = request.user
    _require(user, Perm.VIEW_PROJECTS)
    project = _project(user, public_id)
    today = timezone.localdate()
    disbursed, budget, ratio = selectors.disbursement_progress(project)
    can_edit = (
        has_perm(user, Perm.EDIT_PROJECTS)
        and selectors.visible_projects(user, Perm.EDIT_PROJECTS).filter(pk=project.pk).exists()
    )
    context = {
        "project": project,
        "budget": budget,
        "disbursed": disbursed,
        "percent": selectors.progress_percent(ratio),
        "funding": project.funding_sources.order_by("id"),
        "disbursements": project.disbursements.select_related("created_by"),
        "milestones": project.milestones.all(),
        "targets": project.performance_targets.order_by("dimension", "id"),
        "assets": project.assets.order_by("id"),
        "timeline": selectors.status_timeline(project),
        "statuses": ProjectStatus.choices,
        "warnings": selectors.project_warnings(project, today),
        "today": today,
        "can_edit": can_edit,
        "is_approver": has_perm(user, Perm.APPROVE_PROJECTS),
        "step": _step(user, project) if can_edit or has_perm(user, Perm.APPROVE_PROJECTS) else None,
    }
    if can_edit:
        context.update(
            funding_form=FundingForm(),
            disbursement_form=DisbursementForm(project=project),
            milestone_form=MilestoneForm(),
            done_form=MilestoneDoneForm(initial={"done_on": today}),
            target_form=TargetForm(),
            actual_form=ActualForm(),
            benefit_form=BenefitForm(
                initial={
                    "households_benefiting": project.households_benefiting,
                    "lifted_households_benefiting": project.lifted_households_benefiting,
                    "jobs_for_lifted": project.jobs_for_lifted,
                    "linkage_mechanism": project.linkage_mechanism,
                    "version": project.version,
                }
            ),
        )
    return render(request, "projects/projects_detail.html", context)


# --- writes on the project page ----------------------------------------------------------------


def _post(request, project, form, call, done_message):
    """Validate ``form``; run ``call(cleaned_data)``; message; back to the project page."""
    if not form.is_valid():
        messages.error(request, _("请检查填写的内容。"))
    else:
        try:
            call(form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done_message)
    return redirect("projects:project_detail", public_id=project.public_id)


@login_required
@require_POST
def project_advance(request, public_id):
    user = request.user
    project = _project(user, public_id)
    form = AdvanceForm(request.POST)
    return _post(
        request,
        project,
        form,
        lambda d: actions.do_advance_project(
            project, actor=user, to_status=d["to_status"], on=d["on"], version=d["version"]
        ),
        _("项目状态已更新。"),
    )


@login_required
@require_POST
def funding_add(request, public_id):
    user = request.user
    project = _project(user, public_id)
    return _post(
        request,
        project,
        FundingForm(request.POST),
        lambda d: actions.do_add_funding(project, actor=user, **d),
        _("资金来源已添加。"),
    )


@login_required
@require_POST
def disbursement_add(request, public_id):
    user = request.user
    project = _project(user, public_id)
    return _post(
        request,
        project,
        DisbursementForm(request.POST, project=project),
        lambda d: actions.do_record_disbursement(project, actor=user, **d),
        _("拨付已登记。"),
    )


@login_required
@require_POST
def milestone_add(request, public_id):
    user = request.user
    project = _project(user, public_id)
    return _post(
        request,
        project,
        MilestoneForm(request.POST),
        lambda d: actions.do_add_milestone(project, actor=user, **d),
        _("节点已添加。"),
    )


@login_required
@require_POST
def milestone_done(request, public_id):
    user = request.user
    try:
        milestone = selectors.access_milestone(user, public_id)
    except NotFound:
        raise Http404 from None
    return _post(
        request,
        milestone.project,
        MilestoneDoneForm(request.POST),
        lambda d: actions.do_complete_milestone(milestone, actor=user, **d),
        _("节点已完成。"),
    )


@login_required
@require_POST
def target_add(request, public_id):
    user = request.user
    project = _project(user, public_id)
    return _post(
        request,
        project,
        TargetForm(request.POST),
        lambda d: actions.do_set_performance_target(project, actor=user, **d),
        _("绩效目标已添加。"),
    )


@login_required
@require_POST
def target_actual(request, public_id):
    user = request.user
    try:
        target = selectors.access_target(user, public_id)
    except NotFound:
        raise Http404 from None
    return _post(
        request,
        target.project,
        ActualForm(request.POST),
        lambda d: actions.do_record_actual(target, actor=user, **d),
        _("实际值已保存。"),
    )


@login_required
@require_POST
def benefit_set(request, public_id):
    user = request.user
    project = _project(user, public_id)
    return _post(
        request,
        project,
        BenefitForm(request.POST),
        lambda d: actions.do_set_benefit(project, actor=user, **d),
        _("联农带农情况已保存。"),
    )

"""Pages of the assistance start page, helpers, 一户一策 plans and their warnings.

Thin: reads through ``assistance.selectors`` (scoped; ``NotFound`` → 404), writes through
``assistance.actions.plans``. Forms are shown only to users who may edit in the household's
village.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
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
from zhenwu.assistance.actions import plans as plan_actions
from zhenwu.assistance.choices import MeasureCategory, MeasureStatus
from zhenwu.assistance.forms_plans import (
    AssignHelperForm,
    CancelForm,
    HelperForm,
    ImplementForm,
    MeasureForm,
    PlanForm,
    VillageFilterForm,
    WarningFilterForm,
)
from zhenwu.assistance.rules import WARNING_LABELS
from zhenwu.core.errors import DomainError, NotFound
from zhenwu.registry.choices import PersonStatus, Relation

PAGE_SIZE = 50


# --- helpers -----------------------------------------------------------------------------


def or_404(call):
    try:
        return call()
    except NotFound:
        raise Http404 from None


def require(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied


def refusal(request, error: DomainError) -> None:
    if error.code == "permission_denied":
        raise PermissionDenied
    messages.error(request, error.message)


def scope_areas(user, perm: str, levels) -> list[Area]:
    """Current areas of ``levels`` inside the user's scope (for choice fields)."""
    paths = scope_paths(user, perm)
    if not paths:
        return []
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    qs = current(Area.objects.filter(condition, level__in=levels))
    return list(qs.order_by("path"))


def villages(user, perm: str = Perm.VIEW_ASSISTANCE) -> list[Area]:
    return scope_areas(user, perm, [AreaLevel.VILLAGE])


def selected_village(form, options):
    code = form.cleaned_data.get("village") if form.is_valid() else ""
    return next((v for v in options if v.code == code), None)


def head_name(household) -> str:
    head = (
        household.members.filter(relation=Relation.HEAD, status=PersonStatus.ACTIVE)
        .only("name")
        .first()
    )
    return head.name if head else ""


# --- start page ----------------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    require(user, Perm.VIEW_ASSISTANCE)
    today = timezone.localdate()
    measures = selectors.visible_measures(user).filter(plan__year=today.year)
    counts = {
        "plans": selectors.visible_plans(user).filter(year=today.year).count(),
        "planned": measures.filter(status=MeasureStatus.PLANNED).count(),
        "implemented": measures.filter(status=MeasureStatus.IMPLEMENTED).count(),
        "pairings": selectors.current_pairings(user).count(),
        "relocations": selectors.visible_relocations(user).count(),
    }
    _rows, warning_counts = selectors.scope_warnings(user, today)
    counts["warnings"] = sum(warning_counts.values())
    return render(request, "assistance/home.html", {"counts": counts, "today": today})


# --- helpers (帮扶责任人) ---------------------------------------------------------------------


@login_required
def helper_list(request):
    user = request.user
    require(user, Perm.VIEW_ASSISTANCE)
    options = villages(user)
    form = VillageFilterForm(request.GET or None, villages=options)
    village = selected_village(form, options)
    pairings = list(selectors.current_pairings(user, village)[:500])
    helpers = selectors.visible_helpers(user).annotate(
        households=Count("assignments", filter=Q(assignments__end_on__isnull=True))
    )
    context = {
        "form": form,
        "pairings": pairings,
        "helpers": list(helpers.order_by("name")[:500]),
        "can_edit": has_perm(user, Perm.EDIT_ASSISTANCE),
    }
    return render(request, "assistance/plans_helpers.html", context)


def _helper_areas(user):
    levels = [AreaLevel.TOWNSHIP, AreaLevel.VILLAGE]
    return scope_areas(user, Perm.EDIT_ASSISTANCE, levels)


def _helper_data(form) -> dict:
    return {f: form.cleaned_data.get(f, "") for f in ("name", "unit", "position", "phone")}


@login_required
def helper_create(request):
    user = request.user
    require(user, Perm.EDIT_ASSISTANCE)
    areas = _helper_areas(user)
    form = HelperForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        area = next(a for a in areas if a.code == form.cleaned_data["area"])
        try:
            plan_actions.do_create_helper(actor=user, area=area, data=_helper_data(form))
        except DomainError as error:
            refusal(request, error)
        else:
            messages.success(request, _("已添加帮扶责任人。"))
            return redirect("assistance:helper_list")
    return render(request, "assistance/plans_helper_form.html", {"form": form, "helper": None})


@login_required
def helper_edit(request, public_id):
    user = request.user
    require(user, Perm.EDIT_ASSISTANCE)
    helper = or_404(lambda: selectors.access_helper(user, public_id))
    if not area_in_scope(user, helper.area, Perm.EDIT_ASSISTANCE):
        raise PermissionDenied
    initial = {f: getattr(helper, f) for f in ("name", "unit", "position", "phone")}
    initial.update(area=helper.area.code, version=helper.version)
    form = HelperForm(request.POST or None, areas=[helper.area], initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan_actions.do_update_helper(
                helper,
                actor=user,
                expected_version=form.cleaned_data["version"] or helper.version,
                data=_helper_data(form),
            )
        except DomainError as error:
            refusal(request, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("assistance:helper_list")
    return render(request, "assistance/plans_helper_form.html", {"form": form, "helper": helper})


# --- plans (一户一策) ------------------------------------------------------------------------


@login_required
def plan_list(request):
    """Target households (脱贫户/监测户) in scope with their plan of the year."""
    user = request.user
    require(user, Perm.VIEW_ASSISTANCE)
    year = timezone.localdate().year
    options = villages(user)
    form = VillageFilterForm(request.GET or None, villages=options)
    village = selected_village(form, options)
    plans = {
        p.household_id: p
        for p in selectors.visible_plans(user)
        .filter(year=year)
        .annotate(
            measure_count=Count("measures", filter=~Q(measures__status=MeasureStatus.CANCELLED)),
            done_count=Count("measures", filter=Q(measures__status=MeasureStatus.IMPLEMENTED)),
        )
    }
    households = selectors.plan_households(user, village=village)
    page = _page_number(request)
    found = list(households[page * PAGE_SIZE : (page + 1) * PAGE_SIZE + 1])
    rows = [(h, plans.get(h.pk)) for h in found[:PAGE_SIZE]]
    context = {
        "form": form,
        "rows": rows,
        "year": year,
        "page": page,
        "has_next": len(found) > PAGE_SIZE,
        "query_string": _query_without_page(request),
    }
    return render(request, "assistance/plans_list.html", context)


def _page_number(request) -> int:
    value = request.GET.get("page", "")
    return min(int(value), 10_000) if value.isdigit() else 0


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _plan_blocks(household) -> list[dict]:
    """Each plan of the household (newest first) with its measures grouped by category."""
    labels = dict(MeasureCategory.choices)
    blocks = []
    for plan in household.assistance_plans.order_by("-year"):
        groups: dict[str, list] = {}
        for measure in plan.measures.select_related("person").order_by("category", "planned_on"):
            groups.setdefault(measure.category, []).append(measure)
        blocks.append(
            {
                "plan": plan,
                "groups": [(code, labels.get(code, code), items) for code, items in groups.items()],
            }
        )
    return blocks


@login_required
def household_plans(request, public_id):
    user = request.user
    require(user, Perm.VIEW_ASSISTANCE)
    household = or_404(lambda: selectors.plan_household(user, public_id))
    today = timezone.localdate()
    can_edit = area_in_scope(user, household.village, Perm.EDIT_ASSISTANCE)
    members = [p for p in household.members.all() if p.status == PersonStatus.ACTIVE]
    pairing = household.helper_assignments.filter(end_on__isnull=True).select_related("helper")
    context = {
        "household": household,
        "head": head_name(household),
        "blocks": _plan_blocks(household),
        "warnings": selectors.plan_warnings(household, today),
        "pairing": pairing.first(),
        "can_edit": can_edit,
    }
    if can_edit:
        helpers = selectors.visible_helpers(user, Perm.EDIT_ASSISTANCE).order_by("name")
        context.update(
            plan_form=PlanForm(initial={"year": today.year}),
            measure_form=MeasureForm(members=members, initial={"planned_on": today}),
            assign_form=AssignHelperForm(helpers=helpers, initial={"start_on": today}),
            today=today,
        )
    return render(request, "assistance/plans_household.html", context)


def _back(household):
    return redirect("assistance:household_plans", household.public_id)


def _editable_household(request, public_id):
    require(request.user, Perm.EDIT_ASSISTANCE)
    return or_404(lambda: selectors.plan_household(request.user, public_id))


@login_required
@require_POST
def plan_create(request, public_id):
    household = _editable_household(request, public_id)
    form = PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写正确的年度。"))
        return _back(household)
    try:
        plan_actions.do_create_plan(
            household,
            form.cleaned_data["year"],
            actor=request.user,
            goals=form.cleaned_data["goals"],
        )
    except DomainError as error:
        refusal(request, error)
    else:
        messages.success(request, _("已建立帮扶计划。"))
    return _back(household)


@login_required
@require_POST
def measure_add(request, public_id):
    require(request.user, Perm.EDIT_ASSISTANCE)
    plan = or_404(lambda: selectors.access_plan(request.user, public_id))
    household = plan.household
    members = [p for p in household.members.all() if p.status == PersonStatus.ACTIVE]
    form = MeasureForm(request.POST, members=members)
    if not form.is_valid():
        messages.error(request, _("请完整填写措施类别、内容、金额和计划日期。"))
        return _back(household)
    person_id = form.cleaned_data["person"]
    person = next((p for p in members if str(p.public_id) == person_id), None)
    try:
        plan_actions.do_add_measure(
            plan,
            actor=request.user,
            category=form.cleaned_data["category"],
            description=form.cleaned_data["description"],
            amount=form.cleaned_data["amount"],
            planned_on=form.cleaned_data["planned_on"],
            person=person,
        )
    except DomainError as error:
        refusal(request, error)
    else:
        messages.success(request, _("已添加帮扶措施。"))
    return _back(household)


@login_required
@require_POST
def measure_implement(request, public_id):
    require(request.user, Perm.EDIT_ASSISTANCE)
    measure = or_404(lambda: selectors.access_measure(request.user, public_id))
    form = ImplementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写实施日期。"))
        return _back(measure.household)
    try:
        plan_actions.do_implement_measure(
            measure,
            actor=request.user,
            implemented_on=form.cleaned_data["implemented_on"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as error:
        refusal(request, error)
    else:
        messages.success(request, _("已登记措施实施。"))
    return _back(measure.household)


@login_required
@require_POST
def measure_cancel(request, public_id):
    require(request.user, Perm.EDIT_ASSISTANCE)
    measure = or_404(lambda: selectors.access_measure(request.user, public_id))
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写取消原因。"))
        return _back(measure.household)
    try:
        plan_actions.do_cancel_measure(
            measure,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as error:
        refusal(request, error)
    else:
        messages.success(request, _("已取消该措施。"))
    return _back(measure.household)


@login_required
@require_POST
def helper_assign(request, public_id):
    household = _editable_household(request, public_id)
    helpers = selectors.visible_helpers(request.user, Perm.EDIT_ASSISTANCE)
    form = AssignHelperForm(request.POST, helpers=helpers)
    if not form.is_valid():
        messages.error(request, _("请选择帮扶责任人和开始日期。"))
        return _back(household)
    helper = helpers.get(public_id=form.cleaned_data["helper"])
    try:
        plan_actions.do_assign_helper(
            helper, household, actor=request.user, start_on=form.cleaned_data["start_on"]
        )
    except DomainError as error:
        refusal(request, error)
    else:
        messages.success(request, _("已结对。"))
    return _back(household)


# --- warnings (帮扶预警) ---------------------------------------------------------------------


@login_required
def warning_list(request):
    user = request.user
    require(user, Perm.VIEW_ASSISTANCE)
    options = villages(user)
    form = WarningFilterForm(request.GET or None, villages=options)
    village = selected_village(form, options)
    code = form.cleaned_data.get("code", "") if form.is_valid() else ""
    today = timezone.localdate()
    rows, counts = selectors.scope_warnings(user, today, village=village, code=code)
    context = {
        "form": form,
        "rows": rows[:500],
        "more": len(rows) > 500,
        "total": len(rows),
        "counts": [(c, WARNING_LABELS[c], n) for c, n in counts.items()],
        "today": today,
    }
    return render(request, "assistance/plans_warnings.html", context)

"""Pages of 识别纳入 / 风险消除 cases, the printable 公示 and 动态清零 problems.

Thin: reads through ``monitoring.selectors`` (scoped; ``NotFound`` → 404), writes through
``monitoring.actions.cases`` / ``problems``. A step form is shown only when the user could
take that step (permission in the household's village, status, maker ≠ checker).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhenwu.accounts.policy import area_in_scope, has_perm, scope_paths
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.areas.selectors import current
from zhenwu.core import audit
from zhenwu.core.errors import DomainError, NotFound
from zhenwu.monitoring import selectors
from zhenwu.monitoring.actions import cases as case_actions
from zhenwu.monitoring.actions import problems as problem_actions
from zhenwu.monitoring.choices import CaseAction, CaseKind, CaseStatus, ProblemStatus
from zhenwu.monitoring.forms_cases import (
    ApproveForm,
    CaseFilterForm,
    EliminationStartForm,
    HomeVerificationForm,
    NoticeContactForm,
    NoticeForm,
    OpenCaseForm,
    ProblemAdvanceForm,
    ProblemEditForm,
    ProblemFilterForm,
    ProblemForm,
    ReasonForm,
    TownshipReviewForm,
    VillageReviewForm,
)
from zhenwu.monitoring.models import MonitoringCase
from zhenwu.monitoring.rules.elimination import CRITERIA_LABELS, describe
from zhenwu.monitoring.states import PROBLEM_TRANSITIONS, RETURNABLE, STEP_PERMISSION
from zhenwu.registry import selectors as registry_selectors
from zhenwu.registry.choices import PersonStatus, Relation, RiskType

PAGE_SIZE = 50
ELIMINABLE_SHOWN = 20
DEFAULT_CONTACT = "12317"  # national 防返贫监测帮扶 hotline


# --- helpers -----------------------------------------------------------------------------


def _or_404(call):
    try:
        return call()
    except NotFound:
        raise Http404 from None


def _villages(user, perm: str = Perm.VIEW_MONITORING):
    paths = scope_paths(user, perm)
    if not paths:
        return Area.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return current(Area.objects.filter(condition, level=AreaLevel.VILLAGE)).order_by("code")


def _require(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied


def _refusal(request, error: DomainError) -> None:
    if error.code == "permission_denied":
        raise PermissionDenied
    messages.error(request, error.message)


def risk_labels(codes) -> list[str]:
    labels = dict(RiskType.choices)
    return [str(labels.get(code, code)) for code in codes or []]


def head_name(household) -> str:
    head = (
        household.members.filter(relation=Relation.HEAD, status=PersonStatus.ACTIVE)
        .only("name")
        .first()
    )
    return head.name if head else ""


# --- case list ---------------------------------------------------------------------------


STATUS_LABELS = dict(CaseStatus.choices)


def _case_row(case: MonitoringCase, today: datetime.date) -> dict:
    return {
        "public_id": case.public_id,
        "kind": case.get_kind_display(),
        "status": case.get_status_display(),
        "status_code": case.status,
        "household": case.household.number,
        "village": case.household.village.name,
        "started_on": case.started_on,
        "deadline_on": case.deadline_on,
        "overdue": case.is_overdue(today),
        # With ``open_on`` the list is of the stage on that date (it may differ from now).
        "status_then": STATUS_LABELS.get(getattr(case, "status_then", case.status), ""),
        "status_changed": getattr(case, "status_then", case.status) != case.status,
    }


@login_required
def case_list(request):
    user = request.user
    _require(user, Perm.VIEW_MONITORING)
    today = timezone.localdate()
    form = CaseFilterForm(request.GET or None, villages=_villages(user))
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    qs = selectors.filter_cases(selectors.visible_cases(user), filters, today=today)
    if form.narrowing_invalid():
        qs = qs.none()  # a figure link that does not parse lists nothing, never everything
    page = _page_number(request)
    found = list(qs.order_by("-started_on", "-id")[page * PAGE_SIZE : (page + 1) * PAGE_SIZE + 1])
    eliminable = list(selectors.eliminable_households(user)[: ELIMINABLE_SHOWN + 1])
    context = {
        "form": form,
        "total": qs.count(),
        "scope_areas": selectors.area_names(filters),
        "rows": [_case_row(c, today) for c in found[:PAGE_SIZE]],
        "page": page,
        "has_next": len(found) > PAGE_SIZE,
        "query_string": _query_without_page(request),
        "eliminable": eliminable[:ELIMINABLE_SHOWN],
        "eliminable_more": len(eliminable) > ELIMINABLE_SHOWN,
    }
    return render(request, "monitoring/case_list.html", context)


def _page_number(request) -> int:
    value = request.GET.get("page", "")
    return min(int(value), 10_000) if value.isdigit() else 0


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- case detail and steps -----------------------------------------------------------------

STEP_FORMS = {
    "verify": (CaseStatus.HOME_VERIFIED, HomeVerificationForm, _("入户核实")),
    "review": (CaseStatus.VILLAGE_REVIEWED, VillageReviewForm, _("民主评议")),
    "notice": (CaseStatus.NOTICE_POSTED, NoticeForm, _("村内公示")),
    "township": (CaseStatus.TOWNSHIP_REVIEWED, TownshipReviewForm, _("乡镇审核")),
    "approve": (CaseStatus.APPROVED, ApproveForm, _("县级审定")),
}
STEP_BY_TARGET = {target: name for name, (target, _form, _label) in STEP_FORMS.items()}


def available_steps(case: MonitoringCase, user) -> list[str]:
    """The step names the user could take now (advance, return, reject)."""
    if not case.is_open:
        return []
    target = case_actions.next_case_status(case.status)
    if not area_in_scope(user, case.household.village, STEP_PERMISSION[target]):
        return []
    steps = []
    if case_actions.can_check(case, user, target) or target not in (
        CaseStatus.TOWNSHIP_REVIEWED,
        CaseStatus.APPROVED,
    ):
        steps.append(STEP_BY_TARGET[target])
    if case.status in RETURNABLE:
        steps.append("return")
    steps.append("reject")
    return steps


def _step_form(name: str, case: MonitoringCase, data=None):
    initial = {"version": case.version}
    if name in STEP_FORMS:
        form_class = STEP_FORMS[name][1]
        date_field = next(f for f in form_class.base_fields if f.endswith("_on"))
        initial[date_field] = timezone.localdate()
    else:
        form_class = ReasonForm
    return form_class(data, initial=initial, prefix=name)


def _step_label(name: str):
    if name in STEP_FORMS:
        return STEP_FORMS[name][2]
    return _("退回上一环节") if name == "return" else _("不予通过")


def _timeline(case: MonitoringCase) -> list[dict]:
    labels = dict(CaseStatus.choices)
    actions = dict(CaseAction.choices) | {"open": _("启动程序")}
    return [
        {
            "at": event.at,
            "actor": (event.actor.display_name or event.actor.username) if event.actor else "",
            "action": actions.get(event.action, event.action),
            "action_code": event.action,
            "from": labels.get(event.from_status, ""),
            "to": labels.get(event.to_status, ""),
            "reason": event.reason,
        }
        for event in case.events.select_related("actor")
    ]


def criteria_rows(results: dict, *, show_income: bool) -> list[dict]:
    """Criteria for the page; the income figures only for users who may see incomes."""
    rows = []
    for item in (results or {}).get("items", []):
        code, detail = item["code"], item["detail"]
        hidden = code == "income_above_line" and not show_income
        rows.append(
            {
                "label": CRITERIA_LABELS.get(code, code),
                "passed": item["passed"],
                "detail": "" if hidden else describe(code, detail),
            }
        )
    return rows


def _sees_income(user, household) -> bool:
    return area_in_scope(user, household.village, Perm.VIEW_SENSITIVE)


def _case_context(request, case: MonitoringCase, forms: dict | None = None) -> dict:
    user = request.user
    steps = available_steps(case, user)
    forms = forms or {}
    criteria = case.criteria_results
    if case.kind == CaseKind.ELIMINATION and case.is_open:
        criteria = case_actions.criteria_results(case, on=timezone.localdate())
    return {
        "case": case,
        "household": case.household,
        "head_name": head_name(case.household),
        "risks": risk_labels(case.risk_types),
        "timeline": _timeline(case),
        "criteria": (
            criteria_rows(criteria, show_income=_sees_income(user, case.household))
            if case.kind == CaseKind.ELIMINATION
            else []
        ),
        "criteria_checked_on": (criteria or {}).get("checked_on", ""),
        "overdue": case.is_overdue(timezone.localdate()),
        "steps": [
            {"name": n, "label": _step_label(n), "form": forms.get(n) or _step_form(n, case)}
            for n in steps
        ],
        "can_print_notice": case.status == CaseStatus.NOTICE_POSTED,
        "can_add_problem": area_in_scope(user, case.household.village, Perm.MANAGE_PROBLEMS),
    }


@login_required
def case_detail(request, public_id):
    user = request.user
    case = _or_404(lambda: selectors.access_case(user, public_id))
    audit.record("monitoring.case_viewed", actor=user, obj=case)
    return render(request, "monitoring/case_detail.html", _case_context(request, case))


def _run_step(name: str, case: MonitoringCase, actor, data: dict):
    version = data.pop("version")
    if name == "verify":
        return case_actions.do_record_home_verification(
            case, actor=actor, expected_version=version, **data
        )
    if name == "review":
        return case_actions.do_record_village_review(
            case, actor=actor, expected_version=version, **data
        )
    calls = {
        "notice": case_actions.do_post_notice,
        "township": case_actions.do_township_review,
        "approve": case_actions.do_approve_case,
        "return": case_actions.do_return_case,
        "reject": case_actions.do_reject_case,
    }
    return calls[name](case, actor=actor, expected_version=version, **data)


@login_required
@require_POST
def case_step(request, public_id, step):
    user = request.user
    case = _or_404(lambda: selectors.access_case(user, public_id))
    if step not in available_steps(case, user):
        raise PermissionDenied
    form = _step_form(step, case, request.POST)
    if form.is_valid():
        try:
            _run_step(step, case, user, dict(form.cleaned_data))
        except DomainError as error:
            _refusal(request, error)
            case = _or_404(lambda: selectors.access_case(user, public_id))
        else:
            messages.success(request, _("已办理：%(step)s") % {"step": _step_label(step)})
            return redirect("monitoring:case_detail", public_id=case.public_id)
    context = _case_context(request, case, {step: form})
    return render(request, "monitoring/case_detail.html", context, status=400)


# --- opening cases -------------------------------------------------------------------------


@login_required
def case_open(request, clue_id):
    """识别纳入 from a clue (the clue inbox links here)."""
    user = request.user
    clue = _or_404(lambda: selectors.clue_for_case(user, clue_id))
    form = OpenCaseForm(request.POST or None, initial={"risk_types": clue.risk_types})
    if request.method == "POST" and form.is_valid():
        try:
            case = case_actions.do_open_identification_case(
                clue,
                actor=user,
                category=form.cleaned_data["category"],
                risk_types=form.cleaned_data["risk_types"] or None,
            )
        except DomainError as error:
            _refusal(request, error)
        else:
            messages.success(request, _("已启动识别纳入程序。"))
            return redirect("monitoring:case_detail", public_id=case.public_id)
    context = {"form": form, "clue": clue, "household": clue.household}
    return render(request, "monitoring/case_open.html", context)


@login_required
def case_start_elimination(request, household_id):
    """风险消除: the form shows the criteria as they stand for the chosen way and date."""
    user = request.user
    household = _or_404(
        lambda: registry_selectors.access_household(user, household_id, Perm.CASE_VILLAGE_STEPS)
    )
    today = timezone.localdate()
    form = EliminationStartForm(
        request.POST or request.GET or None, initial={"way": "assisted", "started_on": today}
    )
    way, started_on = "assisted", today
    if form.is_bound and form.is_valid():
        way, started_on = form.cleaned_data["way"], form.cleaned_data["started_on"]
    if request.method == "POST" and form.is_valid():
        try:
            case = case_actions.do_open_elimination_case(
                household, actor=user, way=way, started_on=started_on
            )
        except DomainError as error:
            _refusal(request, error)
        else:
            messages.success(request, _("已启动风险消除程序。"))
            return redirect("monitoring:case_detail", public_id=case.public_id)
    preview = MonitoringCase(household=household, kind=CaseKind.ELIMINATION, elimination_way=way)
    context = {
        "form": form,
        "household": household,
        "head_name": head_name(household),
        "criteria": criteria_rows(
            case_actions.criteria_results(preview, on=started_on),
            show_income=_sees_income(user, household),
        ),
    }
    return render(request, "monitoring/case_start_elimination.html", context)


# --- public notice (公示) ------------------------------------------------------------------


def notice_row(case: MonitoringCase) -> dict:
    """Only what a village notice may show: never ID, phone, bank or health data."""
    household = case.household
    return {
        "kind": case.get_kind_display(),
        "head_name": head_name(household),
        "village": household.village.name,
        "group": household.group_name,
        "category": case.get_category_display(),
        "risks": risk_labels(case.risk_types),
        "member_count": household.members.filter(status=PersonStatus.ACTIVE).count(),
        "posted_on": case.notice_posted_on,
        "ends_on": case.notice_ends_on,
    }


def _township_of(village: Area) -> Area | None:
    return village.parent if village.parent_id else None


def _render_notice(request, cases: list, township, *, scope: str):
    form = NoticeContactForm(request.GET or None)
    contact = DEFAULT_CONTACT
    if form.is_bound and form.is_valid() and form.cleaned_data["contact"]:
        contact = form.cleaned_data["contact"]
    audit.record(
        "monitoring.notice_printed",
        actor=request.user,
        object_type="monitoring.monitoringcase",
        object_id=scope,
        data={"cases": [str(c.public_id) for c in cases]},
    )
    context = {
        "rows": [notice_row(c) for c in cases],
        "township": township,
        "contact": contact,
        "form": form,
        "printed_on": timezone.localdate(),
    }
    return render(request, "monitoring/notice_print.html", context)


@login_required
def notice_case(request, public_id):
    case = _or_404(lambda: selectors.access_case(request.user, public_id))
    if case.status != CaseStatus.NOTICE_POSTED:
        raise Http404
    township = _township_of(case.household.village)
    return _render_notice(request, [case], township, scope=str(case.public_id))


@login_required
def notice_batch(request, township_code):
    """All cases of a township currently in public notice (the user's scope only)."""
    user = request.user
    _require(user, Perm.VIEW_MONITORING)
    township = current(Area.objects.filter(code=township_code, level=AreaLevel.TOWNSHIP)).first()
    if township is None:
        raise Http404
    found = list(
        selectors.visible_cases(user)
        .filter(status=CaseStatus.NOTICE_POSTED, household__village__path__startswith=township.path)
        .order_by("household__village__code", "household__number")
    )
    return _render_notice(request, found, township, scope=f"township:{township.code}")


# --- problems (动态清零) ----------------------------------------------------------------------


def _problem_row(problem, today) -> dict:
    return {
        "public_id": problem.public_id,
        "household": problem.household.number,
        "village": problem.household.village.name,
        "kind": problem.get_kind_display(),
        "owner": problem.owner,
        "deadline_on": problem.deadline_on,
        "status": problem.get_status_display(),
        "status_code": problem.status,
        "overdue": problem_actions.is_overdue(problem, today),
    }


@login_required
def problem_list(request):
    user = request.user
    _require(user, Perm.VIEW_MONITORING)
    today = timezone.localdate()
    form = ProblemFilterForm(request.GET or None, villages=_villages(user))
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    qs = selectors.filter_problems(selectors.visible_problems(user), filters, today=today)
    if form.narrowing_invalid():
        qs = qs.none()
    page = _page_number(request)
    found = list(qs.order_by("deadline_on", "id")[page * PAGE_SIZE : (page + 1) * PAGE_SIZE + 1])
    context = {
        "form": form,
        "total": qs.count(),
        "scope_areas": selectors.area_names(filters),
        "rows": [_problem_row(p, today) for p in found[:PAGE_SIZE]],
        "page": page,
        "has_next": len(found) > PAGE_SIZE,
        "query_string": _query_without_page(request),
    }
    return render(request, "monitoring/problem_list.html", context)


@login_required
def problem_create(request, household_id):
    user = request.user
    household = _or_404(
        lambda: registry_selectors.access_household(user, household_id, Perm.MANAGE_PROBLEMS)
    )
    today = timezone.localdate()
    initial = {"found_on": today, "deadline_on": today + datetime.timedelta(days=30)}
    form = ProblemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            problem = problem_actions.do_open_problem(household, actor=user, **form.cleaned_data)
        except DomainError as error:
            _refusal(request, error)
        else:
            messages.success(request, _("整改问题已登记。"))
            return redirect("monitoring:problem_detail", public_id=problem.public_id)
    context = {"form": form, "household": household}
    return render(request, "monitoring/problem_form.html", context)


def _problem_forms(problem, user, data=None, which=""):
    can_manage = area_in_scope(user, problem.household.village, Perm.MANAGE_PROBLEMS)
    targets = sorted(PROBLEM_TRANSITIONS.get(problem.status, set()))
    if problem.fixed_by_id == user.pk:
        targets = [t for t in targets if t != ProblemStatus.VERIFIED]
    initial = {"version": problem.version, "on": timezone.localdate()}
    advance = edit = None
    if can_manage and targets:
        bound = data if which == "advance" else None
        advance = ProblemAdvanceForm(bound, initial=initial, targets=targets, prefix="advance")
    if can_manage and problem.status in problem_actions.UNFIXED:
        initial = {f: getattr(problem, f) for f in ProblemEditForm.base_fields if f != "version"}
        initial["version"] = problem.version
        edit = ProblemEditForm(data if which == "edit" else None, initial=initial, prefix="edit")
    return advance, edit


@login_required
def problem_detail(request, public_id):
    user = request.user
    problem = _or_404(lambda: selectors.access_problem(user, public_id))
    which = request.POST.get("form", "") if request.method == "POST" else ""
    advance, edit = _problem_forms(problem, user, request.POST or None, which)
    form = {"advance": advance, "edit": edit}.get(which)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                if which == "advance":
                    problem_actions.do_advance_problem(
                        problem, actor=user, expected_version=version, **data
                    )
                else:
                    problem_actions.do_update_problem(
                        problem, actor=user, expected_version=version, changes=data
                    )
            except DomainError as error:
                _refusal(request, error)
            else:
                messages.success(request, _("已保存。"))
                return redirect("monitoring:problem_detail", public_id=problem.public_id)
    context = {
        "problem": problem,
        "overdue": problem_actions.is_overdue(problem, timezone.localdate()),
        "advance_form": advance,
        "edit_form": edit,
    }
    return render(request, "monitoring/problem_detail.html", context)

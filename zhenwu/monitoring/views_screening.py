"""每月一排查 pages: the per-village completion overview of a month, a round's target list
(search by head name or pinyin, visited or not), and the mobile visit form.

Thin: reads through ``monitoring.selectors`` (scoped; ``NotFound`` → 404), writes through
``monitoring.actions.screening`` (permission, area, audit)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
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
from zhenwu.monitoring.actions.screening import (
    TARGET_GROUPS,
    do_close_round,
    do_open_round,
    do_record_visit,
)
from zhenwu.monitoring.choices import RoundStatus
from zhenwu.monitoring.forms_screening import (
    OpenRoundForm,
    ProblemFormSet,
    VisitForm,
    parse_month,
)
from zhenwu.monitoring.models import ScreeningVisit
from zhenwu.monitoring.selectors import (
    access_round,
    area_names,
    round_progress,
    round_targets,
    screening_overview,
    visible_rounds,
)
from zhenwu.registry.selectors import query_kind

PAGE_SIZE = 50
# Where an action's refusal belongs in the visit form.
VISIT_ERROR_FIELDS = {
    "visitors_required": "visitors",
    "too_many_visitors": "visitors",
    "invalid_amount": "rigid_spending",
    "invalid_visit_date": "visited_on",
    "invalid_income_change": "income_change",
}
CLUE_DUPLICATE = _("该户已有未办结的线索或监测程序，本次未重复报告线索；走访记录已保存。")


def _require(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied


def _round_or_404(user, public_id, perm: str = Perm.VIEW_MONITORING):
    try:
        return access_round(user, public_id, perm)
    except NotFound:
        raise Http404 from None


def _villages_for(user, perm: str):
    paths = scope_paths(user, perm)
    if not paths:
        return Area.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return current(Area.objects.filter(condition, level=AreaLevel.VILLAGE)).order_by("code")


def _can_screen(user, round_) -> bool:
    return round_.status == RoundStatus.OPEN and area_in_scope(
        user, round_.village, Perm.SCREEN_HOUSEHOLDS
    )


def _refusal(error: DomainError):
    if error.code in ("permission_denied", "out_of_scope"):
        raise PermissionDenied
    if error.code == "not_found":
        raise Http404


# --- overview ------------------------------------------------------------------------------


@login_required
def overview(request):
    """Completion per village for a month (``?month=2023-06``, default this month)."""
    user = request.user
    _require(user, Perm.VIEW_MONITORING)
    month = parse_month(request.GET.get("month", "")) or timezone.localdate().replace(day=1)
    until = parse_month(request.GET.get("until", ""))
    if until is not None and until <= month:
        until = None
    # A figure's link narrows the villages (figures.py ``screening`` filter); codes only.
    narrowing = {key: request.GET.get(key, "")[:20] for key in ("township", "area", "village")}
    rows = screening_overview(user, month, until=until, filters=narrowing)
    totals = {
        "targets": sum(r["targets"] for r in rows),
        "visited": sum(r["visited"] for r in rows),
        "problems": sum(r["problems"] for r in rows),
        "clues": sum(r["clues"] for r in rows),
    }
    totals["percent"] = (
        round(100 * totals["visited"] / totals["targets"]) if totals["targets"] else 0
    )
    open_form = None
    if has_perm(user, Perm.SCREEN_HOUSEHOLDS):
        open_form = OpenRoundForm(
            villages=_villages_for(user, Perm.SCREEN_HOUSEHOLDS),
            initial={"month": month.strftime("%Y-%m")},
        )
    open_rounds = (
        visible_rounds(user)
        .filter(status=RoundStatus.OPEN)
        .order_by("-month", "village__code")[:20]
    )
    return render(
        request,
        "monitoring/screening_overview.html",
        {
            "month": month,
            "month_value": month.strftime("%Y-%m"),
            "until_value": until.strftime("%Y-%m") if until else "",
            "narrowing": {key: value for key, value in narrowing.items() if value},
            "scope_areas": area_names(narrowing),
            "rows": rows,
            "totals": totals,
            "open_form": open_form,
            "open_rounds": open_rounds,
        },
    )


@login_required
@require_POST
def open_round(request):
    user = request.user
    _require(user, Perm.SCREEN_HOUSEHOLDS)
    form = OpenRoundForm(request.POST, villages=_villages_for(user, Perm.SCREEN_HOUSEHOLDS))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("monitoring:screening_overview")
    try:
        round_ = do_open_round(
            form.cleaned_data["village"],
            form.cleaned_data["month"],
            actor=user,
            groups=form.cleaned_data["groups"],
        )
    except DomainError as error:
        _refusal(error)
        messages.error(request, error.message)
        return redirect("monitoring:screening_overview")
    messages.success(
        request,
        _("%(village)s %(month)s 排查已就绪，共 %(n)s 户排查对象。")
        % {
            "village": round_.village.name,
            "month": round_.month.strftime("%Y-%m"),
            "n": round_.target_households.count(),
        },
    )
    return redirect("monitoring:screening_round", public_id=round_.public_id)


# --- one round -------------------------------------------------------------------------------


def _target_row(household) -> dict:
    head = household.head
    return {
        "public_id": household.public_id,
        "number": household.number,
        "head_name": head.name if head else "—",
        "category": household.get_category_display(),
        "members": len(household.active_members()),
        "visited": household.visited,
    }


@login_required
def round_detail(request, public_id):
    user = request.user
    round_ = _round_or_404(user, public_id)
    query = request.GET.get("q", "").strip()[:40]
    qs = round_targets(round_, query=query)
    if query:
        audit.record(
            "monitoring.round_search",
            actor=user,
            obj=round_,
            data={"query_kind": query_kind(query), "count": qs.count()},
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    visited, targets, rate = round_progress(round_)
    return render(
        request,
        "monitoring/screening_round.html",
        {
            "round": round_,
            "rows": [_target_row(h) for h in page.object_list],
            "page": page,
            "query": query,
            "visited": visited,
            "targets": targets,
            "percent": round(100 * rate),
            "groups": [TARGET_GROUPS.get(g, g) for g in round_.target_groups],
            "can_screen": _can_screen(user, round_),
            "can_close": _can_screen(user, round_),
        },
    )


@login_required
@require_POST
def close_round(request, public_id):
    user = request.user
    round_ = _round_or_404(user, public_id, Perm.SCREEN_HOUSEHOLDS)
    try:
        do_close_round(round_, actor=user)
    except DomainError as error:
        _refusal(error)
        messages.error(request, error.message)
    else:
        messages.success(request, _("本轮排查已结束。"))
    return redirect("monitoring:screening_round", public_id=round_.public_id)


# --- visit form -------------------------------------------------------------------------------


def _problems_from(formset) -> list[dict]:
    return [item for form in formset.forms if (item := form.item())]


def _save_visit(request, round_, household, visit, form, formset):
    """Run the action; returns the saved visit or None (errors added to the form)."""
    data = form.cleaned_data
    try:
        return do_record_visit(
            round_,
            household,
            actor=request.user,
            visited_on=data["visited_on"],
            visitors=data["visitors"],
            checks=form.checks(),
            income_change=data["income_change"],
            rigid_spending=data["rigid_spending"],
            notes=data["notes"],
            report_clue=data["report_clue"],
            risk_types=data["risk_types"],
            problems=_problems_from(formset),
            expected_version=data["version"] if visit is not None else None,
        )
    except DomainError as error:
        _refusal(error)
        field = VISIT_ERROR_FIELDS.get(error.code)
        form.add_error(field, error.message)
        return None


def _visit_messages(request, saved) -> None:
    messages.success(
        request, _("已保存 %(number)s 户的走访记录。") % {"number": saved.household.number}
    )
    if saved.clue is not None:
        messages.success(request, _("已报告风险线索，等待核实。"))
    if saved.clue_duplicate:
        messages.warning(request, CLUE_DUPLICATE)
    if saved.new_problems:
        messages.success(request, _("已登记 %(n)s 个整改问题。") % {"n": len(saved.new_problems)})


@login_required
def visit_form(request, public_id, household_id):
    user = request.user
    round_ = _round_or_404(user, public_id, Perm.SCREEN_HOUSEHOLDS)
    household = round_targets(round_).filter(public_id=household_id).first()
    if household is None:
        raise Http404
    if round_.status != RoundStatus.OPEN:
        messages.error(request, DomainError("round_closed").message)
        return redirect("monitoring:screening_round", public_id=round_.public_id)
    visit = ScreeningVisit.objects.filter(round=round_, household=household).first()
    if request.method == "POST":
        form = VisitForm(request.POST)
        formset = ProblemFormSet(request.POST, prefix="problems")
        if form.is_valid() and formset.is_valid():
            saved = _save_visit(request, round_, household, visit, form, formset)
            if saved is not None:
                _visit_messages(request, saved)
                return redirect("monitoring:screening_round", public_id=round_.public_id)
    else:
        default_visitor = user.display_name or user.username
        form = VisitForm(initial=VisitForm.initial_for(visit, default_visitor=default_visitor))
        formset = ProblemFormSet(prefix="problems")
    head = household.head
    return render(
        request,
        "monitoring/screening_visit.html",
        {
            "round": round_,
            "household": household,
            "head_name": head.name if head else "—",
            "members": len(household.active_members()),
            "visit": visit,
            "form": form,
            "formset": formset,
            "problems_open": formset.is_bound and any(f.has_changed() for f in formset.forms),
        },
        status=400 if request.method == "POST" else 200,
    )

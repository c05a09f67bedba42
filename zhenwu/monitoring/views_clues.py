"""Clue pages: the public self-declaration form, the clue inbox (one per area, scoped),
clue detail with verify / dismiss / open-case, the cadre's report form, the staff form for
a declaration on a resident's behalf, and the policy parameters page.

Thin: reads through ``monitoring.selectors`` (scoped; ``NotFound`` → 404), writes through
``monitoring.actions.clues`` and ``monitoring.parameters``."""

import datetime
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhenwu.accounts.policy import area_in_scope, has_perm, highest_area, scope_paths
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.areas.selectors import current
from zhenwu.core import audit
from zhenwu.core.errors import DomainError, NotFound
from zhenwu.core.middleware import client_ip
from zhenwu.lib.masking import mask_id_number, mask_phone
from zhenwu.monitoring import selectors
from zhenwu.monitoring.actions import clues as actions
from zhenwu.monitoring.choices import Channel, ClueStatus, ParameterKey
from zhenwu.monitoring.forms_clues import (
    ID_REASONS,
    ClueFilterForm,
    ClueReportForm,
    DeclarationForm,
    DismissForm,
    ParameterForm,
    parameter_areas,
)
from zhenwu.monitoring.models import Clue, PolicyParameter
from zhenwu.monitoring.parameters import ancestor_paths, do_set_parameter, parameters_on
from zhenwu.registry.choices import RiskType
from zhenwu.registry.models import Household

PAGE_SIZE = 50
FORM_FIELDS = {
    "invalid_id_number": "id_number",
    "out_of_scope": "village",
    "area_level": "village",
    "household_not_in_village": "household_number",
    "duplicate_clue": "household_number",
    "reason_missing": "reason",
    "invalid_risk_types": "risk_types",
    "declarant_name_missing": "name",
    "parameter_dates": "valid_to",
}


def _posted(request):
    """The POST data, also when empty (an empty submit must show the required fields)."""
    return request.POST if request.method == "POST" else None


def _require(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied


def _apply_error(form, error: DomainError) -> None:
    if error.code == "permission_denied":
        raise PermissionDenied
    if error.code == "not_found":
        raise Http404
    message = ID_REASONS.get(error.params.get("reason"), error.message)
    field = FORM_FIELDS.get(error.code)
    form.add_error(field if field in form.fields else None, message)


def _villages(user=None, perm: str | None = None):
    """Current villages (all of them for the public form; else those in ``user``'s scope)."""
    qs = Area.objects.filter(level=AreaLevel.VILLAGE).select_related("parent")
    if user is not None:
        paths = scope_paths(user, perm)
        if not paths:
            return []
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        qs = qs.filter(condition)
    return list(current(qs).order_by("parent__code", "code"))


def _clue_or_404(user, public_id, perm: str = Perm.VIEW_MONITORING) -> Clue:
    try:
        return selectors.access_clue(user, public_id, perm)
    except NotFound:
        raise Http404 from None


# --- public self-declaration ---------------------------------------------------------------


def declare(request):
    """农户自主申报 (no login). Same answer whether or not the ID number is registered."""
    form = DeclarationForm(_posted(request), villages=_villages())
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_submit_self_declaration(
                name=data["name"],
                id_number=data["id_number"],
                village=data["village"],
                phone=data["phone"],
                risk_types=data["risk_types"],
                description=data["description"],
                ip=client_ip(request),
            )
        except DomainError as error:
            _apply_error(form, error)
            status = 429 if error.code == "rate_limited" else 400
        else:
            return redirect("monitoring:declare_received")
    response = render(request, "monitoring/declare_form.html", {"form": form}, status=status)
    add_never_cache_headers(response)  # a typed ID number must not stay in a cache
    return response


def declare_received(request):
    return render(request, "monitoring/declare_received.html")


@login_required
def clue_declare_on_behalf(request):
    """Staff enter a resident's declaration (written form, hotline 12317)."""
    user = request.user
    _require(user, Perm.MANAGE_CLUES)
    form = DeclarationForm(_posted(request), villages=_villages(user, Perm.MANAGE_CLUES))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            clue = actions.do_submit_self_declaration(
                name=data["name"],
                id_number=data["id_number"],
                village=data["village"],
                phone=data["phone"],
                risk_types=data["risk_types"],
                description=data["description"],
                ip=client_ip(request),
                actor=user,
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            if clue is None:
                messages.info(request, _("该户已有未办结的监测程序，申报已记录。"))
                return redirect("monitoring:clue_list")
            messages.success(request, _("自主申报已登记。"))
            return redirect("monitoring:clue_detail", public_id=clue.public_id)
    response = render(request, "monitoring/declare_form.html", {"form": form, "on_behalf": True})
    add_never_cache_headers(response)
    return response


# --- inbox ----------------------------------------------------------------------------------


def clue_row(clue: Clue, today: datetime.date, deadline_days: int, user) -> dict:
    age = (today - clue.reported_on).days
    is_open = clue.status in actions.OPEN_CLUE_STATUSES
    labels = dict(RiskType.choices)
    household = clue.household
    return {
        "public_id": clue.public_id,
        "reported_on": clue.reported_on,
        "village": clue.village.name,
        "household_number": household.number if household else "",
        "household_link": household is not None
        and area_in_scope(user, clue.village, Perm.VIEW_REGISTRY),
        "household_public_id": household.public_id if household else None,
        "channel": clue.get_channel_display(),
        "risk_types": [str(labels.get(c, c)) for c in clue.risk_types],
        "status": clue.get_status_display(),
        "status_code": clue.status,
        "age": age,
        "deadline_days": deadline_days,
        "overdue": is_open and age > deadline_days,
    }


@login_required
def clue_list(request):
    user = request.user
    _require(user, Perm.VIEW_MONITORING)
    form = ClueFilterForm(request.GET or None, villages=_villages(user, Perm.VIEW_MONITORING))
    form.is_valid()  # an invalid field drops out; the others still apply
    params = getattr(form, "cleaned_data", {})
    keys = [*selectors.CLUE_FILTERS, *selectors.AREA_PARAMS, "from", "to"]
    filters = {key: params.get(key) or "" for key in keys}
    qs = selectors.filter_clues(
        selectors.visible_clues(user), filters=filters, month=params.get("month")
    ).order_by("-id")
    if form.narrowing_invalid():
        qs = qs.none()  # a figure link that does not parse lists nothing, never everything
    total = qs.count()
    if params.get("before"):
        qs = qs.filter(pk__lt=params["before"])
    clues = list(qs[: PAGE_SIZE + 1])
    has_next = len(clues) > PAGE_SIZE
    clues = clues[:PAGE_SIZE]
    days = selectors.clue_deadline_days(clues)
    today = timezone.localdate()
    query = request.GET.copy()
    query.pop("before", None)
    context = {
        "form": form,
        "total": total,
        "scope_areas": selectors.area_names(filters),
        "rows": [clue_row(c, today, days[c.pk], user) for c in clues],
        "next_before": clues[-1].pk if has_next else "",
        "is_first_page": not params.get("before"),
        "query_string": query.urlencode(),
        "can_manage": has_perm(user, Perm.MANAGE_CLUES),
    }
    return render(request, "monitoring/clue_list.html", context)


# --- detail and its actions ----------------------------------------------------------------------


def _open_case_action():
    """The identification-case action, when that part of the module is installed."""
    try:
        from zhenwu.monitoring.actions.cases import do_open_identification_case
    except ImportError:
        return None
    return do_open_identification_case


@login_required
def clue_detail(request, public_id):
    user = request.user
    clue = _clue_or_404(user, public_id)
    audit.record("monitoring.clue_viewed", actor=user, obj=clue)
    days = selectors.clue_deadline_days([clue])[clue.pk]
    can_manage = area_in_scope(user, clue.village, Perm.MANAGE_CLUES)
    is_open = clue.status in actions.OPEN_CLUE_STATUSES
    context = {
        "clue": clue,
        "row": clue_row(clue, timezone.localdate(), days, user),
        "declarant_id_masked": mask_id_number(clue.declarant_id_number)
        if clue.declarant_id_hash
        else "",
        "declarant_phone_masked": mask_phone(clue.declarant_phone),
        "can_verify": can_manage and clue.status == ClueStatus.NEW,
        "can_dismiss": can_manage and is_open,
        "can_open_case": can_manage
        and is_open
        and clue.household_id is not None
        and _open_case_action() is not None,
        "dismiss_form": DismissForm(),
        "case": clue.case,
    }
    return render(request, "monitoring/clue_detail.html", context)


@login_required
@require_POST
def clue_start_verifying(request, public_id):
    user = request.user
    clue = _clue_or_404(user, public_id, Perm.MANAGE_CLUES)
    try:
        actions.do_start_verifying(clue, actor=user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已开始核实。"))
    return redirect("monitoring:clue_detail", public_id=clue.public_id)


@login_required
def clue_dismiss(request, public_id):
    user = request.user
    clue = _clue_or_404(user, public_id, Perm.MANAGE_CLUES)
    form = DismissForm(_posted(request))
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.do_dismiss_clue(clue, actor=user, reason=form.cleaned_data["reason"])
            except DomainError as error:
                _apply_error(form, error)
            else:
                messages.success(request, _("线索已标记为不予纳入。"))
                return redirect("monitoring:clue_detail", public_id=clue.public_id)
    return render(request, "monitoring/clue_dismiss.html", {"clue": clue, "form": form})


@login_required
@require_POST
def clue_open_case(request, public_id):
    user = request.user
    clue = _clue_or_404(user, public_id, Perm.MANAGE_CLUES)
    open_case = _open_case_action()
    if open_case is None:
        raise Http404
    try:
        case = open_case(clue, actor=user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("monitoring:clue_detail", public_id=clue.public_id)
    messages.success(request, _("已启动识别纳入程序。"))
    return redirect("monitoring:case_detail", public_id=case.public_id)


@login_required
def clue_report(request):
    """基层干部排查: report a clue for a household of the user's villages."""
    user = request.user
    _require(user, Perm.MANAGE_CLUES)
    form = ClueReportForm(
        _posted(request),
        villages=_villages(user, Perm.MANAGE_CLUES),
        initial={"reported_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        clue = _report_from_form(request, form)
        if clue is not None:
            messages.success(request, _("线索已登记。"))
            return redirect("monitoring:clue_detail", public_id=clue.public_id)
    return render(request, "monitoring/clue_form.html", {"form": form})


def _report_from_form(request, form) -> Clue | None:
    data = form.cleaned_data
    household = None
    if data["household_number"]:
        household = Household.objects.filter(
            village=data["village"], number=data["household_number"].strip()
        ).first()
        if household is None:
            form.add_error("household_number", _("本村没有该户编号。"))
            return None
    try:
        return actions.do_report_clue(
            actor=request.user,
            village=data["village"],
            channel=Channel.CADRE_SCREENING,
            reported_on=data["reported_on"],
            household=household,
            risk_types=data["risk_types"],
            description=data["description"],
        )
    except DomainError as error:
        _apply_error(form, error)
        return None


# --- policy parameters ---------------------------------------------------------------------------


def _parameter_rows(area: Area) -> list[dict]:
    """Per key: the value in force today for ``area`` and the history of the rows that
    apply to it (its ancestry) or that it sets for its subtree."""
    today = timezone.localdate()
    in_force = parameters_on(area, today)
    rows = PolicyParameter.objects.filter(
        Q(area__path__in=ancestor_paths(area)) | Q(area__path__startswith=area.path)
    ).select_related("area")
    history = defaultdict(list)
    for row in rows.order_by("area__path", "-valid_from"):
        history[row.key].append(row)
    return [
        {"key": key, "label": label, "value": in_force.get(key), "history": history.get(key, [])}
        for key, label in ParameterKey.choices
    ]


@login_required
def parameter_list(request):
    user = request.user
    _require(user, Perm.VIEW_MONITORING)
    area = highest_area(user, Perm.VIEW_MONITORING)
    context = {
        "area": area,
        "rows": _parameter_rows(area),
        "can_edit": has_perm(user, Perm.EDIT_PARAMETERS),
        "has_samples": PolicyParameter.objects.filter(
            area__path__in=ancestor_paths(area), is_sample=True
        ).exists(),
    }
    return render(request, "monitoring/parameter_list.html", context)


@login_required
def parameter_set(request):
    user = request.user
    _require(user, Perm.EDIT_PARAMETERS)
    areas = list(parameter_areas(scope_paths(user, Perm.EDIT_PARAMETERS)))
    initial = {"key": request.GET.get("key", ""), "valid_from": timezone.localdate()}
    form = ParameterForm(_posted(request), areas=areas, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_set_parameter(actor=user, **data)
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("参数已保存。"))
            return redirect("monitoring:parameter_list")
    return render(request, "monitoring/parameter_form.html", {"form": form})

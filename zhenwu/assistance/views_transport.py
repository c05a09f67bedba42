"""交通补贴 pages: the application list (filters, totals, verify / approve buttons, batch
build), the apply form a cadre fills on a phone, and an application with its decisions.

"已发放" is derived from the payment batch (``selectors.visible_transport_applications``
annotates ``is_paid``). Thin: reads through selectors, writes through
``assistance.actions.transport``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhenwu.accounts.policy import area_in_scope, has_perm, highest_area
from zhenwu.accounts.roles import Perm
from zhenwu.assistance import selectors
from zhenwu.assistance.actions import transport as actions
from zhenwu.assistance.choices import ApplicationStatus
from zhenwu.assistance.forms_transport import (
    ApplyForm,
    BuildBatchForm,
    DecisionForm,
    RejectForm,
    TransportFilterForm,
)
from zhenwu.assistance.view_helpers import _or_404, _refusal, _require, villages_of
from zhenwu.core.errors import DomainError
from zhenwu.registry import selectors as registry_selectors
from zhenwu.registry.identity import id_hash_of

PAGE_SIZE = 50


def _filtered(qs, filters: dict):
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("village"):
        qs = qs.filter(household__village__code=filters["village"])
    if filters.get("destination"):
        qs = qs.filter(destination=filters["destination"])
    status = filters.get("status")
    if status == ApplicationStatus.PAID:
        qs = qs.filter(is_paid=True)
    elif status == ApplicationStatus.APPROVED:
        qs = qs.filter(status=status, is_paid=False)
    elif status:
        qs = qs.filter(status=status)
    return qs


def shown_status(application) -> tuple[str, str]:
    """(code, label): an approved application whose line was paid shows as 已发放."""
    if application.status == ApplicationStatus.APPROVED and application.is_paid:
        return ApplicationStatus.PAID, str(ApplicationStatus.PAID.label)
    return application.status, application.get_status_display()


def _allowed(application, user) -> dict:
    village = application.household.village
    verifiable = application.status == ApplicationStatus.SUBMITTED
    approvable = application.status == ApplicationStatus.VERIFIED
    can_approve = approvable and area_in_scope(user, village, Perm.APPROVE_PAYMENTS)
    checker = user.pk not in (application.updated_by_id, application.created_by_id)
    return {
        "verify": verifiable and area_in_scope(user, village, Perm.PREPARE_PAYMENTS),
        "approve": can_approve and checker,
        "maker": can_approve and not checker,
        "reject": (verifiable and area_in_scope(user, village, Perm.PREPARE_PAYMENTS))
        or can_approve,
    }


def _row(application, user) -> dict:
    code, label = shown_status(application)
    return {
        "application": application,
        "status_code": code,
        "status_label": label,
        "allowed": _allowed(application, user),
    }


@login_required
def transport_list(request):
    user = request.user
    _require(user, Perm.VIEW_ASSISTANCE)
    today = timezone.localdate()
    data = request.GET.copy() if request.GET else {"year": today.year}
    form = TransportFilterForm(data, villages=villages_of(user))
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    qs = _filtered(selectors.visible_transport_applications(user), filters)
    totals = qs.aggregate(application_count=Count("id"), amount_total=Sum("amount", default=0))
    page = Paginator(qs.order_by("-applied_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [_row(a, user) for a in page],
        "totals": totals,
        "query_string": params.urlencode(),
        "can_apply": has_perm(user, Perm.EDIT_ASSISTANCE),
        "can_build": has_perm(user, Perm.PREPARE_PAYMENTS),
        "build_form": BuildBatchForm(initial={"year": filters.get("year") or today.year}),
    }
    return render(request, "assistance/transport_list.html", context)


@login_required
def transport_apply(request):
    """申报 by ID number (typed from the worker's card) or from a person page (?person=)."""
    user = request.user
    _require(user, Perm.EDIT_ASSISTANCE)
    person = None
    if request.GET.get("person"):
        person = _or_404(
            lambda: registry_selectors.access_person(
                user, request.GET["person"], Perm.EDIT_ASSISTANCE
            )
        )
    today = timezone.localdate()
    initial = {"applied_on": today, "year": today.year}
    form = ApplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = person or _person_by_id(user, data.get("id_number"))
        data.pop("id_number", None)
        if person is None and not form.cleaned_data.get("id_number"):
            form.add_error("id_number", _("请填写务工人员身份证号。"))
        elif person is None:
            form.add_error("id_number", _("未在您管辖范围内的农户档案中找到该身份证号。"))
        else:
            try:
                application = actions.do_apply_transport_subsidy(actor=user, person=person, **data)
            except DomainError as error:
                if error.code == "permission_denied":
                    raise PermissionDenied from None
                form.add_error(None, error.message)
            else:
                messages.success(request, _("交通补贴申请已提交。"))
                return redirect("assistance:transport_detail", public_id=application.public_id)
    return render(request, "assistance/transport_apply.html", {"form": form, "person": person})


def _person_by_id(user, id_number):
    if not id_number:
        return None
    return (
        registry_selectors.visible_persons(user, Perm.EDIT_ASSISTANCE)
        .filter(id_hash=id_hash_of(id_number))
        .first()
    )


@login_required
def transport_detail(request, public_id):
    user = request.user
    _require(user, Perm.VIEW_ASSISTANCE)
    application = _or_404(lambda: selectors.access_transport_application(user, public_id))
    context = {
        **_row(application, user),
        "decision_form": DecisionForm(initial={"version": application.version}),
        "reject_form": RejectForm(initial={"version": application.version}),
    }
    return render(request, "assistance/transport_detail.html", context)


def _decide(request, public_id, form_class, call, done):
    application = _or_404(lambda: selectors.access_transport_application(request.user, public_id))
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("请检查填写的内容。"))
    else:
        try:
            call(application, form.cleaned_data)
            messages.success(request, done)
        except DomainError as error:
            _refusal(request, error)
    if request.POST.get("next") == "list":  # the list's row buttons come back to the list
        return redirect("assistance:transport_list")
    return redirect("assistance:transport_detail", public_id=application.public_id)


@login_required
@require_POST
def transport_verify(request, public_id):
    def call(application, data):
        actions.do_verify_application(
            application, actor=request.user, expected_version=data["version"]
        )

    return _decide(request, public_id, DecisionForm, call, _("已核实。"))


@login_required
@require_POST
def transport_approve(request, public_id):
    def call(application, data):
        actions.do_approve_application(
            application, actor=request.user, expected_version=data["version"]
        )

    return _decide(request, public_id, DecisionForm, call, _("已审批。"))


@login_required
@require_POST
def transport_reject(request, public_id):
    def call(application, data):
        actions.do_reject_application(
            application,
            actor=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        )

    return _decide(request, public_id, RejectForm, call, _("已作不予补贴处理。"))


@login_required
@require_POST
def transport_build(request):
    user = request.user
    _require(user, Perm.PREPARE_PAYMENTS)
    form = BuildBatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写补贴年度。"))
        return redirect("assistance:transport_list")
    area = highest_area(user, Perm.PREPARE_PAYMENTS)
    try:
        batch = actions.do_build_transport_batch(area, form.cleaned_data["year"], actor=user)
    except DomainError as error:
        _refusal(request, error)
        return redirect("assistance:transport_list")
    messages.success(request, _("交通补贴发放批次已生成。"))
    return redirect("assistance:payment_batch_detail", public_id=batch.public_id)

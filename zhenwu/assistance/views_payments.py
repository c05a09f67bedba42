"""发放批次 pages: list with filters, detail with lines and the approve / export /
mark-paid / reverse buttons the user may use.

Thin: reads through ``assistance.selectors`` (scoped; ``NotFound`` → 404), writes through
``assistance.actions.payments``."""

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhenwu.accounts.policy import area_in_scope, has_perm
from zhenwu.accounts.roles import Perm
from zhenwu.assistance import selectors
from zhenwu.assistance.actions import payments
from zhenwu.assistance.choices import BatchStatus, PaymentKind
from zhenwu.core.errors import DomainError, NotFound

PAGE_SIZE = 50
LINES_PAGE_SIZE = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BatchFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("发放类型"), required=False, choices=[("", _("全部"))] + PaymentKind.choices
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + BatchStatus.choices
    )
    period = forms.CharField(
        label=_("所属期间"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"placeholder": "2023-06"}),
    )


class PaidForm(forms.Form):
    paid_on = forms.DateField(label=_("发放日期"), widget=forms.DateInput(attrs={"type": "date"}))


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("冲正原因"), max_length=200)


def _or_404(call):
    try:
        return call()
    except NotFound:
        raise Http404 from None


def _require(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied


def _refusal(request, error: DomainError) -> None:
    if error.code == "permission_denied":
        raise PermissionDenied
    messages.error(request, error.message)


@login_required
def batch_list(request):
    user = request.user
    _require(user, Perm.VIEW_ASSISTANCE)
    form = BatchFilterForm(request.GET or None)
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    qs = selectors.visible_batches(user)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("period"):
        qs = qs.filter(period__startswith=filters["period"].strip().upper())
    page = Paginator(qs.order_by("-period", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "assistance/payments_list.html",
        {"form": form, "page": page, "query_string": params.urlencode()},
    )


def _allowed(batch, user) -> dict:
    """Which buttons to show: permission in the batch area, status and maker ≠ checker."""
    approver = area_in_scope(user, batch.area, Perm.APPROVE_PAYMENTS)
    preparer = area_in_scope(user, batch.area, Perm.PREPARE_PAYMENTS)
    draft = batch.status == BatchStatus.DRAFT
    return {
        "approve": approver
        and draft
        and batch.line_count > 0
        and payments.can_approve(batch, user),
        "maker": approver and draft and not payments.can_approve(batch, user),
        "export": approver and batch.status in (BatchStatus.APPROVED, BatchStatus.EXPORTED),
        "mark_paid": approver and batch.status == BatchStatus.EXPORTED,
        "reverse": preparer and batch.status == BatchStatus.PAID,
    }


@login_required
def batch_detail(request, public_id):
    user = request.user
    batch = _or_404(lambda: selectors.access_batch(user, public_id))
    lines = Paginator(payments.lines_query(batch), LINES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    reversed_ids = set(batch.lines.filter(reversed_by__isnull=False).values_list("pk", flat=True))
    return render(
        request,
        "assistance/payments_detail.html",
        {
            "batch": batch,
            "lines": lines,
            "reversed_ids": reversed_ids,
            "allowed": _allowed(batch, user),
            "paid_form": PaidForm(initial={"paid_on": timezone.localdate()}),
        },
    )


@login_required
@require_POST
def batch_approve(request, public_id):
    batch = _or_404(lambda: selectors.access_batch(request.user, public_id))
    try:
        payments.do_approve_batch(batch, actor=request.user)
        messages.success(request, _("批次已审批。"))
    except DomainError as error:
        _refusal(request, error)
    return redirect("assistance:payment_batch_detail", public_id=batch.public_id)


@login_required
@require_POST
def batch_export(request, public_id):
    batch = _or_404(lambda: selectors.access_batch(request.user, public_id))
    try:
        data = payments.export_bank_file(batch, actor=request.user)
    except DomainError as error:
        _refusal(request, error)
        return redirect("assistance:payment_batch_detail", public_id=batch.public_id)
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=payments.bank_filename(batch),
        content_type=XLSX,
    )


@login_required
@require_POST
def batch_mark_paid(request, public_id):
    batch = _or_404(lambda: selectors.access_batch(request.user, public_id))
    form = PaidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写发放日期。"))
    else:
        try:
            payments.do_mark_paid(batch, actor=request.user, paid_on=form.cleaned_data["paid_on"])
            messages.success(request, _("批次已标记为已发放。"))
        except DomainError as error:
            _refusal(request, error)
    return redirect("assistance:payment_batch_detail", public_id=batch.public_id)


@login_required
@require_POST
def line_reverse(request, public_id):
    line = _or_404(lambda: selectors.access_payment_line(request.user, public_id))
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写冲正原因。"))
        return redirect("assistance:payment_batch_detail", public_id=line.batch.public_id)
    try:
        reversal = payments.do_reverse_line(
            line, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        _refusal(request, error)
        return redirect("assistance:payment_batch_detail", public_id=line.batch.public_id)
    messages.success(request, _("已生成冲正明细，请在更正批次中审批。"))
    return redirect("assistance:payment_batch_detail", public_id=reversal.batch.public_id)

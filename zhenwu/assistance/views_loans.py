"""小额信贷 pages: the ledger with filters, totals and overdue warnings; a loan with its
repayments and the repay / extend / write-off forms; the issue form; the bank-list import;
the quarterly interest-subsidy and overdue-refresh buttons.

Thin: reads through ``assistance.selectors`` (scoped; ``NotFound`` → 404), writes through
``assistance.actions.loans`` and ``assistance.loan_import``."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Sum
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhenwu.accounts.policy import area_in_scope, has_perm, highest_area
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area
from zhenwu.assistance import selectors
from zhenwu.assistance.actions import loans as actions
from zhenwu.assistance.forms_loans import (
    ExtendForm,
    IssueLoanForm,
    LoanFilterForm,
    LoanImportForm,
    RepaymentForm,
    SubsidyForm,
    WriteOffForm,
)
from zhenwu.assistance.loan_import import MAX_BYTES, import_bank_loans
from zhenwu.assistance.view_helpers import _or_404, _refusal, _require, villages_of
from zhenwu.core.errors import DomainError
from zhenwu.registry import selectors as registry_selectors
from zhenwu.registry.identity import id_hash_of

PAGE_SIZE = 50
WARNINGS_SHOWN = 20
ERRORS_SHOWN = 50
REPORT_SESSION_KEY = "assistance_loan_import_report"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZERO_SUM = {"default": 0}


# --- helpers -------------------------------------------------------------------------------


def _filtered(qs, filters: dict):
    if filters.get("area"):
        # Within an area's subtree (a report figure's link); an unknown code lists nothing.
        area = Area.objects.filter(code=filters["area"]).only("path").first()
        qs = qs.filter(household__village__path__startswith=area.path) if area else qs.none()
    if filters.get("village"):
        qs = qs.filter(household__village__code=filters["village"])
    if filters.get("bank"):
        qs = qs.filter(bank__icontains=filters["bank"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("issued_from"):
        qs = qs.filter(issued_on__gte=filters["issued_from"])
    if filters.get("issued_to"):
        qs = qs.filter(issued_on__lte=filters["issued_to"])
    return qs


def loan_totals(qs) -> dict:
    return qs.aggregate(
        loan_count=Count("id"),
        borrower_count=Count("borrower", distinct=True),
        amount_total=Sum("amount", **ZERO_SUM),
        outstanding_total=Sum(F("amount") - F("principal_repaid"), **ZERO_SUM),
    )


# --- ledger --------------------------------------------------------------------------------


@login_required
def loan_list(request):
    user = request.user
    _require(user, Perm.VIEW_ASSISTANCE)
    form = LoanFilterForm(request.GET or None, villages=villages_of(user))
    form.is_valid()
    qs = _filtered(selectors.visible_loans(user), getattr(form, "cleaned_data", {}))
    page = Paginator(qs.order_by("-issued_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    warnings = actions.loan_warnings(qs, timezone.localdate())
    context = {
        "form": form,
        "page": page,
        "totals": loan_totals(qs),
        "warnings": warnings[:WARNINGS_SHOWN],
        "warnings_more": len(warnings) > WARNINGS_SHOWN,
        "query_string": params.urlencode(),
        "can_manage": has_perm(user, Perm.MANAGE_LOANS),
        "can_subsidise": has_perm(user, Perm.PREPARE_PAYMENTS),
        "subsidy_form": SubsidyForm(),
    }
    return render(request, "assistance/loans_list.html", context)


@login_required
def loan_detail(request, public_id):
    user = request.user
    _require(user, Perm.VIEW_ASSISTANCE)
    loan = _or_404(lambda: selectors.access_loan(user, public_id))
    can_manage = area_in_scope(user, loan.household.village, Perm.MANAGE_LOANS)
    is_open = loan.status in actions.OPEN_STATUSES
    initial = {"version": loan.version}
    context = {
        "loan": loan,
        "repayments": loan.repayments.order_by("paid_on", "id"),
        "outstanding": actions.outstanding(loan),
        "due_on": actions.effective_due_on(loan),
        "can_act": can_manage and is_open,
        "repay_form": RepaymentForm(initial={"paid_on": timezone.localdate()}),
        "extend_form": ExtendForm(initial=initial),
        "write_off_form": WriteOffForm(initial=initial),
    }
    return render(request, "assistance/loans_detail.html", context)


def _loan_post(request, public_id, form_class, call, done: str):
    """Shared POST handling of the loan's action forms."""
    loan = _or_404(lambda: selectors.access_loan(request.user, public_id))
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("请检查填写的内容。"))
    else:
        try:
            call(loan, form.cleaned_data)
            messages.success(request, done)
        except DomainError as error:
            _refusal(request, error)
    return redirect("assistance:loan_detail", public_id=loan.public_id)


@login_required
@require_POST
def loan_repay(request, public_id):
    return _loan_post(
        request,
        public_id,
        RepaymentForm,
        lambda loan, data: actions.do_record_repayment(loan, actor=request.user, **data),
        _("还款已登记。"),
    )


@login_required
@require_POST
def loan_extend(request, public_id):
    def call(loan, data):
        actions.do_extend_loan(
            loan,
            actor=request.user,
            extended_to=data["extended_to"],
            reason=data["reason"],
            expected_version=data["version"],
        )

    return _loan_post(request, public_id, ExtendForm, call, _("已办理展期。"))


@login_required
@require_POST
def loan_write_off(request, public_id):
    def call(loan, data):
        actions.do_write_off(
            loan, actor=request.user, reason=data["reason"], expected_version=data["version"]
        )

    return _loan_post(request, public_id, WriteOffForm, call, _("贷款已核销。"))


# --- issuing -------------------------------------------------------------------------------


@login_required
def loan_issue(request):
    user = request.user
    _require(user, Perm.MANAGE_LOANS)
    form = IssueLoanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        borrower = (
            registry_selectors.visible_persons(user, Perm.MANAGE_LOANS)
            .filter(id_hash=id_hash_of(data.pop("id_number")))
            .first()
        )
        if borrower is None:
            form.add_error("id_number", _("未在您管辖范围内的农户档案中找到该身份证号。"))
        else:
            try:
                loan = actions.do_issue_loan(actor=user, borrower=borrower, **data)
            except DomainError as error:
                if error.code == "permission_denied":
                    raise PermissionDenied from None
                form.add_error(None, error.message)
            else:
                messages.success(request, _("贷款已登记。"))
                return redirect("assistance:loan_detail", public_id=loan.public_id)
    return render(request, "assistance/loans_issue.html", {"form": form})


# --- import, subsidy, overdue refresh -----------------------------------------------------


@login_required
def loan_import(request):
    user = request.user
    _require(user, Perm.MANAGE_LOANS)
    area = highest_area(user, Perm.MANAGE_LOANS)
    form = LoanImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES or not upload.name.lower().endswith(".xlsx"):
            messages.error(request, _("只接受 10 MB 以内的 .xlsx 文件。"))
            return redirect("assistance:loan_import")
        try:
            result = import_bank_loans(
                upload.read(),
                actor=user,
                area=area,
                dry_run=form.cleaned_data["dry_run"],
                filename=Path(upload.name).name,
            )
        except DomainError as error:
            _refusal(request, error)
        else:
            if result.error_report_path:
                request.session[REPORT_SESSION_KEY] = str(result.error_report_path)
    context = {
        "form": form,
        "area": area,
        "result": result,
        "errors": result.errors[:ERRORS_SHOWN] if result else [],
    }
    return render(request, "assistance/loans_import.html", context)


@login_required
def loan_import_report(request):
    """The caller's own latest error report (its path lives only in their session)."""
    _require(request.user, Perm.MANAGE_LOANS)
    stored = request.session.get(REPORT_SESSION_KEY)
    if not stored or not Path(stored).is_file():
        raise Http404
    return FileResponse(
        open(stored, "rb"), as_attachment=True, filename="贷款导入错误清单.xlsx", content_type=XLSX
    )


@login_required
@require_POST
def loan_subsidy(request):
    user = request.user
    _require(user, Perm.PREPARE_PAYMENTS)
    form = SubsidyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写贴息季度，如 2023Q2。"))
        return redirect("assistance:loan_list")
    area = highest_area(user, Perm.PREPARE_PAYMENTS)
    try:
        batch = actions.do_build_interest_subsidy(area, form.cleaned_data["quarter"], actor=user)
    except DomainError as error:
        _refusal(request, error)
        return redirect("assistance:loan_list")
    messages.success(request, _("贴息发放批次已生成。"))
    return redirect("assistance:payment_batch_detail", public_id=batch.public_id)


@login_required
@require_POST
def loan_refresh(request):
    _require(request.user, Perm.MANAGE_LOANS)
    changed = actions.refresh_loan_statuses(timezone.localdate(), actor=request.user)
    messages.success(request, _("已更新逾期状态：%(count)s 笔。") % {"count": changed})
    return redirect("assistance:loan_list")

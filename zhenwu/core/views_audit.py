"""The auditor's read-only view of the audit log, with a hash-chain check."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.core.forms import AuditFilterForm
from zhenwu.core.selectors import audit_events

PAGE_SIZE = 100


@login_required
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    try:
        qs = audit_events(request.user, filters)
    except DomainError:
        raise PermissionDenied from None
    before = request.GET.get("before", "")
    if before.isdigit():
        qs = qs.filter(id__lt=int(before))
    rows = list(qs.select_related("user")[: PAGE_SIZE + 1])
    has_more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    # Reading the log is itself recorded, so the auditor is audited too.
    audit.record(
        "audit.log_viewed", actor=request.user, data={k: str(v) for k, v in filters.items() if v}
    )
    context = {
        "form": form,
        "rows": rows,
        "next_before": rows[-1].id if has_more and rows else None,
    }
    return render(request, "core/audit_log.html", context)


@login_required
def audit_verify(request):
    try:
        audit_events(request.user)
    except DomainError:
        raise PermissionDenied from None
    ok, broken_id = audit.verify_chain()
    audit.record(
        "audit.chain_verified", actor=request.user, data={"ok": ok, "broken_id": broken_id}
    )
    return render(request, "core/audit_verify.html", {"ok": ok, "broken_id": broken_id})

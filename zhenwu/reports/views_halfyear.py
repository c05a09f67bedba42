"""半年工作总结 pages: the HTML preview (every figure links to the list it was counted
from) and the .docx download.

Thin: the report through ``reports.halfyear.half_year_report_for`` (scoped to township
and district officers with the area in their scope, audited ``reports.generated``)."""

import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.policy import has_perm, highest_area
from zhenwu.areas.models import AreaLevel
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditOutcome
from zhenwu.lib.document.docx import render_docx
from zhenwu.lib.document.model import Figure
from zhenwu.lib.document.xlsx import render_xlsx
from zhenwu.lib.periods import PeriodError, parse_period
from zhenwu.registry.views_import import AreaChoiceForm, areas_for
from zhenwu.reports.halfyear import (
    REQUIRED_PERMS,
    ReportError,
    check_arguments,
    half_year_report_for,
)

DEFAULT_PERIOD = "2023H1"
DOWNLOADS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
GATE = REQUIRED_PERMS[0]  # the township-level right: village cadres do not hold it


class HalfYearForm(AreaChoiceForm):
    period = forms.CharField(
        label=_("期间"),
        max_length=10,
        initial=DEFAULT_PERIOD,
        help_text=_("半年如 2023H1、2023H2，年度如 2023"),
    )

    def clean_period(self):
        try:
            return parse_period(self.cleaned_data["period"])
        except PeriodError:
            raise forms.ValidationError(
                _("期间格式不正确，应为 2023H1、2023H2 或 2023。")
            ) from None

    def clean(self):
        data = super().clean()
        if "area" in data and "period" in data:
            try:
                check_arguments(data["area"], data["period"])
            except ReportError as error:
                raise forms.ValidationError(str(error)) from None
        return data


def _deny(user, data: dict):
    audit.record("reports.generated", actor=user, outcome=AuditOutcome.DENIED, data=data)
    raise PermissionDenied


@login_required
def half_year(request):
    user = request.user
    if not all(has_perm(user, perm) for perm in REQUIRED_PERMS):
        _deny(user, {"report": "half-year", "perm": GATE})
    townships = [a for a in areas_for(user, GATE) if a.level == AreaLevel.TOWNSHIP]
    initial = next(iter(townships), None) or highest_area(user, GATE)
    data = request.GET if "area" in request.GET else None
    if data is None and initial is not None and initial.level == AreaLevel.TOWNSHIP:
        data = {"area": initial.code, "period": DEFAULT_PERIOD}
    if data is not None and data.get("area") not in {a.code for a in townships}:
        _deny(user, {"report": "half-year", "area": str(data.get("area", ""))[:20]})
    form = HalfYearForm(data, areas=townships, initial_area=initial)
    report = None
    if form.is_bound and form.is_valid():
        area, period = form.cleaned_data["area"], form.cleaned_data["period"]
        output = request.GET.get("format")
        output = output if output in DOWNLOADS else "html"
        try:
            report = half_year_report_for(user, area, period, output)
        except DomainError:
            raise PermissionDenied from None
        if output in DOWNLOADS:
            return _download(request, report, output)
    return render(
        request,
        "reports/halfyear_page.html",
        {"form": form, "report": report, "blocks": report_blocks(report) if report else []},
    )


def _download(request, report, output: str) -> FileResponse:
    """The report as Word (.docx) or its figures with their sources as a workbook (.xlsx)."""
    if output == "docx":
        content, name = render_docx(report), f"{report.title}.docx"
    else:
        base_url = request.build_absolute_uri("/").rstrip("/")
        content, name = render_xlsx(report, base_url=base_url), f"{report.title}（数字清单）.xlsx"
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=name, content_type=DOWNLOADS[output]
    )


def report_blocks(report, slot: str | None = None) -> list[dict]:
    """Blocks as template data (runs tagged as text or figure); only those of ``slot``
    when given (the wording editor's preview)."""
    return [
        {
            "kind": block.kind,
            "lead": block.lead,
            "runs": [
                {"figure": run} if isinstance(run, Figure) else {"text": str(run)}
                for run in block.runs
            ],
        }
        for block in report.blocks
        if slot is None or block.slot == slot
    ]

"""每月一研判 pages (list by month, detail with figures and the meeting form, .docx), the
data-quality page and the national-style export of monitored households.

Thin: reads through ``monitoring.selectors`` / ``monitoring.quality`` (scoped), writes
through ``monitoring.actions.analysis``; exports are audited."""

import datetime
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from zhenwu.accounts.policy import has_perm, highest_area
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import AreaLevel
from zhenwu.core import audit
from zhenwu.core.errors import DomainError, NotFound
from zhenwu.core.models import AuditOutcome
from zhenwu.monitoring.actions.analysis import (
    do_draft_analysis,
    do_finalize_analysis,
    do_record_meeting,
    record_docx_export,
)
from zhenwu.monitoring.choices import AnalysisStatus
from zhenwu.monitoring.docx import analysis_docx, analysis_title
from zhenwu.monitoring.export import QualityBlocked, export_monitored
from zhenwu.monitoring.links import with_urls
from zhenwu.monitoring.quality import failures_xlsx, run_quality_checks
from zhenwu.monitoring.rules.quality import ALL_CHECKS, ERROR, WARNING
from zhenwu.monitoring.selectors import access_analysis, visible_analyses
from zhenwu.registry.views_import import XLSX_TYPE, AreaChoiceForm, areas_for

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FAILURES_SHOWN = 300
BLOCKED_SHOWN = 50


def _require(user, perm: str, event: str) -> None:
    """403 without the permission; the refusal is audited."""
    if not has_perm(user, perm):
        audit.record(event, actor=user, outcome=AuditOutcome.DENIED, data={"perm": perm})
        raise PermissionDenied


def _analysis_or_404(user, public_id):
    try:
        return access_analysis(user, public_id)
    except NotFound:
        raise Http404 from None


# --- forms ------------------------------------------------------------------------------------


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2023-06"})

    def clean(self, value):
        value = super().clean(value)
        try:
            return datetime.datetime.strptime(value.strip(), "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(_("月份格式不正确，应为“2023-06”。")) from None


class DraftForm(AreaChoiceForm):
    month = MonthField(label=_("月份"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].label = _("乡镇")


class MeetingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    meeting_on = forms.DateField(
        label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    attendees = forms.CharField(
        label=_("参会人员"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    decisions = forms.CharField(
        label=_("研判结论"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    follow_ups = forms.CharField(
        label=_("后续工作"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class QualityFilterForm(AreaChoiceForm):
    check = forms.ChoiceField(label=_("校验项"), required=False)
    severity = forms.ChoiceField(
        label=_("级别"),
        required=False,
        choices=[("", _("全部")), (ERROR, _("错误")), (WARNING, _("提示"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["check"].choices = [("", _("全部"))] + [
            (c.code, f"{c.code} {c.message}") for c in ALL_CHECKS
        ]


class MonitoredExportForm(AreaChoiceForm):
    unmasked = forms.BooleanField(label=_("导出完整身份证号和电话"), required=False)
    reason = forms.CharField(label=_("原因"), required=False, max_length=200)
    export_anyway = forms.BooleanField(
        label=_("存在数据质量错误时仍然导出（记入审计日志）"), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("unmasked") and len((data.get("reason") or "").strip()) < 4:
            self.add_error("reason", _("导出完整信息须填写原因（至少 4 个字）。"))
        return data


def _townships(user):
    return [a for a in areas_for(user, Perm.MONTHLY_ANALYSIS) if a.level == AreaLevel.TOWNSHIP]


# --- monthly analysis -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def analysis_list(request):
    _require(request.user, Perm.MONTHLY_ANALYSIS, "monitoring.analysis_view")
    townships = _townships(request.user)
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    form = DraftForm(
        request.POST or None,
        areas=townships,
        initial={"month": last_month.strftime("%Y-%m")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            analysis = do_draft_analysis(
                form.cleaned_data["area"], form.cleaned_data["month"], actor=request.user
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已生成本月研判数据。"))
            return redirect("monitoring:analysis_detail", public_id=analysis.public_id)
    analyses = visible_analyses(request.user).order_by("-month", "township__code")[:120]
    return render(
        request,
        "monitoring/analysis_list.html",
        {
            "form": form,
            "analyses": analyses,
            "can_draft": bool(townships),
            "can_export": has_perm(request.user, Perm.EXPORT_REGISTRY),
        },
    )


def _detail_context(request, analysis, meeting_form=None) -> dict:
    if meeting_form is None:
        meeting_form = MeetingForm(
            initial={
                "version": analysis.version,
                "meeting_on": analysis.meeting_on,
                "attendees": analysis.attendees,
                "decisions": analysis.decisions,
                "follow_ups": analysis.follow_ups,
            }
        )
    figures = linked_figures(analysis.figures)
    return {
        "analysis": analysis,
        "title": analysis_title(analysis),
        "figures": figures,
        "screened": [r for r in figures.get("screening_by_village", []) if r["has_data"]],
        "villages": [r for r in figures.get("clues_by_village", []) if r["value"]],
        "is_draft": analysis.status == AnalysisStatus.DRAFT,
        "meeting_form": meeting_form,
    }


LINKED_TABLES = (
    "clues_by_channel",
    "clues_by_village",
    "cases_by_stage",
    "screening_by_village",
    "rule_hits_by_rule",
)


def linked_figures(figures: dict) -> dict:
    """The figures with ``url`` on each summary figure and table row: the list of the rows
    it counted (``links.figure_url``). The list shows today's records, so a finalized
    analysis may differ from its frozen number when records changed since."""
    linked = dict(figures)
    for key in ("summary", *LINKED_TABLES):
        linked[key] = with_urls(figures.get(key, []))
    return linked


@login_required
def analysis_detail(request, public_id):
    _require(request.user, Perm.MONTHLY_ANALYSIS, "monitoring.analysis_view")
    analysis = _analysis_or_404(request.user, public_id)
    return render(request, "monitoring/analysis_detail.html", _detail_context(request, analysis))


@login_required
@require_POST
def analysis_meeting(request, public_id):
    _require(request.user, Perm.MONTHLY_ANALYSIS, "monitoring.analysis_meeting")
    analysis = _analysis_or_404(request.user, public_id)
    form = MeetingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            do_record_meeting(
                analysis,
                actor=request.user,
                expected_version=data["version"],
                meeting_on=data["meeting_on"],
                attendees=data["attendees"],
                decisions=data["decisions"],
                follow_ups=data["follow_ups"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("研判会议记录已保存。"))
            return redirect("monitoring:analysis_detail", public_id=analysis.public_id)
    analysis.refresh_from_db()
    context = _detail_context(request, analysis, form)
    return render(
        request,
        "monitoring/analysis_detail.html",
        context,
        status=409 if form.non_field_errors() else 400,
    )


@login_required
@require_POST
def analysis_refresh(request, public_id):
    _require(request.user, Perm.MONTHLY_ANALYSIS, "monitoring.analysis_drafted")
    analysis = _analysis_or_404(request.user, public_id)
    try:
        do_draft_analysis(analysis.township, analysis.month, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已按最新数据重新计算。"))
    return redirect("monitoring:analysis_detail", public_id=analysis.public_id)


@login_required
@require_POST
def analysis_finalize(request, public_id):
    _require(request.user, Perm.MONTHLY_ANALYSIS, "monitoring.analysis_finalized")
    analysis = _analysis_or_404(request.user, public_id)
    try:
        version = int(request.POST.get("version", ""))
        do_finalize_analysis(analysis, actor=request.user, expected_version=version)
    except ValueError:
        messages.error(request, _("请求无效，请刷新后重试。"))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("研判已定稿，数据已固定。"))
    return redirect("monitoring:analysis_detail", public_id=analysis.public_id)


@login_required
def analysis_docx_download(request, public_id):
    _require(request.user, Perm.MONTHLY_ANALYSIS, "monitoring.analysis_exported")
    analysis = _analysis_or_404(request.user, public_id)
    content = analysis_docx(analysis)
    record_docx_export(analysis, actor=request.user)
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=analysis_title(analysis) + ".docx",
        content_type=DOCX_TYPE,
    )


# --- data quality -----------------------------------------------------------------------------


@login_required
def quality_list(request):
    _require(request.user, Perm.VIEW_REGISTRY, "monitoring.quality_view")
    areas = areas_for(request.user, Perm.VIEW_REGISTRY)
    initial = highest_area(request.user, Perm.VIEW_REGISTRY)
    form = QualityFilterForm(request.GET or None, areas=areas, initial_area=initial)
    report, failures = None, []
    if form.is_bound and form.is_valid():
        area = form.cleaned_data["area"]
    elif not form.is_bound and initial is not None:
        area = initial
    else:
        area = None
    if area is not None:
        report = run_quality_checks(request.user, area)
        failures = _filtered(report.failures, form.cleaned_data if form.is_bound else {})
        if request.GET.get("format") == "xlsx":
            audit.record(
                "monitoring.quality_export",
                actor=request.user,
                object_type="areas.area",
                object_id=area.code,
                data={"area": area.code, "failures": len(report.failures)},
            )
            stamp = timezone.localdate().strftime("%Y%m%d")
            return FileResponse(
                io.BytesIO(failures_xlsx(report)),
                as_attachment=True,
                filename=f"数据质量问题-{area.name}-{stamp}.xlsx",
                content_type=XLSX_TYPE,
            )
    return render(
        request,
        "monitoring/quality_list.html",
        {
            "form": form,
            "report": report,
            "failures": failures[:FAILURES_SHOWN],
            "failure_count": len(failures),
            "truncated": len(failures) > FAILURES_SHOWN,
            "query": request.GET.urlencode(),
        },
    )


def _filtered(failures, data: dict) -> list:
    check, severity = data.get("check"), data.get("severity")
    return [
        f
        for f in failures
        if (not check or f.code == check) and (not severity or f.severity == severity)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def export_monitored_view(request):
    _require(request.user, Perm.EXPORT_REGISTRY, "monitoring.export")
    areas = areas_for(request.user, Perm.EXPORT_REGISTRY)
    form = MonitoredExportForm(
        request.POST or None,
        areas=areas,
        initial_area=highest_area(request.user, Perm.EXPORT_REGISTRY),
    )
    blocked = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = export_monitored(
                actor=request.user,
                area=data["area"],
                unmasked=data["unmasked"],
                reason=data["reason"],
                export_anyway=data["export_anyway"],
            )
        except QualityBlocked as error:
            blocked = error.report
            form.add_error(None, error.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            stamp = timezone.localdate().strftime("%Y%m%d")
            return FileResponse(
                io.BytesIO(result.content),
                as_attachment=True,
                filename=f"监测对象信息-{result.area.name}-{stamp}.xlsx",
                content_type=XLSX_TYPE,
            )
    return render(
        request,
        "monitoring/quality_export.html",
        {
            "form": form,
            "can_unmask": has_perm(request.user, Perm.REVEAL_IDENTITY),
            "blocked": blocked,
            "blocked_errors": blocked.errors[:BLOCKED_SHOWN] if blocked else [],
            "blocked_counts": [r for r in blocked.counts() if r["count"]] if blocked else [],
        },
    )

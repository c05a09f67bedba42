"""Pages for department data (部门数据) and screening runs (部门筛查预警).

Uploads are validated in the request (department files are small: one month of one
department); a screening run only gets recorded here and runs in the worker."""

import datetime
from collections import OrderedDict
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from zhenwu.accounts.policy import has_perm
from zhenwu.accounts.roles import Perm
from zhenwu.core.errors import DomainError, NotFound
from zhenwu.lib.masking import mask_name
from zhenwu.lib.periods import PeriodError, parse_period
from zhenwu.lib.xlsx import XlsxRejected
from zhenwu.monitoring import selectors
from zhenwu.monitoring.actions.department import UPLOAD_PERMS, import_department_file
from zhenwu.monitoring.choices import Department, ParameterKey
from zhenwu.monitoring.department.spec import TEMPLATES, template_xlsx
from zhenwu.monitoring.engine.runner import request_screening
from zhenwu.monitoring.forms_cases import RunFilterForm
from zhenwu.monitoring.models import Clue
from zhenwu.monitoring.rules.catalog import BY_CODE, INPUT_LABELS, RULES
from zhenwu.monitoring.tasks import screening_run
from zhenwu.registry.imports.report import report_dir
from zhenwu.registry.views_import import AreaChoiceForm, areas_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_SESSION_KEY = "department_error_report"
SHOWN_ISSUES = 50
LIST_LIMIT = 100


def _month_field():
    return forms.CharField(
        label=_("月份"),
        max_length=7,
        help_text=_("如 2023-06"),
        widget=forms.TextInput(attrs={"placeholder": "2023-06", "inputmode": "numeric"}),
    )


def _clean_month(value: str) -> datetime.date:
    try:
        period = parse_period(value)
    except PeriodError:
        period = None
    if period is None or period.kind != "month":
        raise forms.ValidationError(_("月份格式应为如 2023-06。"))
    return period.start


class UploadForm(AreaChoiceForm):
    department = forms.ChoiceField(
        # Lazy labels, so the list follows the user's language (not the import-time one).
        label=_("部门"),
        choices=[(k, Department(k).label) for k in TEMPLATES],
    )
    period = _month_field()
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))
    field_order = ["department", "area", "period", "file"]

    def clean_period(self):
        return _clean_month(self.cleaned_data["period"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("只接受 .xlsx 或 .csv 文件。"))
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(XlsxRejected("too_large", limit=_megabytes()).message)
        return upload


class RunForm(AreaChoiceForm):
    period = _month_field()

    def clean_period(self):
        return _clean_month(self.cleaned_data["period"])


def _megabytes() -> str:
    return f"{settings.IMPORT_MAX_BYTES / (1024 * 1024):g}"


def _upload_areas(user):
    seen, areas = set(), []
    for perm in UPLOAD_PERMS:
        for area in areas_for(user, perm):
            if area.pk not in seen:
                seen.add(area.pk)
                areas.append(area)
    return sorted(areas, key=lambda a: a.path)


def _may_upload(user) -> bool:
    return any(has_perm(user, perm) for perm in UPLOAD_PERMS)


# --- department data -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def department_list(request):
    if not _may_upload(request.user):
        raise PermissionDenied
    form = UploadForm(
        request.POST or None, request.FILES or None, areas=_upload_areas(request.user)
    )
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = import_department_file(
                data["file"].read(),
                department=data["department"],
                area=data["area"],
                period=data["period"],
                actor=request.user,
                filename=Path(data["file"].name).name,
            )
        except DomainError:
            raise PermissionDenied from None
        if result.ok:
            if result.same_file_as:
                messages.info(request, _("该文件此前已导入，未重复写入。"))
            else:
                messages.success(request, _("已导入 %(n)s 行。") % {"n": result.dataset.row_count})
            return redirect("monitoring:department_list")
        if result.error_report_path:
            request.session[REPORT_SESSION_KEY] = result.error_report_path.name
    datasets = selectors.visible_datasets(request.user)[:LIST_LIMIT]
    return render(
        request,
        "monitoring/department_list.html",
        {
            "form": form,
            "datasets": datasets,
            "templates": TEMPLATES.values(),
            "result": result,
            "issues": result.errors[:SHOWN_ISSUES] if result else [],
        },
    )


@login_required
def department_template(request, department):
    if not _may_upload(request.user) or department not in TEMPLATES:
        raise Http404
    response = HttpResponse(template_xlsx(department), content_type=XLSX)
    filename = f"department-{department}-template.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def department_error_report(request):
    """The last error report of this session's upload, nobody else's."""
    name = request.session.get(REPORT_SESSION_KEY)
    path = (report_dir() / name).resolve() if name else None
    if path is None or path.parent != report_dir().resolve() or not path.exists():
        raise Http404
    return FileResponse(
        open(path, "rb"),
        as_attachment=True,  # noqa: SIM115
        filename="department-errors.xlsx",
        content_type=XLSX,
    )


# --- screening runs --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def run_list(request):
    if not has_perm(request.user, Perm.VIEW_MONITORING):
        raise PermissionDenied
    may_run = has_perm(request.user, Perm.RUN_RULES)
    form = (
        RunForm(
            areas=areas_for(request.user, Perm.RUN_RULES),
            initial={"period": timezone.localdate().strftime("%Y-%m")},
        )
        if may_run
        else None
    )
    narrowing = RunFilterForm(request.GET or None)
    runs = selectors.visible_runs(request.user)
    filters = {}
    if narrowing.is_bound:
        narrowing.is_valid()
        filters = narrowing.cleaned_data
        runs = (
            runs.none() if narrowing.narrowing_invalid() else selectors.filter_runs(runs, filters)
        )
    context = {
        "form": form,
        "runs": runs[:LIST_LIMIT],
        "total": runs.count(),
        "narrowed_to": selectors.area_names(filters),
        "rules": RULES,
    }
    return render(request, "monitoring/run_list.html", context)


@login_required
@require_POST
def run_start(request):
    if not has_perm(request.user, Perm.RUN_RULES):
        raise PermissionDenied
    form = RunForm(request.POST, areas=areas_for(request.user, Perm.RUN_RULES))
    if not form.is_valid():
        runs = selectors.visible_runs(request.user)[:LIST_LIMIT]
        return render(
            request,
            "monitoring/run_list.html",
            {"form": form, "runs": runs, "rules": RULES},
            status=400,
        )
    try:
        run = request_screening(
            form.cleaned_data["area"], form.cleaned_data["period"], actor=request.user
        )
    except DomainError:
        raise PermissionDenied from None
    screening_run.enqueue(run.pk)
    messages.info(request, _("已提交筛查，后台运行完成后刷新本页查看结果。"))
    return redirect("monitoring:run_detail", public_id=run.public_id)


def _param_labels(params: dict) -> dict:
    return {
        str(ParameterKey(k).label) if k in ParameterKey.values else k: v for k, v in params.items()
    }


@login_required
def run_detail(request, public_id):
    try:
        run = selectors.access_run(request.user, public_id)
    except NotFound:
        raise Http404 from None
    hits = list(selectors.run_hits(request.user, run))
    clues = {
        c.household_id: c
        for c in Clue.objects.filter(
            rule_hit__run=run, household_id__in={h.household_id for h in hits}
        )
    }
    groups: OrderedDict = OrderedDict()
    for hit in hits:
        rule = BY_CODE.get(hit.rule_code)
        key = (hit.rule_code, hit.rule_version)
        group = groups.setdefault(
            key,
            {
                "rule": rule,
                "code": hit.rule_code,
                "version": hit.rule_version,
                "params": _param_labels(hit.params),
                "rows": [],
            },
        )
        group["rows"].append(
            {
                "hit": hit,
                "household": hit.household,
                "name": mask_name(hit.person.name) if hit.person else "",
                "id_masked": hit.person.id_masked if hit.person else "",
                "inputs": {str(INPUT_LABELS.get(k, k)): v for k, v in hit.inputs.items()},
                "clue": clues.get(hit.household_id),
            }
        )
    return render(
        request,
        "monitoring/run_detail.html",
        {"run": run, "groups": groups.values(), "hit_total": len(hits)},
    )

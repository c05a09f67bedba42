"""Pages for the household workbook: upload and import, progress, error report, template,
export. Thin: forms validate, ``registry.importer`` / ``registry.exporter`` do the work."""

import io
import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from zhenwu.accounts.policy import area_in_scope, has_perm, highest_area, scope_paths
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.areas.selectors import current, subtree
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditOutcome
from zhenwu.lib.xlsx import Workbook, XlsxRejected, check_filename, inspect_xlsx, read_bytes
from zhenwu.registry.exporter import export_households as write_export
from zhenwu.registry.importer import create_upload_batch
from zhenwu.registry.models import ImportBatch, ImportStatus
from zhenwu.registry.tasks import import_batch, run_batch
from zhenwu.registry.template import build_template

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_BATCHES = 10
PREVIEW_ISSUES = 20


def _require(user, perm: str, event: str = "registry.import") -> None:
    """403 without the permission; the refusal is audited (SECURITY.md 9)."""
    if not has_perm(user, perm):
        audit.record(event, actor=user, outcome=AuditOutcome.DENIED, data={"perm": perm})
        raise PermissionDenied


def areas_for(user, perm: str) -> list[Area]:
    """The areas a picker offers: each area where the user holds ``perm`` and the
    townships and villages below it."""
    roots = Area.objects.filter(path__in=scope_paths(user, perm)).order_by("path")
    areas: list[Area] = []
    for root in roots:
        areas.append(root)
        below = current(subtree(root)).filter(level__in=[AreaLevel.TOWNSHIP, AreaLevel.VILLAGE])
        areas += list(below.exclude(pk=root.pk).order_by("path"))
    return areas


class AreaChoiceForm(forms.Form):
    area = forms.ChoiceField(label=_("区域"))

    def __init__(self, *args, areas: list[Area], initial_area: Area | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = {area.code: area for area in areas}
        top = min((a.depth for a in areas), default=0)
        self.fields["area"].choices = [
            (area.code, "\u3000" * (area.depth - top) + area.name) for area in areas
        ]
        if initial_area is not None:
            self.fields["area"].initial = initial_area.code

    def clean_area(self) -> Area:
        return self.areas[self.cleaned_data["area"]]


class UploadForm(AreaChoiceForm):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
    dry_run = forms.BooleanField(label=_("仅校验，不写入数据"), required=False)

    field_order = ["file", "area", "dry_run"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_filename(upload.name)
            if upload.size > settings.IMPORT_MAX_BYTES:
                raise XlsxRejected("too_large", limit=settings.IMPORT_MAX_BYTES // (1024 * 1024))
        except XlsxRejected as rejected:
            raise forms.ValidationError(rejected.message) from None
        return upload


class ExportForm(AreaChoiceForm):
    unmasked = forms.BooleanField(label=_("导出完整身份证号、电话和银行账号"), required=False)
    reason = forms.CharField(label=_("原因"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("unmasked") and len((data.get("reason") or "").strip()) < 4:
            self.add_error("reason", _("导出完整信息须填写原因（至少 4 个字）。"))
        return data


# --- import ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    _require(request.user, Perm.IMPORT_REGISTRY)
    areas = areas_for(request.user, Perm.IMPORT_REGISTRY)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        areas=areas,
        initial_area=highest_area(request.user, Perm.IMPORT_REGISTRY),
    )
    if request.method == "POST" and form.is_valid():
        batch = _start_batch(request.user, form.cleaned_data)
        return redirect("registry:import_status", public_id=batch.public_id)
    recent = ImportBatch.objects.filter(uploaded_by=request.user).select_related("area")[
        :RECENT_BATCHES
    ]
    return render(request, "registry/import_upload.html", {"form": form, "recent": recent})


def _start_batch(user, data) -> ImportBatch:
    upload = data["file"]
    path = _store_upload(upload)
    try:
        batch = create_upload_batch(
            area=data["area"],
            actor=user,
            filename=Path(upload.name).name,
            stored_path=str(path),
            dry_run=data["dry_run"],
        )
    except DomainError:  # the form offers only areas in scope; a race with a revoked role
        path.unlink(missing_ok=True)
        raise PermissionDenied from None
    if _is_large(path):
        import_batch.enqueue(str(batch.public_id))
    else:
        run_batch(batch)
    return batch


def _store_upload(upload) -> Path:
    """Under a random name: the user's file name never reaches the file system."""
    directory = Path(settings.UPLOAD_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / f"{secrets.token_hex(16)}.xlsx"
    with open(path, "xb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    path.chmod(0o600)
    return path


def _is_large(path: Path) -> bool:
    """More rows than IMPORT_BACKGROUND_ROWS, read from the sheets' declared dimensions
    (cheap). A file that fails the checks is small: it is rejected within the request."""
    try:
        info = inspect_xlsx(read_bytes(path, max_bytes=settings.IMPORT_MAX_BYTES))
    except XlsxRejected:
        return False
    if info.declared_rows is None:  # no <dimension>: judge by size, about 100 bytes a row
        return info.size > settings.IMPORT_BACKGROUND_ROWS * 100
    return info.declared_rows > settings.IMPORT_BACKGROUND_ROWS


def _access_batch(user, public_id) -> ImportBatch:
    """Same 404 for a missing batch and one outside the user's import scope."""
    _require(user, Perm.IMPORT_REGISTRY)
    batch = (
        ImportBatch.objects.select_related("area", "uploaded_by")
        .filter(public_id=public_id)
        .first()
    )
    if batch is None or not area_in_scope(user, batch.area, Perm.IMPORT_REGISTRY):
        raise Http404
    return batch


@login_required
def import_status(request, public_id):
    batch = _access_batch(request.user, public_id)
    context = {"batch": batch, "issues": _report_preview(batch)}
    if request.headers.get("HX-Request"):
        return render(request, "registry/import_progress.html", context)
    return render(request, "registry/import_status.html", context)


def _report_path(batch: ImportBatch) -> Path | None:
    """The batch's report, only if it lies in the reports directory."""
    if not batch.error_report_path:
        return None
    path = Path(batch.error_report_path).resolve()
    reports = (Path(settings.ZHENWU_HOME) / "reports").resolve()
    if reports not in path.parents or not path.is_file():
        return None
    return path


def _report_preview(batch: ImportBatch) -> list[list]:
    """The first problems of the report, shown on the status page."""
    path = _report_path(batch) if batch.status == ImportStatus.FAILED else None
    if path is None:
        return []
    try:
        book = Workbook(path.read_bytes())
        rows = book.rows(book.sheet_names[0])[1 : PREVIEW_ISSUES + 1]
        book.close()
    except XlsxRejected:
        return []
    return [[_whole(cell) for cell in row] for row in rows]


def _whole(cell):
    return int(cell) if isinstance(cell, float) and cell.is_integer() else cell


@login_required
def import_error_report(request, public_id):
    batch = _access_batch(request.user, public_id)
    path = _report_path(batch)
    if path is None:
        raise Http404
    name = str(_("导入错误报告")) + f"-{Path(batch.filename).stem or batch.public_id.hex[:8]}.xlsx"
    return FileResponse(
        open(path, "rb"), as_attachment=True, filename=str(name), content_type=XLSX_TYPE
    )


@login_required
def import_template(request):
    _require(request.user, Perm.IMPORT_REGISTRY)
    content = build_template()
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=str(_("农户信息导入模板")) + ".xlsx",
        content_type=XLSX_TYPE,
    )


# --- export ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def export_households(request):
    _require(request.user, Perm.EXPORT_REGISTRY, "registry.export")
    areas = areas_for(request.user, Perm.EXPORT_REGISTRY)
    form = ExportForm(
        request.POST or None,
        areas=areas,
        initial_area=highest_area(request.user, Perm.EXPORT_REGISTRY),
    )
    can_unmask = has_perm(request.user, Perm.REVEAL_IDENTITY)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = write_export(
                actor=request.user,
                area=data["area"],
                unmasked=data["unmasked"],
                reason=data["reason"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            stamp = timezone.localtime().strftime("%Y%m%d")
            name = str(_("农户信息")) + f"-{result.area.name}-{stamp}.xlsx"
            return FileResponse(
                io.BytesIO(result.content),
                as_attachment=True,
                filename=name,
                content_type=XLSX_TYPE,
            )
    return render(
        request, "registry/export_households.html", {"form": form, "can_unmask": can_unmask}
    )

"""Import department data (部门数据) from a file or an API push — all or nothing.

Every row is validated (ID number checksum, month, amount, allowed values); on any problem
nothing is stored and an .xlsx error report lists sheet, row, column and problem, like the
household import. Otherwise one ``DepartmentDataset`` and its ``DepartmentRecord`` rows are
written in one transaction with one audit row. Records carry the ID number's blind index
only. The same file (or the same pushed rows) for the same department and area is stored
once: a repeat returns the earlier dataset.

    result = import_department_file(path, department="medical_insurance", area=shadi,
                                    period=date(2023, 6, 1), actor=clerk)
"""

import csv
import datetime
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.policy import area_in_scope, has_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.core import audit
from zhenwu.core.crypto import blind_index
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditOutcome
from zhenwu.lib.text import compact
from zhenwu.lib.xlsx import XlsxRejected, open_checked, read_bytes
from zhenwu.monitoring.department.spec import TEMPLATES, CellError, Template, parse_cell
from zhenwu.monitoring.models import DepartmentDataset, DepartmentRecord
from zhenwu.registry.imports.issues import Issue, IssueList, shown_value
from zhenwu.registry.imports.report import write_error_report

# Who may load department data: the department's clerk, or a township/district officer
# (who holds RUN_RULES), each inside their own area.
UPLOAD_PERMS = (Perm.UPLOAD_DEPARTMENT_DATA, Perm.RUN_RULES)
MAX_KEPT_ISSUES = 10_000
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
API_SHEET = "API"


@dataclass
class DepartmentImportResult:
    ok: bool
    errors: list[Issue]
    counts: dict
    file_hash: str
    error_report_path: Path | None = None
    dry_run: bool = False
    total_rows: int = 0
    error_count: int = 0
    dataset: DepartmentDataset | None = None
    same_file_as: str | None = None  # public id of the earlier dataset with the same content
    records: list = field(default_factory=list, repr=False)


def may_upload(user, area: Area) -> bool:
    return any(has_perm(user, p) and area_in_scope(user, area, p) for p in UPLOAD_PERMS)


def import_department_file(
    source: str | Path | bytes,
    *,
    department: str,
    area: Area,
    period: datetime.date,
    actor,
    dry_run: bool = False,
    filename: str = "",
) -> DepartmentImportResult:
    """Validate and store one .xlsx or .csv file of ``department`` for ``area`` and the
    month ``period``. ``actor`` None is the server console (demo builder)."""
    filename = filename or (Path(source).name if isinstance(source, str | Path) else "")
    template = _template(department)
    _authorize(actor, area, department, filename)
    period = period.replace(day=1)
    try:
        data = read_bytes(source, max_bytes=settings.IMPORT_MAX_BYTES)
        file_hash = hashlib.sha256(data).hexdigest()
        earlier = _earlier(department, area, file_hash)
        if earlier is not None:
            return _same_content(earlier, file_hash, dry_run)
        table = _read_table(data, filename)
    except XlsxRejected as rejected:
        issues = IssueList(1)
        issues.append(Issue("", None, "", rejected.message))
        return _fail(issues, file_hash="", filename=filename, dry_run=dry_run, total=0)
    sheet = template.label
    return _import_table(
        table,
        template=template,
        sheet=sheet,
        area=area,
        period=period,
        actor=actor,
        dry_run=dry_run,
        filename=filename,
        file_hash=file_hash,
        source="file",
    )


def import_department_rows(
    rows: list[dict], *, department: str, area: Area, period: datetime.date, actor
) -> DepartmentImportResult:
    """The API push: rows keyed by the column headers or by field names (id_number, name,
    month, kind, amount, total, detail). Same validation and storage as a file."""
    template = _template(department)
    _authorize(actor, area, department, "api")
    period = period.replace(day=1)
    canonical = json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str).encode()
    file_hash = hashlib.sha256(canonical).hexdigest()
    earlier = _earlier(department, area, file_hash)
    if earlier is not None:
        return _same_content(earlier, file_hash, False)
    table = [template.headers] + [
        [_pick(row, column) for column in template.columns] for row in rows
    ]
    return _import_table(
        table,
        template=template,
        sheet=API_SHEET,
        area=area,
        period=period,
        actor=actor,
        dry_run=False,
        filename="api",
        file_hash=file_hash,
        source="api",
    )


def _pick(row: dict, column) -> object:
    if not isinstance(row, dict):
        return None
    return row.get(column.field, row.get(column.header))


def _template(department: str) -> Template:
    if department not in TEMPLATES:
        raise DomainError("unknown_department", _("未知的部门。"))
    return TEMPLATES[department]


def _authorize(actor, area: Area, department: str, filename: str) -> None:
    if area is None or area.level > AreaLevel.VILLAGE:
        raise DomainError("area_level")
    if actor is None or may_upload(actor, area):
        return
    audit.record(
        "monitoring.department_import",
        actor=actor,
        outcome=AuditOutcome.DENIED,
        object_type="areas.area",
        object_id=area.code,
        data={"department": department, "area": area.code, "filename": filename[:200]},
    )
    allowed = any(has_perm(actor, p) for p in UPLOAD_PERMS)
    raise DomainError("out_of_scope" if allowed else "permission_denied")


def _earlier(department: str, area: Area, file_hash: str) -> DepartmentDataset | None:
    return DepartmentDataset.objects.filter(
        department=department, area=area, file_hash=file_hash
    ).first()


def _same_content(earlier: DepartmentDataset, file_hash: str, dry_run: bool):
    return DepartmentImportResult(
        ok=True,
        errors=[],
        counts={"records": 0, "unchanged": earlier.row_count},
        file_hash=file_hash,
        dry_run=dry_run,
        total_rows=earlier.row_count,
        dataset=earlier,
        same_file_as=str(earlier.public_id),
    )


# --- reading ---------------------------------------------------------------------------------


def _read_table(data: bytes, filename: str) -> list[list]:
    """Rows of the first sheet (.xlsx, checked by lib.xlsx) or of a .csv file."""
    if filename.lower().endswith(".csv"):
        text = _decode(data)
        rows = list(csv.reader(io.StringIO(text)))
    else:
        _data, _info, workbook = open_checked(
            data, max_bytes=settings.IMPORT_MAX_BYTES, max_rows=settings.IMPORT_MAX_ROWS
        )
        try:
            names = workbook.sheet_names
            rows = workbook.rows(names[0]) if names else []
        finally:
            workbook.close()
    if len(rows) > settings.IMPORT_MAX_ROWS + 1:
        raise XlsxRejected("too_many_rows", limit=settings.IMPORT_MAX_ROWS)
    return rows


def _decode(data: bytes) -> str:
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise XlsxRejected("unreadable")


def _header_key(value: object) -> str:
    """'身份证号(户主)', '身份证号（户主）' and '身份证号' all name the ID column."""
    text = compact(value).replace("(", "（").replace(")", "）")
    return text.split("（")[0]


# --- validating and storing -------------------------------------------------------------------


def _import_table(
    table, *, template, sheet, area, period, actor, dry_run, filename, file_hash, source
) -> DepartmentImportResult:
    issues = IssueList(MAX_KEPT_ISSUES)
    rows = [row for row in table[1:] if any(compact(cell) for cell in row)] if table else []
    positions = _column_positions(table[0] if table else [], template, sheet, issues)
    records = []
    if positions is not None:
        for index, row in enumerate(table[1:], start=2):
            if not any(compact(cell) for cell in row):
                continue
            record = _validate_row(row, index, positions, template, sheet, period, issues)
            if record is not None:
                records.append(record)
    if not rows and positions is not None:
        issues.append(Issue(sheet, None, "", str(_("文件中没有数据行。"))))
    if issues:
        return _fail(
            issues, file_hash=file_hash, filename=filename, dry_run=dry_run, total=len(rows)
        )
    if dry_run:
        return DepartmentImportResult(
            ok=True,
            errors=[],
            counts={"records": len(records)},
            file_hash=file_hash,
            dry_run=True,
            total_rows=len(rows),
            records=records,
        )
    dataset = _write(
        records,
        template=template,
        area=area,
        period=period,
        actor=actor,
        filename=filename,
        file_hash=file_hash,
        source=source,
    )
    if dataset.row_count != len(records):  # the same content arrived concurrently
        return _same_content(dataset, file_hash, False)
    return DepartmentImportResult(
        ok=True,
        errors=[],
        counts={"records": len(records)},
        file_hash=file_hash,
        total_rows=len(rows),
        dataset=dataset,
    )


def _column_positions(header, template, sheet, issues) -> dict | None:
    keys = [_header_key(cell) for cell in header]
    positions = {}
    for column in template.columns:
        wanted = _header_key(column.header)
        if wanted in keys:
            positions[column.field] = (keys.index(wanted), column)
        elif column.required:
            issues.append(Issue(sheet, 1, column.header, str(_("缺少该列，请使用下载的模板。"))))
    return None if issues else positions


def _validate_row(row, number, positions, template, sheet, period, issues) -> dict | None:
    values, ok = {}, True
    for field_name, (position, column) in positions.items():
        raw = row[position] if position < len(row) else None
        try:
            values[field_name] = parse_cell(column, raw, period=period)
        except CellError as error:
            ok = False
            shown = shown_value("id_number" if field_name == "id_number" else "", raw)
            issues.append(Issue(sheet, number, column.header, str(error.args[0]), shown))
    if not ok:
        return None
    attributes = {}
    if values.get("total") is not None:
        attributes["total"] = str(values["total"])
    if values.get("detail"):
        attributes["detail"] = values["detail"]
    return {
        "id_hash": blind_index(values["id_number"]),
        "month": values["month"],
        "kind": template.fixed_kind or values.get("kind") or "",
        "amount": values.get("amount"),
        "attributes": attributes,
    }


def _fail(issues: IssueList, *, file_hash, filename, dry_run, total) -> DepartmentImportResult:
    report = write_error_report(list(issues), total=issues.total, filename=filename)
    return DepartmentImportResult(
        ok=False,
        errors=list(issues),
        counts={},
        file_hash=file_hash,
        error_report_path=report,
        dry_run=dry_run,
        total_rows=total,
        error_count=issues.total,
    )


def _write(records, *, template, area, period, actor, filename, file_hash, source):
    try:
        with transaction.atomic():
            dataset = DepartmentDataset.objects.create(
                department=template.department,
                area=area,
                period=period,
                filename=filename[:200],
                file_hash=file_hash,
                row_count=len(records),
                created_by=actor,
                updated_by=actor,
            )
            DepartmentRecord.objects.bulk_create(
                [DepartmentRecord(dataset=dataset, **record) for record in records],
                batch_size=2_000,
            )
            audit.record(
                "monitoring.department_import",
                actor=actor,
                obj=dataset,
                data={
                    "department": template.department,
                    "area": area.code,
                    "period": period.isoformat(),
                    "rows": len(records),
                    "file_hash": file_hash,
                    "source": source,
                    "filename": filename[:200],
                },
            )
    except IntegrityError:
        dataset = _earlier(template.department, area, file_hash)
        if dataset is None:
            raise
    return dataset

"""Import a household workbook (户信息, 成员信息, optional 收入信息) — all or nothing.

Every row of every sheet is validated first and every problem collected; if there is any,
nothing is written and an .xlsx error report names sheet, row, column and problem. Otherwise
households (by 户编号), members (by ID number) and incomes (by household and year) are
created or updated in one transaction, with one audit row. Re-importing the same file
changes nothing. This is the bulk write action of the registry (architecture rule 1).

    result = import_households(path_or_bytes, area=shadi, actor=user)
"""

import getpass
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.policy import area_in_scope, has_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.areas.selectors import current, villages_under
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditOutcome
from zhenwu.lib.xlsx import Workbook, XlsxRejected, check_filename, open_checked, read_bytes
from zhenwu.registry.columns import (
    HOUSEHOLD_COLUMNS,
    HOUSEHOLD_SHEET,
    INCOME_COLUMNS,
    INCOME_SHEET,
    MEMBER_COLUMNS,
    MEMBER_SHEET,
)
from zhenwu.registry.imports import write
from zhenwu.registry.imports.cells import VillageLookup
from zhenwu.registry.imports.issues import Issue, IssueList
from zhenwu.registry.imports.plan import Planner
from zhenwu.registry.imports.report import write_error_report
from zhenwu.registry.imports.sheets import RawSheet, SheetRows, load_sheet, validate_sheet
from zhenwu.registry.models import Household, ImportBatch, ImportStatus, IncomeRecord, Person

COUNT_KEYS = (
    "households_created",
    "households_updated",
    "persons_created",
    "persons_updated",
    "incomes_written",
    "unchanged",
)
MAX_KEPT_ISSUES = 10_000
PROGRESS_STEP = 1_000
SHEET_SPECS = [
    (HOUSEHOLD_SHEET, HOUSEHOLD_COLUMNS, Household, True),
    (MEMBER_SHEET, MEMBER_COLUMNS, Person, True),
    (INCOME_SHEET, INCOME_COLUMNS, IncomeRecord, False),
]

Progress = Callable[[int, int], None]


@dataclass
class ImportResult:
    ok: bool
    errors: list[Issue]
    counts: dict
    file_hash: str
    error_report_path: Path | None = None
    dry_run: bool = False
    total_rows: int = 0
    error_count: int = 0
    batch: ImportBatch | None = None
    same_file_as: str | None = None  # public id of the earlier batch with the same file
    audited_changes: list = field(default_factory=list, repr=False)


def empty_counts() -> dict:
    return dict.fromkeys(COUNT_KEYS, 0)


def import_households(
    source: str | Path | bytes,
    *,
    area: Area,
    actor,
    dry_run: bool = False,
    progress: Progress | None = None,
    filename: str = "",
    batch: ImportBatch | None = None,
) -> ImportResult:
    """Validate and import one workbook into ``area`` (a township or village).

    ``actor`` needs ``registry.import`` on the area; ``None`` is the server console (CLI,
    demo builder): no permission check, still audited. ``batch`` is passed by the upload
    view and the background task; otherwise one is recorded here."""
    filename = filename or (Path(source).name if isinstance(source, str | Path) else "")
    _authorize(actor, area, filename)
    if batch is None:
        batch = ImportBatch.objects.create(
            area=area, uploaded_by=actor, filename=filename[:255], dry_run=dry_run
        )
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING)
    run = _Run(
        source,
        area=area,
        actor=actor,
        dry_run=dry_run,
        progress=progress,
        filename=filename,
        batch=batch,
    )
    try:
        result = run.execute()
    except Exception:
        _finish(batch, None, message=str(_("导入过程中发生内部错误，未导入任何数据。")))
        raise
    _finish(batch, result)
    return result


def create_upload_batch(
    *, area: Area, actor, filename: str, stored_path: str, dry_run: bool
) -> ImportBatch:
    """Record an uploaded file waiting to be imported (by the request or the worker)."""
    _authorize(actor, area, filename)
    return ImportBatch.objects.create(
        area=area,
        uploaded_by=actor,
        filename=filename[:255],
        stored_path=stored_path,
        dry_run=dry_run,
        status=ImportStatus.PENDING,
    )


def _authorize(actor, area: Area, filename: str) -> None:
    if area is None or area.level > AreaLevel.VILLAGE:
        raise DomainError("area_level")
    if actor is None:
        return
    if not has_perm(actor, Perm.IMPORT_REGISTRY) or not area_in_scope(
        actor, area, Perm.IMPORT_REGISTRY
    ):
        audit.record(
            "registry.import",
            actor=actor,
            outcome=AuditOutcome.DENIED,
            object_type="areas.area",
            object_id=area.code,
            data={"area": area.code, "filename": filename},
        )
        code = "permission_denied" if not has_perm(actor, Perm.IMPORT_REGISTRY) else "out_of_scope"
        raise DomainError(code)


def _finish(batch: ImportBatch, result: ImportResult | None, message: str = "") -> None:
    ok = result is not None and result.ok
    fields = {
        "status": ImportStatus.SUCCEEDED if ok else ImportStatus.FAILED,
        "finished_at": timezone.now(),
        "message": message[:500],
    }
    if result is not None:
        fields.update(
            file_hash=result.file_hash,
            counts=result.counts,
            error_count=result.error_count,
            total_rows=result.total_rows,
            error_report_path=str(result.error_report_path or ""),
        )
        if ok:
            fields["done_rows"] = result.total_rows
    ImportBatch.objects.filter(pk=batch.pk).update(**fields)
    for name, value in fields.items():
        setattr(batch, name, value)


class _Ticker:
    """Counts validated rows; reports to the caller and to the batch every PROGRESS_STEP."""

    def __init__(self, batch: ImportBatch, callback: Progress | None, total: int):
        self.batch, self.callback, self.total = batch, callback, total
        self.done = self.reported = 0
        ImportBatch.objects.filter(pk=batch.pk).update(total_rows=total, done_rows=0)

    def __call__(self) -> None:
        self.done += 1
        if self.done - self.reported >= PROGRESS_STEP:
            self.report()

    def report(self) -> None:
        self.reported = self.done
        ImportBatch.objects.filter(pk=self.batch.pk).update(done_rows=self.done)
        if self.callback is not None:
            self.callback(self.done, self.total)


class _Run:
    def __init__(self, source, *, area, actor, dry_run, progress, filename, batch):
        self.source = source
        self.area = area
        self.actor = actor
        self.dry_run = dry_run
        self.progress = progress
        self.filename = filename
        self.batch = batch
        self.file_hash = ""
        self.total_rows = 0
        self.issues = IssueList(MAX_KEPT_ISSUES)

    def execute(self) -> ImportResult:
        try:
            if isinstance(self.source, str | Path):
                check_filename(str(self.source))
            data = read_bytes(self.source, max_bytes=settings.IMPORT_MAX_BYTES)
            self.file_hash = hashlib.sha256(data).hexdigest()
            earlier = self._same_file_imported()
            if earlier is not None:
                return self._same_file(earlier)
            _data, _info, workbook = open_checked(
                data, max_bytes=settings.IMPORT_MAX_BYTES, max_rows=settings.IMPORT_MAX_ROWS
            )
            sheets = self._read(workbook)
        except XlsxRejected as rejected:
            self.issues.append(Issue("", None, "", rejected.message))
            return self._fail()
        rows = self._validate(sheets)
        if self.issues:
            return self._fail()
        return self._apply(rows)

    # --- reading and validating -----------------------------------------------------------

    def _read(self, workbook: Workbook) -> dict[str, RawSheet | None]:
        try:
            sheets = {
                name: load_sheet(workbook, name, columns, required=required, issues=self.issues)
                for name, columns, _model, required in SHEET_SPECS
            }
        finally:
            workbook.close()
        self.total_rows = sum(
            sum(1 for _row in raw.data_rows()) for raw in sheets.values() if raw is not None
        )
        if self.total_rows > settings.IMPORT_MAX_ROWS:
            raise XlsxRejected("too_many_rows", limit=settings.IMPORT_MAX_ROWS)
        return sheets

    def _validate(self, sheets: dict[str, RawSheet | None]) -> dict[str, SheetRows | None]:
        villages = VillageLookup(
            self.area,
            inside=list(villages_under(self.area)),
            everywhere=list(current().filter(level=AreaLevel.VILLAGE)),
        )
        ticker = _Ticker(self.batch, self.progress, self.total_rows)
        rows: dict[str, SheetRows | None] = {}
        for name, columns, model, _required in SHEET_SPECS:
            raw = sheets[name]
            rows[name] = (
                None
                if raw is None
                else validate_sheet(
                    raw, columns, model=model, villages=villages, issues=self.issues, tick=ticker
                )
            )
        ticker.report()
        return rows

    # --- writing --------------------------------------------------------------------------

    def _apply(self, rows: dict[str, SheetRows | None]) -> ImportResult:
        planner = Planner(
            area=self.area,
            actor=self.actor,
            households=rows[HOUSEHOLD_SHEET],
            members=rows[MEMBER_SHEET],
            incomes=rows[INCOME_SHEET],
            issues=self.issues,
        )
        try:
            with transaction.atomic():
                planner.check()
                if self.issues:
                    return self._fail()
                plan = planner.build()
                if not self.dry_run:
                    write.execute(plan)
                counts = plan.counts()
                self._audit(AuditOutcome.SUCCESS, counts, changes=plan.audited_changes())
        except IntegrityError:
            # Someone registered the same household or ID number since validation started.
            self.issues.append(
                Issue(
                    "", None, "", str(_("写入时与其他人的修改冲突，未导入任何数据，请重新导入。"))
                )
            )
            return self._fail()
        if self.progress is not None:
            self.progress(self.total_rows, self.total_rows)
        return self._result(True, counts)

    def _same_file_imported(self) -> ImportBatch | None:
        if self.dry_run:
            return None
        return (
            ImportBatch.objects.filter(
                file_hash=self.file_hash,
                area=self.area,
                status=ImportStatus.SUCCEEDED,
                dry_run=False,
            )
            .exclude(pk=self.batch.pk)
            .order_by("-finished_at")
            .first()
        )

    def _same_file(self, earlier: ImportBatch) -> ImportResult:
        """The very same file was imported into this area before: nothing to change."""
        counts = empty_counts()
        counts["unchanged"] = sum(int(v) for v in (earlier.counts or {}).values())
        self.total_rows = earlier.total_rows
        with transaction.atomic():
            self._audit(AuditOutcome.SUCCESS, counts, same_file_as=str(earlier.public_id))
        result = self._result(True, counts)
        result.same_file_as = str(earlier.public_id)
        return result

    def _fail(self) -> ImportResult:
        report = write_error_report(
            list(self.issues), total=self.issues.total, filename=self.filename
        )
        counts = empty_counts()
        self._audit(AuditOutcome.FAILURE, counts)
        result = self._result(False, counts)
        result.error_report_path = report
        return result

    def _result(self, ok: bool, counts: dict) -> ImportResult:
        return ImportResult(
            ok=ok,
            errors=list(self.issues),
            counts=counts,
            file_hash=self.file_hash,
            dry_run=self.dry_run,
            total_rows=self.total_rows,
            error_count=self.issues.total,
            batch=self.batch,
        )

    def _audit(self, outcome: str, counts: dict, **extra) -> None:
        audit.record(
            "registry.import",
            actor=self.actor,
            obj=self.batch,
            outcome=outcome,
            username="" if self.actor is not None else console_user(),
            data={
                "file_hash": self.file_hash,
                "filename": self.filename,
                "area": self.area.code,
                "dry_run": self.dry_run,
                "rows": self.total_rows,
                "counts": counts,
                "ok": outcome == AuditOutcome.SUCCESS,
                "error_count": self.issues.total,
                **extra,
            },
        )


def console_user() -> str:
    """Who ran a console import, for the audit row (the OS account)."""
    try:
        return "console:" + getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "console"

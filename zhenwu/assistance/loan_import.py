"""Import a bank's loan list (银行放款清单, .xlsx) — all or nothing.

Columns (first sheet, a title row above the header is allowed): 合同编号, 借款人姓名,
身份证号, 放贷银行, 贷款金额, 放款日期, 期限（月）, 年利率, 贷款用途.

Every row is checked: the cells (the registry import's converters), the borrower (matched by
the ID number's blind index among the households of ``area``, and the name must agree) and
every rule of ``do_issue_loan`` (age, household, limit with the file's earlier rows, term,
contract). Any problem → nothing is written and an .xlsx error report names row, column and
problem in Chinese. A contract number already registered for the same borrower and amount is
"unchanged", so re-importing a file changes nothing. One audit row per run.

The 年利率 column takes 0.0435, "4.35%" or 4.35 (a number ≥ 1 is read as a percentage).
"""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import AreaLevel
from zhenwu.assistance.actions.loans import LoanTerms, register_loan
from zhenwu.assistance.models import Loan
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditOutcome
from zhenwu.lib.text import compact, normalize_cell
from zhenwu.lib.xlsx import XlsxRejected, open_checked
from zhenwu.registry.columns import Column
from zhenwu.registry.identity import id_hash_of
from zhenwu.registry.imports.issues import Issue, IssueList
from zhenwu.registry.imports.report import write_error_report
from zhenwu.registry.imports.sheets import load_sheet, validate_sheet
from zhenwu.registry.models import Person

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5_000
MAX_KEPT_ISSUES = 2_000
PERCENT = Decimal("100")

COLUMNS = [
    Column("合同编号", "contract_number", "text", True, max_length=64),
    Column("借款人姓名", "name", "text", True, max_length=50),
    Column("身份证号", "id_number", "id_number", True),
    Column("放贷银行", "bank", "text", True, max_length=100),
    Column("贷款金额", "amount", "money", True),
    Column("放款日期", "issued_on", "date", True),
    Column("期限（月）", "term_months", "int", True),
    Column("年利率", "annual_rate", "text", True, max_length=20),
    Column("贷款用途", "purpose", "text", True, max_length=200),
]
HEADERS = {column.field: column.header for column in COLUMNS}
# The column an eligibility refusal points at.
REFUSAL_COLUMN = {
    "loan_borrower_inactive": "id_number",
    "loan_household_ineligible": "id_number",
    "loan_age": "id_number",
    "loan_term": "term_months",
    "loan_rate_invalid": "annual_rate",
    "loan_amount_invalid": "amount",
    "loan_over_limit": "amount",
    "loan_duplicate_contract": "contract_number",
}


@dataclass
class LoanImportResult:
    ok: bool
    created: int = 0
    unchanged: int = 0
    total_rows: int = 0
    errors: list = field(default_factory=list)
    error_count: int = 0
    error_report_path: Path | None = None
    file_hash: str = ""
    dry_run: bool = False


class _Rollback(Exception):
    """Leaves the import transaction without keeping anything."""


def parse_rate(raw) -> Decimal:
    text = normalize_cell(raw)
    percent = text.endswith("%")
    try:
        rate = Decimal(text.rstrip("%").strip())
    except InvalidOperation:
        raise ValueError(text) from None
    if not rate.is_finite():
        raise ValueError(text)
    return rate / PERCENT if percent or rate >= 1 else rate


def import_bank_loans(
    source, *, actor, area, dry_run: bool = False, filename: str = ""
) -> LoanImportResult:
    """Validate and (unless ``dry_run`` or any problem) register every loan of the file."""
    require_perm(actor, Perm.MANAGE_LOANS)
    require_area(actor, area, Perm.MANAGE_LOANS)
    if area.level > AreaLevel.VILLAGE:
        raise DomainError("area_level")
    filename = filename or (Path(source).name if isinstance(source, str | Path) else "")
    issues = IssueList(MAX_KEPT_ISSUES)
    result = LoanImportResult(ok=False, dry_run=dry_run)
    rows = _read(source, issues, result)
    if rows is not None:  # the rows' own checks run too, so that the report is complete
        try:
            with transaction.atomic():
                _register(rows, actor=actor, area=area, issues=issues, result=result)
                if issues.total or dry_run:
                    raise _Rollback
                _audit(actor, area, filename, result, AuditOutcome.SUCCESS)
        except _Rollback:
            if dry_run and not issues.total:
                _audit(actor, area, filename, result, AuditOutcome.SUCCESS)
    result.ok = not issues.total
    result.errors, result.error_count = list(issues), issues.total
    if not result.ok:
        result.created = 0
        result.error_report_path = write_error_report(
            list(issues), total=issues.total, filename=filename
        )
        _audit(actor, area, filename, result, AuditOutcome.FAILURE)
    return result


def _read(source, issues, result):
    try:
        data, _info, workbook = open_checked(source, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    except XlsxRejected as rejected:
        issues.append(Issue("", None, "", rejected.message))
        return None
    result.file_hash = hashlib.sha256(data).hexdigest()
    try:
        names = workbook.sheet_names
        if not names:
            issues.append(Issue("", None, "", _("文件中没有工作表")))
            return None
        raw = load_sheet(workbook, compact(names[0]), COLUMNS, required=True, issues=issues)
        if raw is None or raw.header_index is None:
            return None
        rows = validate_sheet(
            raw, COLUMNS, model=Loan, villages=None, issues=issues, tick=lambda: None
        )
    finally:
        workbook.close()
    result.total_rows = len(rows.rows)
    if result.total_rows > MAX_ROWS:
        issues.append(
            Issue(rows.name, None, "", _("文件行数过多（上限 %(limit)s 行）") % {"limit": MAX_ROWS})
        )
        return None
    if not rows.rows:
        issues.append(Issue(rows.name, None, "", _("文件中没有贷款数据")))
    return rows


def _register(rows, *, actor, area, issues, result) -> None:
    """Rows in file order, so that the household limit counts the file's earlier loans."""
    seen: dict[str, int] = {}
    for row in rows.rows:
        if not row.ok:
            continue
        values = row.values
        problem = _row_problem(values, seen, row.row, area)
        if problem is not None:
            column, message = problem
            issues.append(Issue(rows.name, row.row, HEADERS.get(column, ""), message))
            continue
        borrower, rate, existing = values["borrower"], values["rate"], values["existing"]
        if existing is not None:
            result.unchanged += 1
            continue
        terms = LoanTerms(values["amount"], values["issued_on"], values["term_months"], rate)
        try:
            register_loan(
                actor,
                borrower,
                terms,
                values["contract_number"],
                values["bank"],
                values["purpose"],
                audited=False,
            )
        except DomainError as error:
            column = REFUSAL_COLUMN.get(error.code, "")
            issues.append(Issue(rows.name, row.row, HEADERS.get(column, ""), error.message))
            continue
        result.created += 1


def _row_problem(values: dict, seen: dict, row_number: int, area):
    """(field, message) of the first problem of a converted row, or None. Adds the borrower,
    rate and any existing loan of the contract to ``values``."""
    contract = values["contract_number"]
    if contract in seen:
        return "contract_number", _("合同编号与第%(row)s行重复") % {"row": seen[contract]}
    seen[contract] = row_number
    try:
        values["rate"] = parse_rate(values["annual_rate"])
    except ValueError:
        return "annual_rate", _("应填写年利率，如 0.0435 或 4.35%")
    borrower = _borrower(values["id_number"].number, area)
    if borrower is None:
        return "id_number", _("未在本区域的农户档案中找到该身份证号")
    if compact(borrower.name) != compact(values["name"]):
        return "name", _("借款人姓名与农户档案不一致")
    values["borrower"] = borrower
    values["existing"] = existing = Loan.objects.filter(contract_number=contract).first()
    if existing is not None and (
        existing.borrower_id != borrower.pk or existing.amount != values["amount"]
    ):
        return "contract_number", _("该合同编号已登记，但借款人或金额与本行不一致")
    return None


def _borrower(id_number: str, area) -> Person | None:
    digest = id_hash_of(id_number)
    if digest is None:
        return None
    return (
        Person.objects.select_related("household__village")
        .filter(id_hash=digest, household__village__path__startswith=area.path)
        .first()
    )


def _audit(actor, area, filename: str, result: LoanImportResult, outcome: str) -> None:
    audit.record(
        "assistance.loan_import",
        actor=actor,
        outcome=outcome,
        object_type="areas.area",
        object_id=area.code,
        data={
            "filename": filename[:200],
            "file_hash": result.file_hash,
            "rows": result.total_rows,
            "created": result.created,
            "unchanged": result.unchanged,
            "errors": result.error_count,
            "dry_run": result.dry_run,
        },
    )

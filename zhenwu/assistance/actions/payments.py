"""发放批次: the one mechanism every ledger pays through (payroll, transport, interest subsidy).

A batch is one kind, one area, one period: draft → approved → exported → paid
(``states.BATCH_TRANSITIONS``). Lines are added while the batch is a draft; a person is paid
at most once per kind and period (DB partial unique constraint), so building a batch twice
adds nothing. Maker ≠ checker: whoever opened the batch or added a line cannot approve it.

Reversal (冲正): a line of a PAID batch is reversed by a negative line that points at it
(``reverses``, one-to-one, so never twice). The negative line keeps the original kind and
period and goes into the *correction batch* of the same kind and area, period
``<period>R`` (``2023-06R``); when that one has left draft, the next one ``<period>R2``,
``R3`` …. The correction batch is then approved, exported and marked paid like any other.
"""

import datetime
import io
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.assistance.choices import BatchStatus, PaymentKind
from zhenwu.assistance.models import PaymentBatch, PaymentLine
from zhenwu.assistance.states import check_batch_transition
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.lib.periods import PeriodError, parse_period
from zhenwu.lib.xlsx import XlsxWriter, write_cell

CENT = Decimal("0.01")
CORRECTION_SUFFIX = "R"
MAX_CORRECTION_BATCHES = 9

# Sent inside the transaction of ``do_mark_paid`` with ``batch`` and ``paid_on``: a ledger
# (e.g. transport applications) marks its own records paid from the lines' source_type/id.

BANK_HEADERS = ["序号", "姓名", "身份证号", "银行账号", "金额", "摘要"]


# --- helpers ---------------------------------------------------------------------------


def money(value) -> Decimal:
    """Decimal yuan, 2 places, ROUND_HALF_UP. Floats are refused: they are not exact."""
    if isinstance(value, float | bool) or value is None:
        raise DomainError("invalid_amount")
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError("invalid_amount") from None
    if not amount.is_finite():
        raise DomainError("invalid_amount")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _period_code(period) -> str:
    try:
        return parse_period(str(period)).code
    except PeriodError:
        raise DomainError("invalid_period") from None


def _locked(batch: PaymentBatch) -> PaymentBatch:
    """The batch row re-read under a row lock: the status the caller saw may be stale."""
    return PaymentBatch.objects.select_for_update().select_related("area").get(pk=batch.pk)


def _require_batch(actor, batch: PaymentBatch, perm: str) -> None:
    require_perm(actor, perm)
    require_area(actor, batch.area, perm)


def _batch_data(batch: PaymentBatch, **extra) -> dict:
    return {
        "kind": batch.kind,
        "area": batch.area.code,
        "period": batch.period,
        "status": batch.status,
        "total_amount": str(batch.total_amount),
        "line_count": batch.line_count,
        **extra,
    }


# --- batches ---------------------------------------------------------------------------


def _get_or_create_batch(actor, kind: str, area, period: str) -> tuple[PaymentBatch, bool]:
    existing = PaymentBatch.objects.filter(kind=kind, area=area, period=period).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            batch = PaymentBatch.objects.create(
                kind=kind, area=area, period=period, created_by=actor, updated_by=actor
            )
    except IntegrityError:  # someone else opened it a moment ago
        return PaymentBatch.objects.get(kind=kind, area=area, period=period), False
    audit.record("assistance.batch_opened", actor=actor, obj=batch, data=_batch_data(batch))
    return batch, True


@transaction.atomic
def do_open_batch(*, actor, kind: str, area, period) -> PaymentBatch:
    """The batch of ``kind`` for ``area`` and ``period``; opened when there is none yet."""
    require_perm(actor, Perm.PREPARE_PAYMENTS)
    require_area(actor, area, Perm.PREPARE_PAYMENTS)
    if kind not in PaymentKind.values:
        raise DomainError("invalid_payment_kind")
    batch, _created = _get_or_create_batch(actor, kind, area, _period_code(period))
    return batch


def _insert_line(batch, *, actor, person, amount, note, source_type, source_id, reverses=None):
    """Insert one line and keep the batch totals in step (caller holds the batch lock).
    Returns (line, created)."""
    if reverses is None:
        existing = PaymentLine.objects.filter(
            kind=batch.kind, period=batch.period, person=person, reverses__isnull=True
        ).first()
        if existing is not None:
            return existing, False
    line = _create_line(
        batch,
        actor=actor,
        person=person,
        amount=amount,
        note=note,
        source_type=source_type,
        source_id=source_id,
        reverses=reverses,
    )
    if line is None:  # a concurrent request added the same person first
        if reverses is not None:
            raise DomainError("already_reversed")
        return (
            PaymentLine.objects.get(
                kind=batch.kind, period=batch.period, person=person, reverses__isnull=True
            ),
            False,
        )
    _add_to_totals(batch, actor=actor, amount=amount, lines=1)
    return line, True


def _create_line(batch, *, actor, person, amount, note, source_type, source_id, reverses=None):
    """The new line, or None when the person/kind/period line exists (unique constraint)."""
    try:
        with transaction.atomic():
            return PaymentLine.objects.create(
                batch=batch,
                kind=batch.kind,
                period=reverses.period if reverses is not None else batch.period,
                person=person,
                household=person.household,
                amount=amount,
                note=(note or "")[:200],
                source_type=(source_type or "")[:40],
                source_id=source_id,
                reverses=reverses,
                created_by=actor,
                updated_by=actor,
            )
    except IntegrityError:
        return None


def _add_to_totals(batch, *, actor, amount, lines: int) -> None:
    """Every added line moves the total, the count and the version by one step."""
    PaymentBatch.objects.filter(pk=batch.pk).update(
        total_amount=F("total_amount") + amount,
        line_count=F("line_count") + lines,
        version=F("version") + lines,
        updated_at=timezone.now(),
        updated_by=actor,
    )


def _check_line(batch: PaymentBatch, person, amount) -> Decimal:
    if batch.status != BatchStatus.DRAFT:
        raise DomainError("batch_not_draft")
    if not person.household.village.path.startswith(batch.area.path):
        raise DomainError("person_not_in_area")
    amount = money(amount)
    if amount < 0:
        raise DomainError("invalid_amount")
    return amount


@transaction.atomic
def do_add_line(
    batch: PaymentBatch,
    *,
    actor,
    person,
    amount,
    note: str = "",
    source_type: str = "",
    source_id=None,
) -> PaymentLine:
    """Add a line for ``person``. The same person, kind and period twice yields one line:
    the existing line is returned unchanged (whichever batch of that kind holds it)."""
    _require_batch(actor, batch, Perm.PREPARE_PAYMENTS)
    batch = _locked(batch)
    amount = _check_line(batch, person, amount)
    line, created = _insert_line(
        batch,
        actor=actor,
        person=person,
        amount=amount,
        note=note,
        source_type=source_type,
        source_id=source_id,
    )
    if created:
        audit.record(
            "assistance.payment_line_added",
            actor=actor,
            obj=line,
            data={"batch": str(batch.public_id), "amount": str(amount), "person": person.id_masked},
        )
    return line


def add_lines(batch: PaymentBatch, *, actor, items) -> int:
    """For the ledgers' batch builders: add many lines under one lock and one audit row.
    ``items`` yields dicts with person, amount, note, source_type, source_id. Returns the
    number of lines created (existing person/kind/period lines are skipped).

    The lines already paid this kind and period are read once, and the batch totals move
    once at the end (the lock is held throughout), instead of a query pair per line."""
    _require_batch(actor, batch, Perm.PREPARE_PAYMENTS)
    batch = _locked(batch)
    paid = set(
        PaymentLine.objects.filter(
            kind=batch.kind, period=batch.period, reverses__isnull=True
        ).values_list("person_id", flat=True)
    )
    created_count = 0
    total = Decimal("0.00")
    for item in items:
        person = item["person"]
        amount = _check_line(batch, person, amount=item["amount"])
        if person.pk in paid:
            continue
        paid.add(person.pk)
        line = _create_line(
            batch,
            actor=actor,
            person=person,
            amount=amount,
            note=item.get("note", ""),
            source_type=item.get("source_type", ""),
            source_id=item.get("source_id"),
        )
        if line is not None:
            created_count += 1
            total += amount
    if created_count:
        _add_to_totals(batch, actor=actor, amount=total, lines=created_count)
        audit.record(
            "assistance.payment_lines_added",
            actor=actor,
            obj=batch,
            data={"lines": created_count, "amount": str(total)},
        )
    return created_count


def _makers(batch: PaymentBatch) -> set:
    """Everyone who prepared the batch: its opener and whoever added a line."""
    makers = set(batch.lines.values_list("created_by_id", flat=True))
    makers.add(batch.created_by_id)
    return makers


def can_approve(batch: PaymentBatch, actor) -> bool:
    """For the UI: maker ≠ checker."""
    return actor.pk not in _makers(batch)


@transaction.atomic
def do_approve_batch(batch: PaymentBatch, *, actor) -> PaymentBatch:
    """审批: draft → approved. The row lock makes two concurrent approvals one success and
    one ``illegal_transition``."""
    _require_batch(actor, batch, Perm.APPROVE_PAYMENTS)
    locked = _locked(batch)
    check_batch_transition(locked.status, BatchStatus.APPROVED)
    if actor.pk in _makers(locked):
        raise DomainError("maker_is_checker")
    if locked.line_count == 0:
        raise DomainError("batch_empty")
    locked.status = BatchStatus.APPROVED
    locked.approved_at = timezone.now()
    locked.approved_by = actor
    locked.updated_by = actor
    locked.version += 1
    locked.save(
        update_fields=[
            "status",
            "approved_at",
            "approved_by",
            "updated_by",
            "version",
            "updated_at",
        ]
    )
    audit.record("assistance.batch_approved", actor=actor, obj=locked, data=_batch_data(locked))
    return locked


def bank_filename(batch: PaymentBatch) -> str:
    return f"payment-{batch.kind}-{batch.area.code}-{batch.period}.xlsx"


def _bank_rows(batch: PaymentBatch) -> tuple[list[list], list[str]]:
    rows, warnings = [], []
    lines = batch.lines.select_related("person").order_by("household__number", "id")
    kind_label = str(PaymentKind(batch.kind).label)
    for index, line in enumerate(lines, start=1):
        person = line.person
        account = (person.bank_account or "").strip()
        if not account:
            warnings.append(
                _("第%(row)s行 %(name)s：缺少银行账号，请补录后再交银行。")
                % {"row": index, "name": person.name}
            )
        summary = f"{line.period}{kind_label}"
        if line.reverses_id:
            summary += _("（冲正）")
        rows.append([index, person.name, person.id_number, account, line.amount, summary])
    return rows, warnings


def _write_bank_file(batch: PaymentBatch, rows: list[list], warnings: list[str]) -> bytes:
    """Sheet 代发明细 for the bank; sheet 核对提示 with the total and missing accounts.
    Text cells go through the formula-escaping writer (lib.xlsx.write_cell)."""
    buffer = io.BytesIO()
    with XlsxWriter(buffer) as writer:
        amount_format = writer.book.add_format({"num_format": "0.00"})
        sheet = writer.add_sheet(_("代发明细"), BANK_HEADERS, widths=[6, 12, 22, 26, 12, 30])
        for row in rows:
            for col, value in enumerate(row):
                fmt = amount_format if col == 4 else None
                write_cell(sheet.worksheet, sheet.next_row, col, value, writer, fmt)
            sheet.next_row += 1
        notes = writer.add_sheet(_("核对提示"), [_("提示")], widths=[70])
        total = _("合计%(count)s笔，%(total)s元。") % {
            "count": len(rows),
            "total": batch.total_amount,
        }
        notes.append([total])
        for warning in warnings:
            notes.append([warning])
    return buffer.getvalue()


@transaction.atomic
def export_bank_file(batch: PaymentBatch, *, actor) -> bytes:
    """银行代发文件 (.xlsx): approved → exported; an exported batch may be exported again.
    The file carries full ID numbers and bank accounts (the bank needs them), so it takes
    the approval permission and every export is audited with its row count."""
    _require_batch(actor, batch, Perm.APPROVE_PAYMENTS)
    locked = _locked(batch)
    check_batch_transition(locked.status, BatchStatus.EXPORTED)
    again = locked.status == BatchStatus.EXPORTED
    rows, warnings = _bank_rows(locked)
    data = _write_bank_file(locked, rows, warnings)
    if not again:
        locked.status = BatchStatus.EXPORTED
        locked.exported_at = timezone.now()
        locked.updated_by = actor
        locked.version += 1
        locked.save(update_fields=["status", "exported_at", "updated_by", "version", "updated_at"])
    audit.record(
        "assistance.batch_exported",
        actor=actor,
        obj=locked,
        data=_batch_data(
            locked,
            rows=len(rows),
            missing_accounts=len(warnings),
            re_export=again,
            fields=BANK_HEADERS,
        ),
    )
    return data


@transaction.atomic
def do_mark_paid(batch: PaymentBatch, *, actor, paid_on: datetime.date) -> PaymentBatch:
    """已发放: exported → paid, on the day the bank paid out."""
    _require_batch(actor, batch, Perm.APPROVE_PAYMENTS)
    locked = _locked(batch)
    check_batch_transition(locked.status, BatchStatus.PAID)
    # Not checked against the export time: ledgers are also back-filled (paid last year,
    # recorded now), so only a day in the future is impossible.
    if not isinstance(paid_on, datetime.date) or paid_on > timezone.localdate():
        raise DomainError("invalid_paid_on")
    locked.status = BatchStatus.PAID
    locked.paid_on = paid_on
    locked.updated_by = actor
    locked.version += 1
    locked.save(update_fields=["status", "paid_on", "updated_by", "version", "updated_at"])
    audit.record(
        "assistance.batch_paid", actor=actor, obj=locked, data=_batch_data(locked, paid_on=paid_on)
    )
    return locked


# --- reversal --------------------------------------------------------------------------


def correction_periods(period: str) -> list[str]:
    """2023-06 → 2023-06R, 2023-06R2, … (the candidates for the correction batch)."""
    base = period.split(CORRECTION_SUFFIX)[0]
    return [f"{base}{CORRECTION_SUFFIX}"] + [
        f"{base}{CORRECTION_SUFFIX}{n}" for n in range(2, MAX_CORRECTION_BATCHES + 1)
    ]


def _correction_batch(actor, original: PaymentBatch) -> PaymentBatch:
    for period in correction_periods(original.period):
        batch, _created = _get_or_create_batch(actor, original.kind, original.area, period)
        if batch.status == BatchStatus.DRAFT:
            return batch
    raise DomainError("illegal_transition")


@transaction.atomic
def do_reverse_line(line: PaymentLine, *, actor, reason: str) -> PaymentLine:
    """冲正 a paid line: a negative line in the correction batch (see the module docstring)."""
    original_batch = line.batch
    _require_batch(actor, original_batch, Perm.PREPARE_PAYMENTS)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_missing")
    line = PaymentLine.objects.select_for_update().select_related("batch", "person").get(pk=line.pk)
    if line.batch.status != BatchStatus.PAID or line.reverses_id is not None:
        raise DomainError("reverse_not_paid")
    if PaymentLine.objects.filter(reverses=line).exists():
        raise DomainError("already_reversed")
    correction = _locked(_correction_batch(actor, line.batch))
    reversal, _created = _insert_line(
        correction,
        actor=actor,
        person=line.person,
        amount=-line.amount,
        note=reason,
        source_type=line.source_type,
        source_id=line.source_id,
        reverses=line,
    )
    audit.record(
        "assistance.payment_line_reversed",
        actor=actor,
        obj=reversal,
        data={
            "reverses": str(line.public_id),
            "batch": str(correction.public_id),
            "amount": str(reversal.amount),
            "reason": reason[:200],
        },
    )
    return reversal


def lines_query(batch: PaymentBatch):
    """Lines of a batch in display order (the caller already holds the batch)."""
    return batch.lines.select_related("person", "household", "reverses").order_by(
        "household__number", "id"
    )

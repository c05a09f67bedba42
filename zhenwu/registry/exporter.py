"""Export the households and members a user may see, in the import layout (registry.columns).

Scoped through accounts.policy like every read of personal data; needs ``registry.export``;
ID numbers, phones and bank accounts are masked unless the user may reveal them and types
a reason; health, disability, bank and income columns are left out for users without the
matching permission (SECURITY.md 4, 10, 12); text cells are formula-escaped; audited as
``registry.export`` with the row counts and the columns.
"""

import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import QuerySet
from django.utils import translation

from zhenwu.accounts.policy import area_in_scope, has_perm, highest_area, scoped
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditOutcome
from zhenwu.lib.masking import mask_bank_account, mask_phone
from zhenwu.lib.xlsx import XlsxWriter
from zhenwu.registry.choices import RiskType
from zhenwu.registry.columns import (
    HOUSEHOLD_COLUMNS,
    HOUSEHOLD_SHEET,
    INCOME_COLUMNS,
    INCOME_SHEET,
    MEMBER_COLUMNS,
    MEMBER_SHEET,
    Column,
)
from zhenwu.registry.importer import console_user
from zhenwu.registry.models import Household, IncomeRecord, Person
from zhenwu.registry.selectors import visible_households, visible_persons

SENSITIVE_FIELDS = {"health", "disability"}
BANK_FIELDS = {"bank_account"}
MIN_REASON = 4
CHUNK = 2_000


@dataclass
class ExportResult:
    area: Area
    rows: dict = field(default_factory=dict)  # households, persons, incomes
    fields: list[str] = field(default_factory=list)
    masked: bool = True
    content: bytes | None = None  # when no target was given


@dataclass(frozen=True)
class _Rights:
    sensitive: bool
    bank: bool
    unmasked: bool


def export_households(
    *,
    actor,
    area: Area | None = None,
    target: str | Path | io.BytesIO | None = None,
    unmasked: bool = False,
    reason: str = "",
) -> ExportResult:
    """Write the workbook to ``target`` (or return its bytes). ``actor=None`` is the server
    console: everything under ``area``, still audited."""
    area = area or (highest_area(actor, Perm.EXPORT_REGISTRY) if actor is not None else None)
    if area is None:
        raise DomainError("out_of_scope")
    rights = _authorize(actor, area, unmasked, reason)
    buffer = target if target is not None else io.BytesIO()
    result = ExportResult(area=area, masked=not rights.unmasked)
    with translation.override("zh-hans"), XlsxWriter(buffer) as writer:
        households = _households(actor, area)
        result.rows["households"] = _write(
            writer, HOUSEHOLD_SHEET, HOUSEHOLD_COLUMNS, households.iterator(CHUNK), rights, result
        )
        persons = _persons(actor, area, rights)
        result.rows["persons"] = _write(
            writer, MEMBER_SHEET, _member_columns(rights), persons.iterator(CHUNK), rights, result
        )
        if rights.sensitive:
            incomes = _incomes(actor, area)
            result.rows["incomes"] = _write(
                writer, INCOME_SHEET, INCOME_COLUMNS, incomes.iterator(CHUNK), rights, result
            )
    _audit(actor, area, AuditOutcome.SUCCESS, result, reason if rights.unmasked else "")
    if target is None:
        result.content = buffer.getvalue()
    return result


def _authorize(actor, area: Area, unmasked: bool, reason: str) -> _Rights:
    if actor is None:
        return _Rights(sensitive=True, bank=True, unmasked=unmasked)
    code = None
    if not has_perm(actor, Perm.EXPORT_REGISTRY):
        code = "permission_denied"
    elif not area_in_scope(actor, area, Perm.EXPORT_REGISTRY):
        code = "out_of_scope"
    elif unmasked and not area_in_scope(actor, area, Perm.REVEAL_IDENTITY):
        code = "permission_denied"
    elif unmasked and len((reason or "").strip()) < MIN_REASON:
        raise DomainError("reason_required")
    if code is not None:
        _audit(actor, area, AuditOutcome.DENIED, ExportResult(area=area, masked=not unmasked))
        raise DomainError(code)
    return _Rights(
        sensitive=area_in_scope(actor, area, Perm.VIEW_SENSITIVE),
        bank=area_in_scope(actor, area, Perm.VIEW_BANK),
        unmasked=unmasked,
    )


def _audit(actor, area: Area, outcome: str, result: ExportResult, reason: str = "") -> None:
    data = {
        "area": area.code,
        "rows": result.rows,
        "fields": result.fields,
        "masked": result.masked,
        "format": "xlsx",
    }
    if reason:
        data["reason"] = reason.strip()[:200]
    audit.record(
        "registry.export",
        actor=actor,
        outcome=outcome,
        object_type="areas.area",
        object_id=area.code,
        username="" if actor is not None else console_user(),
        data=data,
    )


# --- what is exported ------------------------------------------------------------------------


def _households(actor, area: Area) -> QuerySet[Household]:
    qs = (
        visible_households(actor, Perm.EXPORT_REGISTRY)
        if actor is not None
        else Household.objects.select_related("village")
    )
    return qs.filter(village__path__startswith=area.path).order_by("village__code", "number")


def _persons(actor, area: Area, rights: _Rights) -> QuerySet[Person]:
    qs = (
        visible_persons(actor, Perm.EXPORT_REGISTRY)
        if actor is not None
        else Person.objects.select_related("household")
    )
    # Encrypted columns that will not be written are not even decrypted.
    deferred = [] if rights.unmasked else ["id_number"]
    if not rights.sensitive:
        deferred += sorted(SENSITIVE_FIELDS)
    if not rights.bank:
        deferred += sorted(BANK_FIELDS)
    return (
        qs.filter(household__village__path__startswith=area.path)
        .defer(*deferred)
        .order_by("household__village__code", "household__number", "pk")
    )


def _incomes(actor, area: Area) -> QuerySet[IncomeRecord]:
    qs = IncomeRecord.objects.select_related("household")
    if actor is not None:
        qs = scoped(qs, actor, Perm.EXPORT_REGISTRY, "household__village")
    return qs.filter(household__village__path__startswith=area.path).order_by(
        "household__number", "year"
    )


def _member_columns(rights: _Rights) -> list[Column]:
    left_out = (set() if rights.sensitive else SENSITIVE_FIELDS) | (
        set() if rights.bank else BANK_FIELDS
    )
    return [column for column in MEMBER_COLUMNS if column.field not in left_out]


def _write(writer: XlsxWriter, name: str, columns: list[Column], objs, rights, result) -> int:
    sheet = writer.add_sheet(name, [column.header for column in columns])
    result.fields += [f"{name}.{column.header}" for column in columns]
    cells = [_cell_reader(column, rights) for column in columns]
    count = 0
    for obj in objs:
        sheet.append([read(obj) for read in cells])
        count += 1
    return count


def _cell_reader(column: Column, rights: _Rights):
    """obj → the cell as a person would type it (labels, 是/否, masked identifiers)."""
    name = column.field
    if column.kind == "choice":
        labels = {value: str(label) for value, label in column.choices.choices}
        return lambda obj: labels.get(getattr(obj, name), getattr(obj, name))
    if column.kind == "bool":
        return lambda obj: "是" if getattr(obj, name) else "否"
    if column.kind == "risks":
        labels = {value: str(label) for value, label in RiskType.choices}
        return lambda obj: "、".join(labels.get(r, r) for r in obj.risks or [])
    if column.kind == "village":
        return lambda obj: obj.village.name
    if column.kind == "id_number":
        return (lambda obj: obj.id_number) if rights.unmasked else (lambda obj: obj.id_masked)
    if name == "household_number":
        return lambda obj: obj.household.number
    if name == "phone" and not rights.unmasked:
        return lambda obj: mask_phone(obj.phone)
    if name == "bank_account" and not rights.unmasked:
        return lambda obj: mask_bank_account(obj.bank_account)
    return lambda obj: getattr(obj, name)

"""Effective-dated values per area (政策参数): the one mechanism behind the monitoring
parameters and the assistance settings.

A value set for an area holds for its whole subtree. To resolve a key for an area on a day,
the most specific area of the ancestry with a row valid that day wins, then the latest
``valid_from``. Setting a value closes the previous open-ended row of the same area and key
the day before. The model needs ``area``, ``key``, ``value``, ``valid_from``, ``valid_to``,
``is_sample``, ``source`` and the BaseModel fields.
"""

import csv
import datetime
import getpass
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.lib.dates import parse_date

ONE_DAY = datetime.timedelta(days=1)
CSV_COLUMNS = ("area_code", "key", "value", "valid_from", "valid_to", "is_sample", "source")


def ancestor_paths(area) -> list[str]:
    """'/360000/360700/360704/' → ['/360000/', '/360000/360700/', '/360000/360700/360704/']."""
    codes = [code for code in area.path.split("/") if code]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def valid_on(on: datetime.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def console_user() -> str:
    """Who ran a console load, for the audit row (the OS account)."""
    try:
        return "console:" + getpass.getuser()
    except (KeyError, OSError):
        return "console"


def rank(row) -> tuple:
    """Most specific area first, then the latest start."""
    return (row.area.path.count("/"), row.valid_from)


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class EffectiveValues:
    """One table of effective-dated values: ``model``, its key enumeration, the area levels
    a value may be set on, the DomainError code for a missing key and the audit event."""

    model: type
    keys: type
    levels: tuple
    missing_code: str
    audit_event: str

    def values_on(self, area, on: datetime.date) -> dict[str, Decimal]:
        rows = self.model.objects.filter(valid_on(on), area__path__in=ancestor_paths(area))
        best: dict[str, tuple] = {}
        for row in rows.select_related("area"):
            if row.key not in best or rank(row) > best[row.key][0]:
                best[row.key] = (rank(row), row.value)
        return {key: value for key, (_rank, value) in best.items()}

    def value(self, area, key: str, on: datetime.date) -> Decimal:
        value = self.values_on(area, on).get(key)
        if value is None:
            label = self.keys(key).label if key in self.keys.values else key
            raise DomainError(self.missing_code, key=label)
        return value

    # --- writes ------------------------------------------------------------------------------

    def store(self, *, actor, area, key, value, valid_from, valid_to, source, is_sample) -> str:
        """Create or correct the row (area, key, valid_from), keeping periods apart. Returns
        "created", "updated" or "unchanged" (then nothing is written or audited)."""
        if key not in self.keys.values:
            raise DomainError("parameter_invalid")
        if area is None or area.level not in self.levels:
            raise DomainError("area_level")
        value = _as_decimal(value)
        rows = list(
            self.model.objects.select_for_update().filter(area=area, key=key).order_by("valid_from")
        )
        later = [r for r in rows if r.valid_from > valid_from]
        if valid_to is None and later:
            valid_to = later[0].valid_from - ONE_DAY
        if valid_to is not None and valid_to < valid_from:
            raise DomainError("parameter_dates")
        row = next((r for r in rows if r.valid_from == valid_from), None)
        before = _row_view(row) if row else None
        if row is None:
            row = self.model(area=area, key=key, valid_from=valid_from, created_by=actor)
        row.value, row.valid_to = value, valid_to
        row.source, row.is_sample = source[:200], is_sample
        after = _row_view(row)
        if before == after:
            return "unchanged"
        closed = _close_previous(rows, valid_from, actor)
        row.updated_by = actor
        row.version = (row.version or 0) + (1 if before else 0)
        row.save()
        data = {"area": area.code, "key": key, "after": after}
        if before:
            data["before"] = before
        if closed:
            data["closed"] = closed
        username = "" if actor is not None else console_user()
        audit.record(self.audit_event, actor=actor, obj=row, data=data, username=username)
        return "updated" if before else "created"

    @transaction.atomic
    def load_csv(self, source: Path | str | io.TextIOBase, *, find_area) -> LoadResult:
        """Server console only (no user, audited as the system): rows
        ``area_code,key,value,valid_from,valid_to,is_sample,source``; idempotent; a bad row
        loads nothing. ``find_area(code)`` returns the current area or None."""
        result = LoadResult()
        for line, row in _read_rows(source):
            area = find_area(row["area_code"].strip())
            if area is None:
                raise ValueError(f"line {line}: unknown area {row['area_code']}")
            outcome = self.store(
                actor=None,
                area=area,
                key=row["key"].strip(),
                value=row["value"],
                valid_from=row["valid_from"],
                valid_to=parse_date(row.get("valid_to")),
                source=(row.get("source") or "").strip(),
                is_sample=(row.get("is_sample") or "").strip() in {"1", "true", "yes"},
            )
            setattr(result, outcome, getattr(result, outcome) + 1)
        return result


def _as_decimal(value) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise DomainError("parameter_invalid") from None
    if not number.is_finite() or number < 0:
        raise DomainError("parameter_invalid")
    return number


def _row_view(row) -> dict:
    return {
        "value": format(row.value.normalize(), "f"),
        "valid_from": row.valid_from,
        "valid_to": row.valid_to,
        "is_sample": row.is_sample,
        "source": row.source,
    }


def _close_previous(rows, valid_from, actor) -> dict | None:
    """The latest earlier row ends the day before the new one starts."""
    earlier = [r for r in rows if r.valid_from < valid_from]
    if not earlier:
        return None
    previous = earlier[-1]
    if previous.valid_to is not None and previous.valid_to < valid_from:
        return None
    previous.valid_to = valid_from - ONE_DAY
    previous.updated_by = actor
    previous.version += 1
    previous.save(update_fields=["valid_to", "updated_by", "version", "updated_at"])
    return {"valid_from": previous.valid_from, "valid_to": previous.valid_to}


def _read_rows(source) -> list[tuple[int, dict]]:
    handle = open(source, encoding="utf-8-sig") if isinstance(source, str | Path) else source
    with handle:
        rows = list(enumerate(csv.DictReader(handle), start=2))
    for line, row in rows:
        missing = [c for c in CSV_COLUMNS[:4] if not (row.get(c) or "").strip()]
        if missing:
            raise ValueError(f"line {line}: missing {', '.join(missing)}")
        row["valid_from"] = parse_date(row["valid_from"])
    # Oldest first, so that each row closes the one before it.
    return sorted(rows, key=lambda item: item[1]["valid_from"])

"""政策参数: effective-dated values (income line, thresholds, deadlines) per area.

A value set for an area holds for its whole subtree. To resolve a key for a village on a
day, the most specific area of the village's ancestry that has a row valid that day wins
(a county override beats the province), then the latest ``valid_from``.

The bundled ``data/parameters_sample.csv`` carries SAMPLE values for 江西省 (is_sample=1):
Jiangxi's official lines were not found; an authorised officer replaces them.
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

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.lib.dates import parse_date
from zhenwu.monitoring.choices import ParameterKey
from zhenwu.monitoring.models import PolicyParameter

SAMPLE_CSV = Path(__file__).resolve().parent / "data" / "parameters_sample.csv"
ONE_DAY = datetime.timedelta(days=1)
# Parameters hold for a subtree: villages and groups get theirs from above.
PARAMETER_LEVELS = (AreaLevel.PROVINCE, AreaLevel.CITY, AreaLevel.COUNTY, AreaLevel.TOWNSHIP)


def ancestor_paths(area: Area) -> list[str]:
    """'/360000/360700/360704/' → ['/360000/', '/360000/360700/', '/360000/360700/360704/']."""
    codes = [code for code in area.path.split("/") if code]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def _valid_on(on: datetime.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def parameters_on(area: Area, on: datetime.date) -> dict[str, Decimal]:
    """Every key that has a value for ``area`` on ``on`` (most specific area, then latest)."""
    rows = PolicyParameter.objects.filter(_valid_on(on), area__path__in=ancestor_paths(area))
    best: dict[str, tuple] = {}
    for row in rows.select_related("area"):
        rank = (row.area.path.count("/"), row.valid_from)
        if row.key not in best or rank > best[row.key][0]:
            best[row.key] = (rank, row.value)
    return {key: value for key, (_, value) in best.items()}


class ParameterTable:
    """One key's rows for a set of areas, loaded in one query and resolved like
    ``parameter_value`` (for list pages: one query however many rows)."""

    def __init__(self, key: str, areas):
        paths = {path for area in areas for path in ancestor_paths(area)}
        self.rows = list(
            PolicyParameter.objects.filter(key=key, area__path__in=paths).select_related("area")
        )

    def value(self, area: Area, on: datetime.date, default=None):
        paths = set(ancestor_paths(area))
        best = None
        for row in self.rows:
            valid = row.valid_from <= on and (row.valid_to is None or row.valid_to >= on)
            if valid and row.area.path in paths:
                rank = (row.area.path.count("/"), row.valid_from)
                if best is None or rank > best[0]:
                    best = (rank, row.value)
        return best[1] if best else default


def parameter_value(area: Area, key: str, on: datetime.date) -> Decimal:
    """The value of ``key`` for ``area`` on ``on``; DomainError("parameter_missing")."""
    value = parameters_on(area, on).get(key)
    if value is None:
        label = ParameterKey(key).label if key in ParameterKey.values else key
        raise DomainError("parameter_missing", key=label)
    return value


def parameter_days(area: Area, key: str, on: datetime.date) -> int:
    """A deadline parameter (identification_days, notice_days, elimination_months) as int."""
    return int(parameter_value(area, key, on))


def console_user() -> str:
    """Who ran a console load, for the audit row (the OS account)."""
    try:
        return "console:" + getpass.getuser()
    except (KeyError, OSError):
        return "console"


# --- writes --------------------------------------------------------------------------------


def _as_decimal(value) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise DomainError("parameter_invalid") from None
    if not number.is_finite() or number < 0:
        raise DomainError("parameter_invalid")
    return number


def _row_view(row: PolicyParameter) -> dict:
    return {
        "value": format(row.value.normalize(), "f"),
        "valid_from": row.valid_from,
        "valid_to": row.valid_to,
        "is_sample": row.is_sample,
        "source": row.source,
    }


def _store(*, actor, area, key, value, valid_from, valid_to, source, is_sample) -> str:
    """Create or correct the row (area, key, valid_from) and keep the periods apart: the
    previous row ends the day before, an open end stops before the next row. Returns
    "created", "updated" or "unchanged" (then nothing is written or audited)."""
    if key not in ParameterKey.values:
        raise DomainError("parameter_invalid")
    if area is None or area.level not in PARAMETER_LEVELS:
        raise DomainError("area_level")
    value = _as_decimal(value)
    rows = list(
        PolicyParameter.objects.select_for_update()
        .filter(area=area, key=key)
        .order_by("valid_from")
    )
    later = [r for r in rows if r.valid_from > valid_from]
    if valid_to is None and later:
        valid_to = later[0].valid_from - ONE_DAY
    if valid_to is not None and valid_to < valid_from:
        raise DomainError("parameter_dates")
    row = next((r for r in rows if r.valid_from == valid_from), None)
    before = _row_view(row) if row else None
    if row is None:
        row = PolicyParameter(area=area, key=key, valid_from=valid_from, created_by=actor)
    row.value, row.valid_to, row.source, row.is_sample = value, valid_to, source[:200], is_sample
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
    audit.record("monitoring.parameter_set", actor=actor, obj=row, data=data, username=username)
    return "updated" if before else "created"


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


@transaction.atomic
def do_set_parameter(
    *, actor, area, key, value, valid_from, valid_to=None, source="", is_sample=False
) -> PolicyParameter:
    """Set a parameter from ``valid_from`` for ``area``'s subtree (Perm.EDIT_PARAMETERS, area
    in scope). The previous open-ended row of the same area and key ends the day before."""
    require_perm(actor, Perm.EDIT_PARAMETERS)
    require_area(actor, area, Perm.EDIT_PARAMETERS)
    _store(
        actor=actor,
        area=area,
        key=key,
        value=value,
        valid_from=valid_from,
        valid_to=valid_to,
        source=source,
        is_sample=is_sample,
    )
    return PolicyParameter.objects.get(area=area, key=key, valid_from=valid_from)


# --- loading the bundled (or a provincial) CSV -------------------------------------------------


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


CSV_COLUMNS = ("area_code", "key", "value", "valid_from", "valid_to", "is_sample", "source")


@transaction.atomic
def load_parameters_csv(source: Path | str | io.TextIOBase = SAMPLE_CSV) -> LoadResult:
    """Server console only (no user, audited as the system): load rows
    ``area_code,key,value,valid_from,valid_to,is_sample,source``. Re-loading is idempotent."""
    handle = open(source, encoding="utf-8-sig") if isinstance(source, str | Path) else source
    with handle:
        rows = list(csv.DictReader(handle))
    result = LoadResult()
    for line, row in enumerate(rows, start=2):
        missing = [c for c in CSV_COLUMNS[:4] if not (row.get(c) or "").strip()]
        if missing:
            raise ValueError(f"line {line}: missing {', '.join(missing)}")
        row["valid_from"] = parse_date(row["valid_from"])
    # Oldest first, so that each row closes the one before it.
    for line, row in sorted(enumerate(rows, start=2), key=lambda r: r[1]["valid_from"]):
        area = Area.objects.filter(code=row["area_code"].strip(), valid_to__isnull=True).first()
        if area is None:
            raise ValueError(f"line {line}: unknown area {row['area_code']}")
        outcome = _store(
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

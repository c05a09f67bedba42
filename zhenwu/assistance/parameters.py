"""帮扶政策参数: effective-dated values (loan limit, job ages, transport amounts) per area.

Resolution is the same as the monitoring parameters: a value set for an area holds for its
subtree; for a village on a day, the most specific area of its ancestry with a row valid that
day wins, then the latest ``valid_from``.

The bundled ``data/settings_sample.csv`` carries SAMPLE values for 江西省 (is_sample=1): an
authorised officer replaces them with the figures of the provincial documents.
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
from zhenwu.assistance.choices import SettingKey
from zhenwu.assistance.models import AssistanceSetting
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.lib.dates import parse_date

SAMPLE_CSV = Path(__file__).resolve().parent / "data" / "settings_sample.csv"
ONE_DAY = datetime.timedelta(days=1)
# Settings hold for a subtree: villages get theirs from above.
SETTING_LEVELS = (AreaLevel.PROVINCE, AreaLevel.CITY, AreaLevel.COUNTY, AreaLevel.TOWNSHIP)
CSV_COLUMNS = ("area_code", "key", "value", "valid_from", "valid_to", "is_sample", "source")


def ancestor_paths(area: Area) -> list[str]:
    """'/360000/360700/' → ['/360000/', '/360000/360700/']."""
    codes = [code for code in area.path.split("/") if code]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def _valid_on(on: datetime.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def settings_on(area: Area, on: datetime.date) -> dict[str, Decimal]:
    """Every key with a value for ``area`` on ``on`` (most specific area, then latest)."""
    rows = AssistanceSetting.objects.filter(_valid_on(on), area__path__in=ancestor_paths(area))
    best: dict[str, tuple] = {}
    for row in rows.select_related("area"):
        rank = (row.area.path.count("/"), row.valid_from)
        if row.key not in best or rank > best[row.key][0]:
            best[row.key] = (rank, row.value)
    return {key: value for key, (_rank, value) in best.items()}


def setting_value(area: Area, key: str, on: datetime.date) -> Decimal:
    """The value of ``key`` for ``area`` on ``on``; DomainError("setting_missing")."""
    value = settings_on(area, on).get(key)
    if value is None:
        label = SettingKey(key).label if key in SettingKey.values else key
        raise DomainError("setting_missing", key=label)
    return value


def console_user() -> str:
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


def _row_view(row: AssistanceSetting) -> dict:
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


def _store(*, actor, area, key, value, valid_from, valid_to, source, is_sample) -> str:
    """Create or correct the row (area, key, valid_from), keeping periods apart. Returns
    "created", "updated" or "unchanged" (then nothing is written or audited)."""
    if key not in SettingKey.values:
        raise DomainError("parameter_invalid")
    if area is None or area.level not in SETTING_LEVELS:
        raise DomainError("area_level")
    value = _as_decimal(value)
    rows = list(
        AssistanceSetting.objects.select_for_update()
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
        row = AssistanceSetting(area=area, key=key, valid_from=valid_from, created_by=actor)
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
    audit.record("assistance.setting_set", actor=actor, obj=row, data=data, username=username)
    return "updated" if before else "created"


@transaction.atomic
def do_set_setting(
    *, actor, area, key, value, valid_from, valid_to=None, source="", is_sample=False
) -> AssistanceSetting:
    """Set a setting from ``valid_from`` for ``area``'s subtree (Perm.EDIT_ASSISTANCE_SETTINGS,
    area in scope). The previous open-ended row of the same area and key ends the day before."""
    require_perm(actor, Perm.EDIT_ASSISTANCE_SETTINGS)
    require_area(actor, area, Perm.EDIT_ASSISTANCE_SETTINGS)
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
    return AssistanceSetting.objects.get(area=area, key=key, valid_from=valid_from)


# --- loading the bundled (or a provincial) CSV ----------------------------------------------


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


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


@transaction.atomic
def load_sample_settings(source: Path | str | io.TextIOBase = SAMPLE_CSV) -> LoadResult:
    """Server console only (no user, audited as the system): load rows
    ``area_code,key,value,valid_from,valid_to,is_sample,source``. Re-loading is idempotent;
    a bad row loads nothing."""
    result = LoadResult()
    for line, row in _read_rows(source):
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

"""指标目录、目标值与实际值填报 (issue 5 item 4).

``load_indicator_catalogue`` creates or updates the shipped catalogue
(``workplans/data/indicators.csv``). ``do_set_target`` (Perm.EDIT_PLANS) and
``do_record_measurement`` (Perm.ENTER_MEASUREMENTS) write one row per indicator, area and
period: entering again updates the row (optimistic locking with ``expected_version``).
Ratio indicators need a numerator and a denominator and store value = numerator /
denominator × 100 so that the township's figure is Σ numerators / Σ denominators.
"""

import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.db.models import F

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.lib.periods import PeriodError, parse_period
from zhenwu.workplans.aggregation import ratio_value
from zhenwu.workplans.choices import Aggregation, Direction, IndicatorSource
from zhenwu.workplans.models import Indicator, Measurement, Target

CATALOGUE_CSV = Path(__file__).resolve().parent.parent / "data" / "indicators.csv"
CATALOGUE_FIELDS = (
    "name",
    "unit",
    "aggregation",
    "direction",
    "source",
    "computed_key",
    "description",
)
PERCENT = "%"


def load_indicator_catalogue(path: Path | str = CATALOGUE_CSV) -> dict:
    """Create missing indicators and update changed ones; returns the counts. Idempotent."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with transaction.atomic():
        for row in rows:
            fields = {name: (row.get(name) or "").strip() for name in CATALOGUE_FIELDS}
            _check_catalogue_row(row["code"], fields)
            indicator = Indicator.objects.filter(code=row["code"].strip()).first()
            if indicator is None:
                Indicator.objects.create(code=row["code"].strip(), **fields)
                counts["created"] += 1
            elif any(getattr(indicator, k) != v for k, v in fields.items()):
                for key, value in fields.items():
                    setattr(indicator, key, value)
                indicator.version += 1
                indicator.save()
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        if counts["created"] or counts["updated"]:
            audit.record(
                "workplans.indicator_catalogue_loaded",
                object_type="workplans.indicator",
                data={k: v for k, v in counts.items()},
            )
    return counts


def _check_catalogue_row(code: str, fields: dict) -> None:
    if fields["aggregation"] not in Aggregation.values:
        raise ValueError(f"{code}: unknown aggregation {fields['aggregation']!r}")
    if fields["direction"] not in Direction.values:
        raise ValueError(f"{code}: unknown direction {fields['direction']!r}")
    if fields["source"] not in IndicatorSource.values:
        raise ValueError(f"{code}: unknown source {fields['source']!r}")
    if (fields["source"] == IndicatorSource.COMPUTED) != bool(fields["computed_key"]):
        raise ValueError(f"{code}: computed indicators and only they need a computed_key")


def number(value, code: str = "invalid_value") -> Decimal | None:
    """A Decimal from an int, Decimal or text; floats are refused (not exact)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float | bool):
        raise DomainError(code)
    try:
        result = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(code) from None
    if not result.is_finite() or abs(result) >= Decimal(10) ** 12:
        raise DomainError(code)
    return result


def period_code(period) -> str:
    try:
        return parse_period(str(period)).code
    except PeriodError:
        raise DomainError("invalid_period") from None


@transaction.atomic
def do_set_target(
    *, actor, indicator: Indicator, area, period, value, expected_version: int | None = None
) -> Target:
    """目标值 of ``indicator`` for ``area`` and ``period`` (created or replaced). With
    ``expected_version`` a stale form is refused (``conflict``); 0 means "no target yet"."""
    require_perm(actor, Perm.EDIT_PLANS)
    require_area(actor, area, Perm.EDIT_PLANS)
    code = period_code(period)
    amount = number(value)
    if amount is None:
        raise DomainError("invalid_value")
    if indicator.unit == PERCENT and not Decimal(0) <= amount <= Decimal(100):
        raise DomainError("invalid_value")
    target = Target.objects.select_for_update().filter(indicator=indicator, area=area, period=code)
    target = target.first()
    if expected_version is not None and expected_version != (
        0 if target is None else target.version
    ):
        raise DomainError("conflict")
    previous = None if target is None else str(target.value)
    if target is None:
        target = Target.objects.create(
            indicator=indicator,
            area=area,
            period=code,
            value=amount,
            created_by=actor,
            updated_by=actor,
        )
    else:
        target.value = amount
        target.updated_by = actor
        target.version = F("version") + 1
        target.save(update_fields=["value", "updated_by", "version", "updated_at"])
        target.refresh_from_db()
    audit.record(
        "workplans.target_set",
        actor=actor,
        obj=target,
        data={
            "indicator": indicator.code,
            "area": area.code,
            "period": code,
            "value": str(amount),
            "previous": previous,
        },
    )
    return target


def _measured(indicator: Indicator, value, numerator, denominator):
    """(value, numerator, denominator) to store, after the indicator's rules."""
    if indicator.aggregation == Aggregation.RATIO:
        numerator = number(numerator, "measurement_ratio_invalid")
        denominator = number(denominator, "measurement_ratio_invalid")
        if numerator is None or denominator is None:
            raise DomainError("measurement_ratio_required")
        if denominator <= 0 or numerator < 0:
            raise DomainError("measurement_ratio_invalid")
        if indicator.unit == PERCENT and numerator > denominator:
            raise DomainError("measurement_ratio_invalid")
        return ratio_value(numerator, denominator), numerator, denominator
    amount = number(value)
    if amount is None:
        raise DomainError("measurement_value_required")
    if amount < 0:
        raise DomainError("invalid_value")
    return amount, None, None


@transaction.atomic
def do_record_measurement(
    *,
    actor,
    indicator: Indicator,
    area,
    period,
    value=None,
    numerator=None,
    denominator=None,
    note: str = "",
    expected_version: int | None = None,
) -> Measurement:
    """实际值 of an entered indicator for ``area`` and ``period``. Entering again updates
    the row; with ``expected_version`` a stale form is refused (``conflict``)."""
    require_perm(actor, Perm.ENTER_MEASUREMENTS)
    require_area(actor, area, Perm.ENTER_MEASUREMENTS)
    if indicator.source != IndicatorSource.ENTERED:
        raise DomainError("indicator_computed")
    code = period_code(period)
    stored, num, den = _measured(indicator, value, numerator, denominator)
    note = (note or "").strip()[:200]
    row = (
        Measurement.objects.select_for_update()
        .filter(indicator=indicator, area=area, period=code)
        .first()
    )
    previous = None
    if row is None:
        if expected_version:
            raise DomainError("conflict")
        row = Measurement.objects.create(
            indicator=indicator,
            area=area,
            period=code,
            value=stored,
            numerator=num,
            denominator=den,
            note=note,
            created_by=actor,
            updated_by=actor,
        )
    else:
        if expected_version is not None and row.version != expected_version:
            raise DomainError("conflict")
        previous = _figures(row)
        row.value, row.numerator, row.denominator, row.note = stored, num, den, note
        row.updated_by = actor
        row.version += 1
        row.save()
    audit.record(
        "workplans.measurement_recorded",
        actor=actor,
        obj=row,
        data={
            "indicator": indicator.code,
            "area": area.code,
            "period": code,
            **_figures(row),
            "previous": previous,
        },
    )
    return row


def _figures(row: Measurement) -> dict:
    def text(value):
        return None if value is None else str(value)

    return {
        "value": text(row.value),
        "numerator": text(row.numerator),
        "denominator": text(row.denominator),
    }

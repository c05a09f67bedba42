"""How measurements add up (指标汇总), pure: no database.

Two directions use the same rules:

* across areas (村 → 镇 → 区) for one period, and
* across time (months → quarter / half-year / year) for one area.

Rules per ``Aggregation``:

* ``sum``: Σ value.
* ``average``: the mean of the values.
* ``ratio``: Σ numerator / Σ denominator × 100 — NEVER the mean of the rows' ratios
  (villages 9/10 and 1/100 give 10/110 = 9.09%, not 50%). Numerator and denominator are
  carried up so that the next level adds them again.
* ``latest``: the value of the latest period; when several rows share that period (areas
  at the same month) their values are added, because a stock figure of a township is the
  sum of its villages' stocks.
* ``minimum``: the smallest value.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from zhenwu.lib.periods import PeriodError, parse_period

PLACES = Decimal("0.0001")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Row:
    """One measured (or already aggregated) figure."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    period: str = ""


def ratio_value(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator) * HUNDRED).quantize(
        PLACES, rounding=ROUND_HALF_UP
    )


def _kind(indicator_or_kind) -> str:
    return str(getattr(indicator_or_kind, "aggregation", indicator_or_kind))


def _period_key(code: str):
    try:
        period = parse_period(code)
    except PeriodError:
        return (code, code)
    return (period.end, period.start)


def combine(indicator_or_kind, rows) -> Row | None:
    """The aggregate of ``rows`` as a Row (a ratio keeps its numerator and denominator), or
    None when there is nothing to aggregate."""
    kind = _kind(indicator_or_kind)
    rows = [
        r
        for r in rows
        if r is not None
        and (r.value is not None or (r.numerator is not None and r.denominator is not None))
    ]
    if not rows:
        return None
    period = max((r.period for r in rows), key=_period_key, default="")
    if kind == "ratio":
        rows = [r for r in rows if r.numerator is not None and r.denominator is not None]
        if not rows:
            return None
        numerator = sum((Decimal(r.numerator) for r in rows), Decimal(0))
        denominator = sum((Decimal(r.denominator) for r in rows), Decimal(0))
        return Row(ratio_value(numerator, denominator), numerator, denominator, period)
    values = [Decimal(r.value) for r in rows if r.value is not None]
    if not values:
        return None
    if kind == "sum":
        result = sum(values, Decimal(0))
    elif kind == "average":
        result = (sum(values, Decimal(0)) / len(values)).quantize(PLACES, rounding=ROUND_HALF_UP)
    elif kind == "minimum":
        result = min(values)
    elif kind == "latest":
        latest = _period_key(period)
        result = sum(
            (
                Decimal(r.value)
                for r in rows
                if r.value is not None and _period_key(r.period) == latest
            ),
            Decimal(0),
        )
    else:
        raise ValueError(f"unknown aggregation {kind!r}")
    return Row(result, None, None, period)


def aggregate(indicator_or_kind, rows) -> Decimal | None:
    """The aggregated value of ``rows`` (see the module docstring), or None."""
    row = combine(indicator_or_kind, rows)
    return None if row is None else row.value

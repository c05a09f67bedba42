"""Indicator values and target status (指标实际值与目标完成情况) for boards, reports and the API.

``indicator_value(indicator, area, period)``: the area's own measurement for the period if
one was entered; otherwise the area's own measurements of the period's months (then
quarters, then half-years) aggregated over time; otherwise the aggregate of its child
areas' values for the period (recursively). Over time a ratio adds the months' numerators
and denominators, a sum adds the months, ``latest`` takes the last month, ``average`` the
mean and ``minimum`` the smallest (``aggregation.py``). Computed indicators ask the module
that owns the figure (registry ``COMPUTED``), imported lazily: monitoring and assistance
never import workplans.

``target_status(indicator, area, period)``: the target of that period, else of the period's
year; ``met`` when the actual reaches it (direction-aware), ``on_track`` when a sum
indicator measured for part of the target's year has reached the pro-rata share, otherwise
``behind``; ``no_data`` without an actual, ``no_target`` without a target.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from zhenwu.areas.models import Area, AreaLevel
from zhenwu.areas.selectors import current
from zhenwu.lib.periods import Period, PeriodError, parse_period
from zhenwu.workplans.aggregation import Row, combine
from zhenwu.workplans.choices import Aggregation, Direction, IndicatorSource
from zhenwu.workplans.models import Indicator, Measurement, Target

MET, ON_TRACK, BEHIND, NO_DATA, NO_TARGET = "met", "on_track", "behind", "no_data", "no_target"
STATUS_LABELS = {
    MET: _("已达标"),
    ON_TRACK: _("进度正常"),
    BEHIND: _("未达标"),
    NO_DATA: _("无数据"),
    NO_TARGET: _("未设目标"),
}


# --- computed indicators ----------------------------------------------------------------


def _monitoring(figure_key: str):
    def provide(area: Area, period: Period):
        if area.level != AreaLevel.TOWNSHIP:
            return None  # the monitoring figures are the township's
        from zhenwu.monitoring.figures import period_figures

        for item in period_figures(area, period)["summary"]:
            if item["key"] == figure_key:
                return Decimal(item["value"]) if item.get("has_data", True) else None
        return None

    return provide


def _assistance(figure_key: str):
    def provide(area: Area, period: Period):
        from zhenwu.assistance.stats import assistance_figures

        item = assistance_figures(area, period)["figures"].get(figure_key)
        return None if item is None else Decimal(item["value"])

    return provide


# computed_key → provider(area, period) -> Decimal | None
COMPUTED = {
    "monitoring.newly_monitored_households": _monitoring("new_households"),
    "monitoring.newly_monitored_people": _monitoring("new_people"),
    "assistance.loan_borrowers": _assistance("loan_borrowers"),
    "assistance.job_people": _assistance("job_people"),
    "assistance.transport_recipients": _assistance("transport_people"),
}


def computed_value(indicator: Indicator, area: Area, period: Period) -> Decimal | None:
    provider = COMPUTED.get(indicator.computed_key)
    return None if provider is None else provider(area, period)


# --- values -------------------------------------------------------------------------------


def _period(period) -> Period:
    return period if isinstance(period, Period) else parse_period(str(period))


def _sub_periods(period: Period) -> list[list[str]]:
    """Finer period codes inside ``period``: months, then quarters, then half-years."""
    year = period.start.year
    months = [f"{m.year}-{m.month:02d}" for m in period.months()]
    options = [months] if period.kind != "month" else []
    if period.kind in ("half", "year"):
        quarters = sorted({f"{m.year}Q{(m.month - 1) // 3 + 1}" for m in period.months()})
        options.append(quarters)
    if period.kind == "year":
        options.append([f"{year}H1", f"{year}H2"])
    return options


class Values:
    """Values of indicators under one area for one period, read with few queries: all
    measurements of the subtree for the period and its sub-periods at once."""

    def __init__(self, indicators, root: Area, period):
        self.period = _period(period)
        self.indicators = list(indicators)
        self.root = root
        codes = {self.period.code} | {c for group in _sub_periods(self.period) for c in group}
        self._rows: dict[tuple, Row] = {}
        measurements = Measurement.objects.filter(
            indicator__in=[i for i in self.indicators if i.source == IndicatorSource.ENTERED],
            area__path__startswith=root.path,
            period__in=codes,
        ).values_list("indicator_id", "area_id", "period", "value", "numerator", "denominator")
        for indicator_id, area_id, code, value, numerator, denominator in measurements:
            self._rows[(indicator_id, area_id, code)] = Row(value, numerator, denominator, code)
        self._children: dict[int, list[Area]] = {}
        for area in current(Area.objects.filter(path__startswith=root.path)).order_by("code"):
            self._children.setdefault(area.parent_id, []).append(area)
        self._computed: dict[tuple, Decimal | None] = {}
        self._resolved: dict[tuple, Row | None] = {}

    def children(self, area: Area) -> list[Area]:
        return self._children.get(area.pk, [])

    def row(self, indicator: Indicator, area: Area) -> Row | None:
        key = (indicator.pk, area.pk)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(indicator, area)
        return self._resolved[key]

    def value(self, indicator: Indicator, area: Area) -> Decimal | None:
        row = self.row(indicator, area)
        return None if row is None else row.value

    def _resolve(self, indicator: Indicator, area: Area) -> Row | None:
        if indicator.source == IndicatorSource.COMPUTED:
            value = computed_value(indicator, area, self.period)
            return None if value is None else Row(value, None, None, self.period.code)
        own = self._rows.get((indicator.pk, area.pk, self.period.code))
        if own is not None:
            return own
        for codes in _sub_periods(self.period):
            parts = [self._rows.get((indicator.pk, area.pk, code)) for code in codes]
            if any(parts):
                return combine(indicator, parts)
        children = [self.row(indicator, child) for child in self.children(area)]
        combined = combine(indicator, children)
        if combined is not None:
            combined = Row(
                combined.value, combined.numerator, combined.denominator, self.period.code
            )
        return combined


def indicator_value(indicator: Indicator, area: Area, period) -> Decimal | None:
    """The value of ``indicator`` for ``area`` in ``period`` (module docstring)."""
    return Values([indicator], area, period).value(indicator, area)


# --- targets ------------------------------------------------------------------------------


def _target_codes(period: Period) -> list[str]:
    year = str(period.start.year)
    return [period.code] if period.code == year else [period.code, year]


@dataclass(frozen=True)
class Status:
    status: str
    actual: Decimal | None
    target: Decimal | None
    target_period: str = ""

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


def judge(indicator: Indicator, period: Period, actual, target: Target | None) -> Status:
    if target is None:
        return Status(NO_TARGET if actual is not None else NO_DATA, actual, None)
    if actual is None:
        return Status(NO_DATA, None, target.value, target.period)
    higher = indicator.direction == Direction.HIGHER_IS_BETTER
    if (actual >= target.value) if higher else (actual <= target.value):
        return Status(MET, actual, target.value, target.period)
    if target.period != period.code and higher and indicator.aggregation == Aggregation.SUM:
        share = Decimal(len(period.months())) / Decimal(len(parse_period(target.period).months()))
        if actual >= target.value * share:
            return Status(ON_TRACK, actual, target.value, target.period)
    return Status(BEHIND, actual, target.value, target.period)


def targets_for(indicators, areas, period: Period) -> dict[tuple, Target]:
    """(indicator id, area id) → the target that applies (the period's, else the year's)."""
    codes = _target_codes(period)
    found: dict[tuple, Target] = {}
    rows = Target.objects.filter(
        indicator__in=list(indicators), area__in=list(areas), period__in=codes
    )
    for target in sorted(rows, key=lambda t: codes.index(t.period), reverse=True):
        found[(target.indicator_id, target.area_id)] = target
    return found


def target_status(indicator: Indicator, area: Area, period) -> Status:
    period = _period(period)
    actual = indicator_value(indicator, area, period)
    target = targets_for([indicator], [area], period).get((indicator.pk, area.pk))
    return judge(indicator, period, actual, target)


# --- the board ----------------------------------------------------------------------------


def format_value(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "%":
        return f"{value:.2f}%"
    value = Decimal(value)
    text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value.normalize():,f}"
    return f"{text} {unit}"


def board_data(area: Area, period, indicators=None) -> dict:
    """Indicators × (the area, then its child areas): actual, target, status per cell."""
    period = _period(period)
    indicators = list(indicators if indicators is not None else Indicator.objects.all())
    values = Values(indicators, area, period)
    columns = [area, *values.children(area)] if area.level != AreaLevel.VILLAGE else [area]
    targets = targets_for(indicators, columns, period)
    rows = []
    for indicator in indicators:
        cells = []
        for column in columns:
            row = values.row(indicator, column)
            status = judge(
                indicator,
                period,
                None if row is None else row.value,
                targets.get((indicator.pk, column.pk)),
            )
            cells.append(
                {
                    "area": column,
                    "status": status,
                    "actual": format_value(status.actual, indicator.unit),
                    "target": format_value(status.target, indicator.unit),
                    "numerator": None if row is None else row.numerator,
                    "denominator": None if row is None else row.denominator,
                }
            )
        rows.append({"indicator": indicator, "cells": cells})
    return {"area": area, "period": period, "columns": columns, "rows": rows}


def safe_period(text, default: str) -> Period:
    try:
        return parse_period(text or default)
    except PeriodError:
        return parse_period(default)

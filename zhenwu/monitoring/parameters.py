"""政策参数: effective-dated values (income line, thresholds, deadlines) per area, on the
shared mechanism of ``core.effective`` (the most specific area of the ancestry with a row
valid that day wins, then the latest ``valid_from``).

The bundled ``data/parameters_sample.csv`` carries SAMPLE values for 江西省 (is_sample=1):
Jiangxi's official lines were not found; an authorised officer replaces them.
"""

import datetime
import io
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.core.effective import (
    EffectiveValues,
    LoadResult,
    ancestor_paths,
    console_user,
    rank,
)
from zhenwu.monitoring.choices import ParameterKey
from zhenwu.monitoring.models import PolicyParameter

SAMPLE_CSV = Path(__file__).resolve().parent / "data" / "parameters_sample.csv"
# Parameters hold for a subtree: villages and groups get theirs from above.
PARAMETER_LEVELS = (AreaLevel.PROVINCE, AreaLevel.CITY, AreaLevel.COUNTY, AreaLevel.TOWNSHIP)

PARAMETERS = EffectiveValues(
    model=PolicyParameter,
    keys=ParameterKey,
    levels=PARAMETER_LEVELS,
    missing_code="parameter_missing",
    audit_event="monitoring.parameter_set",
)

__all__ = [
    "SAMPLE_CSV",
    "LoadResult",
    "ParameterTable",
    "ancestor_paths",
    "console_user",
    "do_set_parameter",
    "load_parameters_csv",
    "parameter_days",
    "parameter_value",
    "parameters_on",
]


def parameters_on(area: Area, on: datetime.date) -> dict[str, Decimal]:
    """Every key that has a value for ``area`` on ``on``."""
    return PARAMETERS.values_on(area, on)


def parameter_value(area: Area, key: str, on: datetime.date) -> Decimal:
    """The value of ``key`` for ``area`` on ``on``; DomainError("parameter_missing")."""
    return PARAMETERS.value(area, key, on)


def parameter_days(area: Area, key: str, on: datetime.date) -> int:
    """A deadline parameter (identification_days, notice_days, elimination_months) as int."""
    return int(parameter_value(area, key, on))


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
        valid = [
            row
            for row in self.rows
            if row.area.path in paths
            and row.valid_from <= on
            and (row.valid_to is None or row.valid_to >= on)
        ]
        return max(valid, key=rank).value if valid else default


@transaction.atomic
def do_set_parameter(
    *, actor, area, key, value, valid_from, valid_to=None, source="", is_sample=False
) -> PolicyParameter:
    """Set a parameter from ``valid_from`` for ``area``'s subtree (Perm.EDIT_PARAMETERS, area
    in scope). The previous open-ended row of the same area and key ends the day before."""
    require_perm(actor, Perm.EDIT_PARAMETERS)
    require_area(actor, area, Perm.EDIT_PARAMETERS)
    PARAMETERS.store(
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


def load_parameters_csv(source: Path | str | io.TextIOBase = SAMPLE_CSV) -> LoadResult:
    """Server console only: load ``area_code,key,value,valid_from,valid_to,is_sample,source``
    rows (idempotent; a bad row loads nothing)."""
    return PARAMETERS.load_csv(source, find_area=_current_area)


def _current_area(code: str) -> Area | None:
    return Area.objects.filter(code=code, valid_to__isnull=True).first()

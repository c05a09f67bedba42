"""帮扶政策参数: effective-dated values (loan limit, job ages, transport amounts) per area, on
the shared mechanism of ``core.effective`` (same resolution as the monitoring parameters).

The bundled ``data/settings_sample.csv`` carries SAMPLE values for 江西省 (is_sample=1): an
authorised officer replaces them with the figures of the provincial documents.
"""

import datetime
import io
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.assistance.choices import SettingKey
from zhenwu.assistance.models import AssistanceSetting
from zhenwu.core.effective import EffectiveValues, LoadResult

SAMPLE_CSV = Path(__file__).resolve().parent / "data" / "settings_sample.csv"
# Settings hold for a subtree: villages get theirs from above.
SETTING_LEVELS = (AreaLevel.PROVINCE, AreaLevel.CITY, AreaLevel.COUNTY, AreaLevel.TOWNSHIP)

SETTINGS = EffectiveValues(
    model=AssistanceSetting,
    keys=SettingKey,
    levels=SETTING_LEVELS,
    missing_code="setting_missing",
    audit_event="assistance.setting_set",
)


def settings_on(area: Area, on: datetime.date) -> dict[str, Decimal]:
    """Every key with a value for ``area`` on ``on``."""
    return SETTINGS.values_on(area, on)


def setting_value(area: Area, key: str, on: datetime.date) -> Decimal:
    """The value of ``key`` for ``area`` on ``on``; DomainError("setting_missing")."""
    return SETTINGS.value(area, key, on)


@transaction.atomic
def do_set_setting(
    *, actor, area, key, value, valid_from, valid_to=None, source="", is_sample=False
) -> AssistanceSetting:
    """Set a setting from ``valid_from`` for ``area``'s subtree (Perm.EDIT_ASSISTANCE_SETTINGS,
    area in scope). The previous open-ended row of the same area and key ends the day before."""
    require_perm(actor, Perm.EDIT_ASSISTANCE_SETTINGS)
    require_area(actor, area, Perm.EDIT_ASSISTANCE_SETTINGS)
    SETTINGS.store(
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


def load_sample_settings(source: Path | str | io.TextIOBase = SAMPLE_CSV) -> LoadResult:
    """Server console only: load ``area_code,key,value,valid_from,valid_to,is_sample,source``
    rows (idempotent; a bad row loads nothing)."""
    return SETTINGS.load_csv(source, find_area=_current_area)


def _current_area(code: str) -> Area | None:
    return Area.objects.filter(code=code, valid_to__isnull=True).first()

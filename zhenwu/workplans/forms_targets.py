"""Forms of the target page (目标值设置): the picker (area, indicator, period) and the grid
with one row per area (the township, then each village): the current target prefilled,
blank = unchanged. Every row is checked before anything is saved; an error names the
village and the field."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenwu.registry.views_import import AreaChoiceForm
from zhenwu.workplans.choices import Aggregation
from zhenwu.workplans.forms_indicators import PERIOD_HELP, _clean_period

PERCENT = "%"
MAX_VALUE = Decimal(10) ** 12
MAX_PLACES = 4  # Target.value has 4 decimal places
DEFAULT_TARGET_PERIOD = "2023"
THOUSANDS = re.compile(r"^\d{1,3}([,，]\d{3})+(\.\d+)?$")  # 300,000 but never 95,5


class TargetPickForm(AreaChoiceForm):
    """Which targets: an area (its villages are the rows), an indicator and a period."""

    indicator = forms.ChoiceField(label=_("指标"))
    period = forms.CharField(
        label=_("期间"), max_length=10, initial=DEFAULT_TARGET_PERIOD, help_text=PERIOD_HELP
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = {i.code: i for i in indicators}
        self.fields["indicator"].choices = [(i.code, f"{i.name}（{i.unit}）") for i in indicators]

    def clean_indicator(self):
        return self.indicators[self.cleaned_data["indicator"]]

    def clean_period(self):
        return _clean_period(self.cleaned_data["period"])


def bounded(indicator) -> bool:
    """Percentages and ratios are 0–100."""
    return indicator.unit == PERCENT or indicator.aggregation == Aggregation.RATIO


class TargetGridForm(forms.Form):
    """``target_<area code>`` (text) and ``version_<area code>`` (hidden; 0 = no target yet)
    per row. ``changes`` after validation: [(area, value, expected_version)] for the rows
    whose value differs from the stored one."""

    def __init__(self, data=None, *, indicator, rows):
        super().__init__(data)
        self.indicator = indicator
        self.rows = rows  # [(area, Target | None)]
        self.changes: list[tuple] = []
        unit = indicator.unit
        for area, target in rows:
            self.fields[f"target_{area.code}"] = forms.CharField(
                label=_("%(area)s目标值（%(unit)s）") % {"area": area.name, "unit": unit},
                required=False,
                max_length=20,
                initial=_plain(target.value) if target else "",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            self.fields[f"version_{area.code}"] = forms.IntegerField(
                required=False,
                min_value=0,
                initial=target.version if target else 0,
                widget=forms.HiddenInput,
            )

    def row_fields(self):
        """(area, target, visible field, hidden version field) for the template."""
        return [
            (area, target, self[f"target_{area.code}"], self[f"version_{area.code}"])
            for area, target in self.rows
        ]

    def clean(self):
        cleaned = super().clean()
        self.changes = []
        for area, target in self.rows:
            name = f"target_{area.code}"
            text = (cleaned.get(name) or "").strip()
            if not text:
                continue  # blank = unchanged
            try:
                value = self._number(area, text)
            except forms.ValidationError as error:
                self.add_error(name, error)
                continue
            if target is not None and value == target.value:
                continue
            version = cleaned.get(f"version_{area.code}")
            self.changes.append((area, value, 0 if version is None else version))
        return cleaned

    def _number(self, area, text: str) -> Decimal:
        place = {"area": area.name}
        try:
            if THOUSANDS.match(text):
                text = text.replace(",", "").replace("，", "")
            value = Decimal(text)
        except (InvalidOperation, ValueError):
            raise forms.ValidationError(
                _("%(area)s：目标值须为数字。"), code="invalid", params=place
            ) from None
        if not value.is_finite() or value < 0 or value >= MAX_VALUE:
            raise forms.ValidationError(
                _("%(area)s：目标值须为不小于0的数字。"), code="invalid", params=place
            )
        if bounded(self.indicator) and value > 100:
            raise forms.ValidationError(
                _("%(area)s：目标值为百分比，须在0至100之间。"), code="range", params=place
            )
        if -value.as_tuple().exponent > MAX_PLACES:
            raise forms.ValidationError(
                _("%(area)s：目标值最多保留4位小数。"), code="places", params=place
            )
        return value


def _plain(value: Decimal) -> str:
    """50.0000 → "50", 12.5000 → "12.5" (no exponent)."""
    return format(value.normalize(), "f")

"""Forms of the indicator board: the area/period picker and the cadre's entry form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenwu.lib.periods import PeriodError, parse_period
from zhenwu.registry.views_import import AreaChoiceForm

DEFAULT_PERIOD = "2023H1"
RATIO_HINT = _("，分子/分母")
PERIOD_HELP = _("如 2023-06（月）、2023Q2（季度）、2023H1（半年）、2023（年）")


def _clean_period(text: str):
    try:
        return parse_period(text)
    except PeriodError:
        raise forms.ValidationError(
            _("期间格式不正确，应为 2023-06、2023Q2、2023H1 或 2023。")
        ) from None


class BoardForm(AreaChoiceForm):
    period = forms.CharField(
        label=_("期间"), max_length=10, initial=DEFAULT_PERIOD, help_text=PERIOD_HELP
    )

    def clean_period(self):
        return _clean_period(self.cleaned_data["period"])


class MeasurementForm(AreaChoiceForm):
    """One value: a village, a month (or other period), the indicator, and the value or —
    for a ratio — numerator and denominator."""

    period = forms.CharField(label=_("期间"), max_length=10, help_text=PERIOD_HELP)
    indicator = forms.ChoiceField(label=_("指标"))
    value = forms.CharField(label=_("数值"), max_length=20, required=False)
    numerator = forms.CharField(label=_("分子"), max_length=20, required=False)
    denominator = forms.CharField(label=_("分母"), max_length=20, required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    field_order = ["area", "period", "indicator", "value", "numerator", "denominator", "note"]

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = {i.code: i for i in indicators}
        self.fields["indicator"].choices = [
            (i.code, f"{i.name}（{i.unit}{RATIO_HINT if i.aggregation == 'ratio' else ''}）")
            for i in indicators
        ]
        for name in ("value", "numerator", "denominator"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal"})

    def clean_period(self):
        return _clean_period(self.cleaned_data["period"])

    def clean_indicator(self):
        return self.indicators[self.cleaned_data["indicator"]]

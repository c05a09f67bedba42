"""Forms of the 公益性岗位 pages. Validation of the business rules stays in the actions;
these only parse input."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenwu.assistance.choices import FundingLevel
from zhenwu.lib.periods import PeriodError, parse_period


class MonthField(forms.CharField):
    """``2023-06`` (what <input type="month"> sends) → the first day of that month."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2023-06"})

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            period = parse_period(text)
        except PeriodError:
            raise forms.ValidationError(_("月份格式不正确，应为“2023-06”。")) from None
        if period.kind != "month":
            raise forms.ValidationError(_("月份格式不正确，应为“2023-06”。"))
        return period.start


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PostForm(forms.Form):
    village = AreaChoiceField(label=_("行政村"), queryset=None, to_field_name="code")
    post_type = forms.CharField(
        label=_("岗位类型"),
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("如 保洁员、护路员、护林员、水管员")}),
    )
    funding_level = forms.ChoiceField(label=_("资金来源"), choices=FundingLevel.choices)
    monthly_subsidy = forms.DecimalField(
        label=_("月补贴（元）"), min_value=0, max_digits=12, decimal_places=2
    )
    capacity = forms.IntegerField(label=_("岗位数"), min_value=1, max_value=500, initial=1)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class VillageFilterForm(forms.Form):
    village = AreaChoiceField(
        label=_("行政村"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("全部"),
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.household.number} · {obj.id_masked}"


class AssignForm(forms.Form):
    person = PersonChoiceField(label=_("上岗人员"), queryset=None, to_field_name="public_id")
    start_on = forms.DateField(label=_("上岗日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = candidates


class EndJobForm(forms.Form):
    end_on = forms.DateField(label=_("离岗日期"), widget=forms.DateInput(attrs={"type": "date"}))


class SheetForm(forms.Form):
    """Which village and month the attendance sheet shows."""

    village = AreaChoiceField(label=_("行政村"), queryset=None, to_field_name="code")
    month = MonthField(label=_("月份"))

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class PayrollForm(forms.Form):
    area = AreaChoiceField(label=_("区域"), queryset=None, to_field_name="code")
    month = MonthField(label=_("月份"))

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


def default_month() -> str:
    """Last month: attendance is filled after the month ends."""
    first = datetime.date.today().replace(day=1)
    previous = first - datetime.timedelta(days=1)
    return previous.strftime("%Y-%m")

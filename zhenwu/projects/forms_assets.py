"""Forms of the 项目资产 pages. The business rules stay in ``actions.assets``; these only
parse input."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenwu.projects.choices import AssetType


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def year_choices():
    this_year = datetime.date.today().year
    return [("", _("全部"))] + [(str(y), str(y)) for y in range(this_year, 2015, -1)]


class AssetFilterForm(forms.Form):
    asset_type = forms.ChoiceField(
        label=_("资产类别"), required=False, choices=[("", _("全部")), *AssetType.choices]
    )
    area = AreaChoiceField(
        label=_("区域"), queryset=None, to_field_name="code", required=False, empty_label=_("全部")
    )
    year = forms.TypedChoiceField(
        label=_("登记年度"), required=False, coerce=int, empty_value=None, choices=year_choices
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class AssetForm(forms.Form):
    name = forms.CharField(label=_("资产名称"), max_length=200)
    asset_type = forms.ChoiceField(label=_("资产类别"), choices=AssetType.choices)
    value = forms.DecimalField(label=_("资产原值（元）"), max_digits=14, decimal_places=2)
    owner = forms.CharField(label=_("所有权人"), max_length=100)
    upkeep_by = forms.CharField(label=_("管护主体"), max_length=100, required=False)
    registered_on = forms.DateField(
        label=_("登记日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    household_number = forms.CharField(
        label=_("到户农户户编号"),
        max_length=32,
        required=False,
        help_text=_("仅到户类资产填写"),
    )


class IncomeForm(forms.Form):
    year = forms.IntegerField(label=_("收益年度"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("收益（元）"), max_digits=14, decimal_places=2)
    distribution = forms.CharField(
        label=_("分配情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

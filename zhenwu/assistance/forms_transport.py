"""Forms of the transport-subsidy pages (input validation only; ``actions.transport`` decides)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenwu.assistance.choices import ApplicationStatus, Destination
from zhenwu.assistance.forms_loans import ANY, DATE, IdNumberField

YEAR_RANGE = {"min_value": 2000, "max_value": 2100}


class TransportFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, **YEAR_RANGE)
    village = forms.ChoiceField(label=_("行政村"), required=False)
    destination = forms.ChoiceField(
        label=_("务工地域"), required=False, choices=ANY + Destination.choices
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=ANY + ApplicationStatus.choices
    )

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = ANY + [(v.code, v.name) for v in villages]


class ApplyForm(forms.Form):
    id_number = IdNumberField(label=_("务工人员身份证号"), required=False)
    year = forms.IntegerField(label=_("补贴年度"), **YEAR_RANGE)
    destination = forms.ChoiceField(label=_("务工地域"), choices=Destination.choices)
    employer = forms.CharField(label=_("务工单位"), max_length=200)
    months_worked = forms.IntegerField(label=_("务工月数"), min_value=0, max_value=12)
    evidence = forms.CharField(
        label=_("佐证材料"),
        max_length=200,
        required=False,
        help_text=_("如 劳动合同、工资流水、社保缴费记录"),
    )
    applied_on = forms.DateField(label=_("申报日期"), widget=DATE)


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RejectForm(DecisionForm):
    reason = forms.CharField(label=_("不予补贴原因"), max_length=200)


class BuildBatchForm(forms.Form):
    year = forms.IntegerField(label=_("补贴年度"), **YEAR_RANGE)

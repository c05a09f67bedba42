"""Forms of the 项目库 pages. They only parse input; the business rules live in
``actions/projects.py``."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenwu.projects.choices import (
    BudgetItem,
    FundingSourceKind,
    ProjectStatus,
    ProjectType,
    TargetDimension,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank(choices):
    return [("", _("全部")), *choices]


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ProjectFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    project_type = forms.ChoiceField(
        label=_("项目类型"), required=False, choices=_blank(ProjectType.choices)
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=_blank(ProjectStatus.choices)
    )
    area = AreaChoiceField(
        label=_("实施地点"),
        queryset=None,
        required=False,
        to_field_name="code",
        empty_label=_("全部"),
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class ProjectForm(forms.Form):
    """Create (with area and code) or edit (without; ``version`` for optimistic locking)."""

    area = AreaChoiceField(label=_("实施地点"), queryset=None, to_field_name="code")
    code = forms.CharField(label=_("项目编号"), max_length=40)
    name = forms.CharField(label=_("项目名称"), max_length=200)
    project_type = forms.ChoiceField(label=_("项目类型"), choices=ProjectType.choices)
    lead_unit = forms.CharField(label=_("实施单位"), max_length=100)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    planned_start_on = forms.DateField(label=_("计划开工"), required=False, widget=DATE)
    planned_end_on = forms.DateField(label=_("计划完工"), required=False, widget=DATE)
    description = forms.CharField(
        label=_("建设内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, areas=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["area"]
            del self.fields["code"]
        else:
            self.fields["area"].queryset = areas
            del self.fields["version"]


class AdvanceForm(forms.Form):
    to_status = forms.ChoiceField(choices=ProjectStatus.choices, widget=forms.HiddenInput)
    on = forms.DateField(label=_("日期"), widget=DATE, initial=datetime.date.today)
    version = forms.IntegerField(widget=forms.HiddenInput)


class FundingForm(forms.Form):
    source = forms.ChoiceField(label=_("资金来源"), choices=FundingSourceKind.choices)
    budget_item = forms.ChoiceField(label=_("支出科目"), choices=BudgetItem.choices)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=14, decimal_places=2)


class DisbursementForm(forms.Form):
    paid_on = forms.DateField(label=_("拨付日期"), widget=DATE, initial=datetime.date.today)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=14, decimal_places=2)
    voucher = forms.CharField(label=_("凭证号"), max_length=64)
    funding_source = forms.ModelChoiceField(
        label=_("资金来源"), queryset=None, required=False, to_field_name="public_id"
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    over_budget_reason = forms.CharField(
        label=_("超预算说明（仅审批人）"), max_length=200, required=False
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["funding_source"]
        field.queryset = project.funding_sources.all()
        field.label_from_instance = lambda f: f"{f.get_source_display()} {f.amount}"


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("节点"), max_length=100)
    due_on = forms.DateField(label=_("计划日期"), widget=DATE)


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("完成日期"), widget=DATE, initial=datetime.date.today)


class TargetForm(forms.Form):
    dimension = forms.ChoiceField(label=_("指标类别"), choices=TargetDimension.choices)
    indicator = forms.CharField(label=_("指标名称"), max_length=100)
    target_value = forms.CharField(label=_("目标值"), max_length=50)
    unit = forms.CharField(label=_("单位"), max_length=20, required=False)
    weight = forms.DecimalField(
        label=_("分值"), max_digits=5, decimal_places=1, min_value=0, max_value=100
    )


class ActualForm(forms.Form):
    actual_value = forms.CharField(label=_("实际值"), max_length=50)
    score = forms.DecimalField(
        label=_("得分"), max_digits=5, decimal_places=1, required=False, min_value=0
    )


class BenefitForm(forms.Form):
    households_benefiting = forms.IntegerField(label=_("受益户数"), min_value=0)
    lifted_households_benefiting = forms.IntegerField(
        label=_("受益脱贫户（监测户）数"), min_value=0
    )
    jobs_for_lifted = forms.IntegerField(label=_("带动脱贫人口就业人数"), min_value=0)
    linkage_mechanism = forms.CharField(
        label=_("联农带农机制"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

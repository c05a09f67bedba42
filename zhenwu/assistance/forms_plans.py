"""Forms of the helper, plan, warning and relocation pages (input validation only; the
actions decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenwu.assistance.choices import MeasureCategory
from zhenwu.assistance.rules import WARNING_LABELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ANY = [("", _("全部"))]


def village_choices(villages) -> list:
    return ANY + [(v.code, v.name) for v in villages]


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class HelperForm(VersionedForm):
    area = forms.ChoiceField(label=_("所属区域"))
    name = forms.CharField(label=_("姓名"), max_length=50)
    unit = forms.CharField(label=_("工作单位"), max_length=100)
    position = forms.CharField(label=_("职务"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.code, a.name) for a in areas]


class AssignHelperForm(forms.Form):
    helper = forms.ChoiceField(label=_("帮扶责任人"))
    start_on = forms.DateField(label=_("开始日期"), widget=DATE)

    def __init__(self, *args, helpers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helper"].choices = [
            (str(h.public_id), f"{h.name}（{h.unit}）") for h in helpers
        ]


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    goals = forms.CharField(
        label=_("帮扶目标"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MeasureForm(forms.Form):
    category = forms.ChoiceField(label=_("措施类别"), choices=MeasureCategory.choices)
    description = forms.CharField(label=_("措施内容"), max_length=200)
    amount = forms.DecimalField(
        label=_("金额（元）"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    planned_on = forms.DateField(label=_("计划日期"), widget=DATE)
    person = forms.ChoiceField(label=_("受益成员"), required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("全户"))] + [
            (str(p.public_id), p.name) for p in members
        ]


class ImplementForm(VersionedForm):
    implemented_on = forms.DateField(label=_("实施日期"), widget=DATE)


class CancelForm(VersionedForm):
    reason = forms.CharField(label=_("取消原因"), max_length=500)


class WarningFilterForm(forms.Form):
    village = forms.ChoiceField(label=_("行政村"), required=False)
    code = forms.ChoiceField(
        label=_("预警类型"), required=False, choices=ANY + list(WARNING_LABELS.items())
    )

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = village_choices(villages)


class VillageFilterForm(forms.Form):
    village = forms.ChoiceField(label=_("行政村"), required=False)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = village_choices(villages)


# --- relocation -------------------------------------------------------------------------------


class SiteForm(forms.Form):
    area = forms.ChoiceField(label=_("所在区域"))
    name = forms.CharField(label=_("安置点名称"), max_length=100)
    kind = forms.CharField(label=_("安置方式"), max_length=50, required=False)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.code, a.name) for a in areas]


class RegisterRelocationForm(forms.Form):
    number = forms.CharField(label=_("户编号"), max_length=32)
    moved_on = forms.DateField(label=_("搬迁入住日期"), widget=DATE)


class FollowUpForm(forms.Form):
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE)
    labour_members = forms.IntegerField(label=_("劳动力人数"), min_value=0, max_value=99)
    employed_members = forms.IntegerField(label=_("就业人数"), min_value=0, max_value=99)
    monthly_income = forms.DecimalField(
        label=_("家庭月收入（元）"), min_value=0, max_digits=14, decimal_places=2
    )
    notes = forms.CharField(
        label=_("走访情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        labour, employed = data.get("labour_members"), data.get("employed_members")
        if labour is not None and employed is not None and employed > labour:
            self.add_error("employed_members", _("就业人数不能超过劳动力人数。"))
        return data

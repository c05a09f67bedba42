"""Forms of the clue pages and the parameters page (input validation only; the actions
write)."""

import datetime
import re

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenwu.areas.models import Area, AreaLevel
from zhenwu.lib.ids import IdNumberError, parse_id_number
from zhenwu.monitoring.choices import Channel, ClueStatus, ParameterKey
from zhenwu.monitoring.forms_cases import FigureFilterMixin
from zhenwu.registry.choices import RiskType

ID_REASONS = {
    "length": _("身份证号应为18位。"),
    "format": _("身份证号格式不正确（前17位须为数字，末位为数字或X）。"),
    "checksum": _("身份证号校验位不正确，请核对。"),
    "birth_date": _("身份证号中的出生日期无效。"),
}
MAX_RISK_TYPES = 5
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
phone_validator = RegexValidator(r"^[0-9+\- ]{7,20}$", _("请输入有效的电话号码。"))


def grouped_villages(villages) -> list:
    """Choices for a village select, grouped by township (optgroups)."""
    groups: dict[str, list] = {}
    for village in villages:
        township = village.parent.name if village.parent_id else ""
        groups.setdefault(township, []).append((village.code, village.name))
    return [("", _("请选择")), *groups.items()]


def _risk_field(required: bool) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("困难类型"),
        required=required,
        choices=RiskType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("可多选，最多五项。"),
    )


class _RiskTypesMixin:
    def clean_risk_types(self):
        values = self.cleaned_data["risk_types"]
        if len(values) > MAX_RISK_TYPES:
            raise forms.ValidationError(_("最多选择五项。"))
        return values


class DeclarationForm(_RiskTypesMixin, forms.Form):
    """农户自主申报: what a resident fills in on a phone."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    village = forms.ChoiceField(label=_("所在村（社区）"))
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    risk_types = _risk_field(required=True)
    description = forms.CharField(
        label=_("情况说明"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("请简要说明家庭遇到的困难，如患病住院、受灾、失业等。"),
    )

    def __init__(self, *args, villages, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.villages = {v.code: v for v in villages}
        self.fields["village"].choices = grouped_villages(villages)

    def clean_id_number(self):
        try:
            return parse_id_number(self.cleaned_data["id_number"]).number
        except IdNumberError as error:
            raise forms.ValidationError(ID_REASONS.get(error.reason, error.reason)) from None

    def clean_village(self):
        village = self.villages.get(self.cleaned_data["village"])
        if village is None:
            raise forms.ValidationError(_("请选择所在村（社区）。"))
        return village


class ClueFilterForm(FigureFilterMixin, forms.Form):
    DATE_LABELS = (_("上报日期从"), _("上报日期至"))

    channel = forms.ChoiceField(
        label=_("线索来源"), required=False, choices=[("", _("全部")), *Channel.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *ClueStatus.choices]
    )
    village = forms.ChoiceField(label=_("行政村"), required=False)
    month = forms.CharField(
        label=_("月份"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2023-06"}),
    )
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, villages, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", _("全部")), *((v.code, v.name) for v in villages)]
        self.add_figure_fields()

    def clean_month(self):
        text = self.cleaned_data["month"].strip()
        if not text:
            return None
        match = _MONTH.match(text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("月份格式应为 2023-06。"))
        return datetime.date(int(match.group(1)), int(match.group(2)), 1)


class ClueReportForm(_RiskTypesMixin, forms.Form):
    """基层干部排查: a cadre reports a clue for a household of the village."""

    village = forms.ChoiceField(label=_("行政村"))
    household_number = forms.CharField(
        label=_("户编号"),
        max_length=32,
        required=False,
        help_text=_("填写档案中的户编号；尚未建档的可留空。"),
    )
    reported_on = forms.DateField(
        label=_("发现日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    risk_types = _risk_field(required=False)
    description = forms.CharField(
        label=_("情况描述"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, villages, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.villages = {v.code: v for v in villages}
        self.fields["village"].choices = grouped_villages(villages)

    def clean_village(self):
        village = self.villages.get(self.cleaned_data["village"])
        if village is None:
            raise forms.ValidationError(_("请选择行政村。"))
        return village

    def clean_reported_on(self):
        day = self.cleaned_data["reported_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("发现日期不能晚于今天。"))
        return day


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("不予纳入原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ParameterForm(forms.Form):
    area = forms.ChoiceField(label=_("适用区域"))
    key = forms.ChoiceField(label=_("参数"), choices=ParameterKey.choices)
    value = forms.DecimalField(label=_("数值"), min_value=0, max_digits=14, decimal_places=4)
    valid_from = forms.DateField(
        label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("失效日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空表示长期有效；同一区域的上一条参数自动截止到生效日前一天。"),
    )
    source = forms.CharField(label=_("依据（文件名称、文号）"), max_length=200, required=False)
    is_sample = forms.BooleanField(label=_("示例值（尚未按正式文件核定）"), required=False)

    def __init__(self, *args, areas, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.areas = {a.code: a for a in areas}
        self.fields["area"].choices = [(a.code, a.name) for a in areas]

    def clean_area(self):
        area = self.areas.get(self.cleaned_data["area"])
        if area is None or area.level == AreaLevel.VILLAGE:
            raise forms.ValidationError(_("请选择区域。"))
        return area

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("失效日期不能早于生效日期。"))
        return data


def parameter_areas(paths: list[str]):
    """Areas (province to township) inside the given scope paths, for the parameter form."""
    from django.db.models import Q

    from zhenwu.areas.selectors import current

    if not paths:
        return Area.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return current(Area.objects.filter(condition, level__lte=AreaLevel.TOWNSHIP)).order_by("path")

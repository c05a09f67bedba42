"""Forms of the work-plan pages. Business rules stay in ``actions.plans``; these only parse
input (the progress form is the one cadres fill in on a phone)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from zhenwu.workplans.actions.plans import MAX_ATTACHMENT_MB
from zhenwu.workplans.choices import TaskStatus

ATTACHMENT_ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PlanForm(forms.Form):
    area = AreaChoiceField(label=_("区域"), queryset=None, to_field_name="code")
    period = forms.CharField(
        label=_("期间"),
        max_length=10,
        widget=forms.TextInput(attrs={"placeholder": "2023H2"}),
        help_text=_("如 2023H2（下半年）、2023Q3、2023"),
    )
    title = forms.CharField(label=_("标题"), max_length=200)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class SectionForm(forms.Form):
    title = forms.CharField(
        label=_("章节标题"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如（一）坚持产业主导，推进乡村全面振兴")}),
    )


class TaskForm(forms.Form):
    section = forms.ModelChoiceField(label=_("章节"), queryset=None)
    title = forms.CharField(label=_("任务"), max_length=200)
    description = forms.CharField(
        label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead_unit = forms.CharField(label=_("牵头单位"), max_length=100, required=False)
    responsible = forms.CharField(label=_("责任人"), max_length=100, required=False)
    deadline_on = forms.DateField(label=_("完成时限"), required=False, widget=DateInput())
    indicator = forms.ModelChoiceField(
        label=_("关联指标"), queryset=None, required=False, empty_label=_("无")
    )

    def __init__(self, *args, sections, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections
        self.fields["section"].label_from_instance = lambda s: s.title
        self.fields["indicator"].queryset = indicators
        self.fields["indicator"].label_from_instance = lambda i: f"{i.name}（{i.unit}）"


class ProgressForm(forms.Form):
    reported_on = forms.DateField(label=_("日期"), widget=DateInput())
    progress = forms.IntegerField(
        label=_("进度（%）"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
    )
    note = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(
        label=_("附件"),
        required=False,
        help_text=format_lazy(
            _("pdf、jpg、png、docx 或 xlsx，不超过 {mb} MB"), mb=MAX_ATTACHMENT_MB
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
    )


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=TaskStatus.choices)

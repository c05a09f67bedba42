"""Forms of the case, notice and problem pages (input validation only; the actions decide)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenwu.monitoring.choices import (
    CaseKind,
    CaseStatus,
    EliminationWay,
    ProblemKind,
    ProblemStatus,
)
from zhenwu.registry.choices import MonitoringCategory, RiskType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ANY = [("", _("全部"))]
_NAME_SPLIT = re.compile(r"[,，、;；\n\r]+")


def _village_choices(villages) -> list:
    return ANY + [(v.code, v.name) for v in villages]


_AREA_CODE = r"^[0-9A-Za-z]{1,20}$"


class FigureFilterMixin:
    """The parameters a figure's link carries (figures.py ``filter``, links.figure_url):
    ``township``/``area`` (an area code, kept hidden; the page names the area) and the date
    range ``from``/``to``, whose meaning and labels each list sets in ``DATE_LABELS``.
    ``from`` is a Python keyword, so these fields are added in ``__init__``. A value that
    does not parse must not widen the list: ``narrowing_invalid`` tells the view to show
    nothing (fail closed)."""

    DATE_LABELS = (_("日期从"), _("日期至"))
    NARROWING = ("township", "area", "from", "to", "open_on")

    def add_figure_fields(self) -> None:
        for name in ("township", "area"):
            self.fields[name] = forms.RegexField(
                regex=_AREA_CODE, required=False, widget=forms.HiddenInput
            )
        start, end = self.DATE_LABELS
        self.fields["from"] = forms.DateField(label=start, required=False, widget=DATE)
        self.fields["to"] = forms.DateField(label=end, required=False, widget=DATE)

    def narrowing_invalid(self) -> bool:
        return any(name in self.errors for name in self.NARROWING if name in self.fields)


class CaseFilterForm(FigureFilterMixin, forms.Form):
    DATE_LABELS = (_("审定日期从"), _("审定日期至"))

    kind = forms.ChoiceField(label=_("程序类型"), required=False, choices=ANY + CaseKind.choices)
    status = forms.ChoiceField(label=_("环节"), required=False, choices=ANY + CaseStatus.choices)
    village = forms.ChoiceField(label=_("行政村"), required=False)
    overdue = forms.BooleanField(label=_("仅看超期"), required=False)
    open = forms.BooleanField(label=_("仅看在办"), required=False)
    approved = forms.BooleanField(label=_("仅看已审定"), required=False)
    open_on = forms.DateField(
        label=_("在办截至日期"),
        required=False,
        widget=DATE,
        help_text=_("该日结束时仍在办的程序，环节按该日所处环节"),
    )

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = _village_choices(villages)
        self.add_figure_fields()


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class HomeVerificationForm(VersionedForm):
    verified_on = forms.DateField(label=_("入户核实日期"), widget=DATE)
    verifiers = forms.CharField(
        label=_("核实人员"),
        max_length=200,
        help_text=_("至少2人，用逗号或顿号分隔"),
    )
    notes = forms.CharField(
        label=_("核实情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_verifiers(self) -> list[str]:
        return [
            name.strip()
            for name in _NAME_SPLIT.split(self.cleaned_data["verifiers"])
            if name.strip()
        ]


class VillageReviewForm(VersionedForm):
    meeting_on = forms.DateField(label=_("民主评议日期"), widget=DATE)
    attendees = forms.IntegerField(label=_("参会人数"), min_value=1, max_value=999)
    votes_for = forms.IntegerField(label=_("赞成票"), min_value=0, max_value=999)
    votes_against = forms.IntegerField(label=_("反对票"), min_value=0, max_value=999)
    minutes = forms.CharField(
        label=_("评议记录"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoticeForm(VersionedForm):
    posted_on = forms.DateField(label=_("公示开始日期"), widget=DATE)


class TownshipReviewForm(VersionedForm):
    reviewed_on = forms.DateField(label=_("乡镇审核日期"), widget=DATE)


class ApproveForm(VersionedForm):
    approved_on = forms.DateField(label=_("县级审定日期"), widget=DATE)


class ReasonForm(VersionedForm):
    reason = forms.CharField(
        label=_("原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OpenCaseForm(forms.Form):
    category = forms.ChoiceField(
        label=_("监测对象类别"),
        required=False,
        choices=[("", _("按户类型默认"))] + MonitoringCategory.choices,
    )
    risk_types = forms.MultipleChoiceField(
        label=_("风险类型"),
        required=False,
        choices=RiskType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("最多五项"),
    )

    def clean_risk_types(self):
        risk_types = self.cleaned_data["risk_types"]
        if len(risk_types) > 5:
            raise forms.ValidationError(_("风险类型最多五项。"))
        return risk_types


class EliminationStartForm(forms.Form):
    way = forms.ChoiceField(label=_("消除方式"), choices=EliminationWay.choices)
    started_on = forms.DateField(label=_("启动日期"), widget=DATE)


class NoticeContactForm(forms.Form):
    contact = forms.RegexField(
        label=_("监督电话"),
        required=False,
        max_length=40,
        regex=r"^[0-9\-\s（）()\u4e00-\u9fff]*$",
    )


class ProblemFilterForm(FigureFilterMixin, forms.Form):
    DATE_LABELS = (_("整改完成日期从"), _("整改完成日期至"))

    village = forms.ChoiceField(label=_("行政村"), required=False)
    kind = forms.ChoiceField(label=_("问题类型"), required=False, choices=ANY + ProblemKind.choices)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=ANY + ProblemStatus.choices)
    overdue = forms.BooleanField(label=_("仅看超期"), required=False)
    fixed = forms.BooleanField(label=_("仅看已整改完成"), required=False)
    open_on = forms.DateField(
        label=_("未整改截至日期"),
        required=False,
        widget=DATE,
        help_text=_("该日前发现、该日仍未整改完成的问题"),
    )

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = _village_choices(villages)
        self.add_figure_fields()


class ProblemForm(forms.Form):
    kind = forms.ChoiceField(label=_("问题类型"), choices=ProblemKind.choices)
    description = forms.CharField(
        label=_("问题描述"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.CharField(label=_("责任人"), max_length=50)
    found_on = forms.DateField(label=_("发现日期"), widget=DATE)
    deadline_on = forms.DateField(label=_("整改时限"), widget=DATE)


class ProblemEditForm(VersionedForm):
    kind = forms.ChoiceField(label=_("问题类型"), choices=ProblemKind.choices)
    description = forms.CharField(
        label=_("问题描述"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.CharField(label=_("责任人"), max_length=50)
    deadline_on = forms.DateField(label=_("整改时限"), widget=DATE)


class ProblemAdvanceForm(VersionedForm):
    status = forms.ChoiceField(label=_("新状态"), choices=ProblemStatus.choices)
    on = forms.DateField(label=_("日期"), widget=DATE)
    resolution = forms.CharField(
        label=_("整改情况"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ProblemStatus.choices)
        self.fields["status"].choices = [(t, labels[t]) for t in targets]


class RunFilterForm(FigureFilterMixin, forms.Form):
    """部门筛查记录 narrowed by a figure's link: runs covering a township, in a month range."""

    DATE_LABELS = (_("筛查月份从"), _("筛查月份至"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_figure_fields()

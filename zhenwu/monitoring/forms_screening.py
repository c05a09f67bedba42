"""Screening forms (input validation only; ``actions.screening`` writes).

The visit form is built for a phone: the 两不愁三保障 + 饮水 checklist is six yes/no
radio pairs (rendered as large toggles by ``monitoring/screening.css``), the rest are few
plain fields, and up to three problem rows where empty rows are ignored."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenwu.monitoring.actions.screening import (
    CHECKS,
    DEFAULT_TARGET_GROUPS,
    MAX_VISITORS,
    TARGET_GROUPS,
    first_of_month,
)
from zhenwu.monitoring.choices import IncomeChange, ProblemKind
from zhenwu.monitoring.models import ScreeningVisit
from zhenwu.registry.choices import RiskType

YES_NO = [("yes", _("有保障")), ("no", _("有问题"))]
CHECK_LABELS = {
    "food": _("不愁吃"),
    "clothing": _("不愁穿"),
    "education": _("义务教育"),
    "medical": _("基本医疗"),
    "housing": _("住房安全"),
    "water": _("饮水安全"),
}
PROBLEM_ROWS = 3


def parse_month(value: str) -> datetime.date | None:
    """'2023-06' → 2023-06-01, or None when it is not a month."""
    try:
        return first_of_month(value or "")
    except Exception:  # DomainError("invalid_month") or anything odd in the query string
        return None


class MonthInput(forms.DateInput):
    input_type = "month"


class OpenRoundForm(forms.Form):
    village = forms.ModelChoiceField(label=_("行政村"), queryset=None, empty_label=None)
    month = forms.CharField(label=_("月份"), widget=MonthInput(format="%Y-%m"))
    groups = forms.MultipleChoiceField(
        label=_("排查对象"),
        choices=list(TARGET_GROUPS.items()),
        initial=list(DEFAULT_TARGET_GROUPS),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages

    def clean_month(self):
        month = parse_month(self.cleaned_data["month"])
        if month is None:
            raise forms.ValidationError(_("月份格式不正确，应为“2023-06”。"))
        return month


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label=_("走访日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    visitors = forms.CharField(
        label=_("走访人员"),
        max_length=300,
        help_text=_("多人用顿号或逗号分隔"),
    )
    income_change = forms.ChoiceField(
        label=_("收入变化"),
        choices=IncomeChange.choices,
        initial=IncomeChange.STABLE,
        widget=forms.RadioSelect,
    )
    rigid_spending = forms.DecimalField(
        label=_("新增刚性支出（元）"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
        help_text=_("医疗、教育等本月新增且必须支付的费用"),
    )
    notes = forms.CharField(
        label=_("走访情况"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3})
    )
    report_clue = forms.BooleanField(label=_("报告风险线索"), required=False)
    risk_types = forms.MultipleChoiceField(
        label=_("风险类型"),
        required=False,
        choices=RiskType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The checklist comes first on the page; keep the model's verbose names as help.
        for key in CHECKS:
            self.fields[f"check_{key}"] = forms.ChoiceField(
                label=CHECK_LABELS[key],
                choices=YES_NO,
                initial="yes",
                widget=forms.RadioSelect(attrs={"class": "toggle-input"}),
            )

    @property
    def check_fields(self):
        return [self[f"check_{key}"] for key in CHECKS]

    @property
    def other_fields(self):
        return [
            self[name]
            for name in ("visited_on", "visitors", "income_change", "rigid_spending", "notes")
        ]

    def clean_visited_on(self):
        visited_on = self.cleaned_data["visited_on"]
        if visited_on > timezone.localdate():
            raise forms.ValidationError(_("走访日期不能晚于今天。"))
        return visited_on

    def clean_visitors(self):
        text = self.cleaned_data["visitors"].replace("，", ",").replace("、", ",")
        names = [n.strip() for n in text.split(",") if n.strip()]
        if not names:
            raise forms.ValidationError(_("请填写至少一名走访人员。"))
        if len(names) > MAX_VISITORS:
            raise forms.ValidationError(_("走访人员过多（最多10人）。"))
        return names

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("report_clue") and not cleaned.get("risk_types"):
            self.add_error("risk_types", _("报告风险线索时请选择至少一种风险类型。"))
        return cleaned

    def checks(self) -> dict:
        return {key: self.cleaned_data[f"check_{key}"] == "yes" for key in CHECKS}

    @classmethod
    def initial_for(cls, visit: ScreeningVisit | None, *, default_visitor: str) -> dict:
        if visit is None:
            return {"visited_on": timezone.localdate(), "visitors": default_visitor}
        initial = {
            "visited_on": visit.visited_on,
            "visitors": "、".join(visit.visitors),
            "income_change": visit.income_change,
            "rigid_spending": visit.rigid_spending,
            "notes": visit.notes,
            "version": visit.version,
        }
        for key, field in CHECKS.items():
            initial[f"check_{key}"] = "yes" if getattr(visit, field) else "no"
        return initial


class ProblemRowForm(forms.Form):
    """One rectification item (整改问题); a row left empty is ignored."""

    kind = forms.ChoiceField(
        label=_("问题类型"), required=False, choices=[("", "—"), *ProblemKind.choices]
    )
    description = forms.CharField(label=_("问题描述"), required=False, max_length=500)
    owner = forms.CharField(label=_("责任人"), required=False, max_length=50)
    deadline_on = forms.DateField(
        label=_("整改时限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        cleaned = super().clean()
        filled = [cleaned.get(f) for f in ("kind", "description", "owner", "deadline_on")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(
                _("请完整填写问题类型、描述、责任人和整改时限，或清空此行。")
            )
        return cleaned

    def item(self) -> dict | None:
        if not self.cleaned_data.get("kind"):
            return None
        return {
            key: self.cleaned_data[key] for key in ("kind", "description", "owner", "deadline_on")
        }


ProblemFormSet = forms.formset_factory(
    ProblemRowForm, extra=PROBLEM_ROWS, max_num=PROBLEM_ROWS, absolute_max=PROBLEM_ROWS
)

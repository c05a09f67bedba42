"""Registry forms (input validation only). Writes go through ``registry.actions``; the
forms never save a model. Field definitions (labels, choices, lengths) come from the models
so that the form and the record cannot drift apart.

Sensitive values are never pre-filled: an edit form leaves ID number, phone and bank account
empty and shows the masked value; an empty input means "unchanged" (SECURITY.md 10).
"""

import datetime

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from zhenwu.areas.models import Area
from zhenwu.lib.masking import mask_bank_account, mask_phone
from zhenwu.registry.choices import (
    ExpenseKind,
    HouseholdCategory,
    HouseholdStatus,
    MonitoringCategory,
    RiskType,
)
from zhenwu.registry.models import Household, IncomeRecord, Person

HOUSEHOLD_FORM_FIELDS = [
    "number",
    "group_name",
    "natural_village",
    "address",
    "phone",
    "category",
    "lifted_year",
    "lifted_subtype",
    "monitoring_category",
    "monitoring_since",
    "status",
    "no_labour",
    "relocated",
    "relocation_site",
    "note",
]
PERSON_FORM_FIELDS = [
    "relation",
    "ethnicity",
    "education",
    "school_status",
    "labour_capacity",
    "work_place",
    "work_months",
    "medical_insurance",
    "critical_illness_insurance",
    "pension_insurance",
    "receives_dibao",
    "receives_tekun",
    "phone",
    "status",
]
SENSITIVE_PERSON_FIELDS = ["health", "disability", "labour_capacity"]
BANK_FIELDS = ["bank_account"]
INCOME_COMPONENTS = [
    "wage_income",
    "business_income",
    "property_income",
    "transfer_income",
    "production_cost",
]
MAX_RISKS = 5
EMPTY_CHOICE = _("（未填）")


def _village_label(area) -> str:
    return area.name


class VersionedForm(forms.Form):
    """Carries the version the editor started from (optimistic locking, SECURITY.md 18)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.replace_only: set[str] = set()

    def _add_model_fields(self, model, names: list[str]) -> None:
        for name, field in forms.fields_for_model(model, fields=names).items():
            choices = getattr(field, "choices", None)
            if choices and choices[0] == ("", "---------"):
                empty = _("请选择") if field.required else EMPTY_CHOICE
                field.choices = [("", empty), *choices[1:]]
            if isinstance(field, forms.DateField):
                field.widget.input_type = "date"
            elif isinstance(field.widget, forms.Textarea):
                field.widget = (
                    forms.Textarea(attrs={"rows": 3})
                    if name == "note"
                    else (forms.TextInput(attrs={"maxlength": 200}))
                )
            self.fields[name] = field

    def _make_replace_only(self, name: str, masked: str) -> None:
        field = self.fields[name]
        field.required = False
        field.help_text = _("当前：%(masked)s；留空表示不修改。") % {"masked": masked or "—"}
        self.replace_only.add(name)

    def _drop_unchanged(self, data: dict) -> dict:
        """An empty replace-only input keeps the stored value."""
        return {k: v for k, v in data.items() if not (k in self.replace_only and not v)}


class HouseholdFilterForm(forms.Form):
    """The list page's filters and search box. Values come from allow-lists."""

    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("姓名、拼音或身份证后4位"),
                "autocomplete": "off",
            }
        ),
    )
    village = forms.ChoiceField(label=_("行政村"), required=False)
    category = forms.ChoiceField(
        label=_("户类型"),
        required=False,
        choices=[("", _("全部")), *HouseholdCategory.choices],
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *HouseholdStatus.choices]
    )
    monitoring_category = forms.ChoiceField(
        label=_("监测对象类别"),
        required=False,
        choices=[("", _("全部")), *MonitoringCategory.choices],
    )
    risk = forms.ChoiceField(
        label=_("风险类型"), required=False, choices=[("", _("全部")), *RiskType.choices]
    )
    monitored = forms.BooleanField(label=_("仅看监测对象"), required=False)
    # A dashboard link's area (code, hidden; the page names it). Invalid → no rows.
    area = forms.RegexField(regex=r"^[0-9A-Za-z]{1,20}$", required=False, widget=forms.HiddenInput)
    after = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", _("全部")), *((v.code, v.name) for v in villages)]
        # Live filtering with htmx; target and URL push are inherited from the <form>.
        for name in ("village", "category", "status", "monitoring_category", "risk", "monitored"):
            self.fields[name].widget.attrs.update(
                {"hx-get": reverse_lazy("registry:household_list"), "hx-trigger": "change"}
            )


class HouseholdForm(VersionedForm):
    village = forms.ModelChoiceField(
        label=_("行政村"), queryset=Area.objects.none(), to_field_name="code"
    )
    risks = forms.MultipleChoiceField(
        label=_("风险类型"),
        required=False,
        choices=RiskType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("最多选择五项。"),
    )

    def __init__(self, *args, villages, household: Household | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_model_fields(Household, HOUSEHOLD_FORM_FIELDS)
        self.fields["village"].queryset = villages
        self.fields["village"].label_from_instance = _village_label
        self.fields["village"].empty_label = _("请选择行政村")
        if household is None and not self.is_bound and len(villages) == 1:
            self.initial.setdefault("village", villages[0].code)  # a cadre's only village
        if household is not None:
            self._make_replace_only("phone", mask_phone(household.phone))
        self.order_fields(["number", "village", *HOUSEHOLD_FORM_FIELDS, "risks"])

    def clean_risks(self):
        risks = self.cleaned_data["risks"]
        if len(risks) > MAX_RISKS:
            raise forms.ValidationError(_("风险类型最多选择五项。"))
        return risks

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("category") != HouseholdCategory.MONITORED and cleaned.get(
            "monitoring_category"
        ):
            self.add_error("monitoring_category", _("只有监测户才填写监测对象类别。"))
        if cleaned.get("category") == HouseholdCategory.MONITORED and not cleaned.get(
            "monitoring_category"
        ):
            self.add_error("monitoring_category", _("监测户须填写监测对象类别。"))
        return cleaned

    def changes(self) -> dict:
        """Fields for the action; an empty replace-only field keeps the stored value."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in {"version", "village"}}
        return self._drop_unchanged(data)


class PersonForm(VersionedForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )

    def __init__(
        self,
        *args,
        person: Person | None = None,
        show_sensitive: bool,
        show_bank: bool,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        names = [
            f for f in PERSON_FORM_FIELDS if show_sensitive or f not in SENSITIVE_PERSON_FIELDS
        ]
        if show_sensitive:
            names += ["health", "disability"]
        if show_bank:
            names += BANK_FIELDS
        if person is None:
            names.remove("status")
        self._add_model_fields(Person, names)
        if person is not None:
            self._make_replace_only("id_number", person.id_masked)
            self._make_replace_only("phone", mask_phone(person.phone))
            if show_bank:
                self._make_replace_only("bank_account", mask_bank_account(person.bank_account))
        self.order_fields(["name", "id_number", *names])

    def changes(self) -> dict:
        data = {
            k: v for k, v in self.cleaned_data.items() if k not in {"version", "name", "id_number"}
        }
        return self._drop_unchanged(data)

    def new_id_number(self) -> str | None:
        """None when an edit leaves the ID number unchanged."""
        return self.cleaned_data.get("id_number") or None


class IncomeForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    member_count = forms.IntegerField(
        label=_("计算人口"),
        required=False,
        min_value=1,
        max_value=99,
        help_text=_("留空则按当前在册成员人数计算。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in forms.fields_for_model(IncomeRecord, fields=INCOME_COMPONENTS).items():
            field.min_value = 0
            field.widget.attrs.update({"min": "0", "step": "0.01", "inputmode": "decimal"})
            field.validators.append(_non_negative)
            self.fields[name] = field
        self.order_fields(["year", *INCOME_COMPONENTS, "member_count"])
        if not self.is_bound and "year" not in self.initial:
            self.initial["year"] = datetime.date.today().year - 1

    def components(self) -> dict:
        return {name: self.cleaned_data[name] for name in INCOME_COMPONENTS}


def _non_negative(value):
    if value is not None and value < 0:
        raise forms.ValidationError(_("金额不能为负数。"))


class RigidExpenseForm(forms.Form):
    month = forms.DateField(
        label=_("月份"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    kind = forms.ChoiceField(label=_("支出类型"), choices=ExpenseKind.choices)
    amount = forms.DecimalField(
        label=_("金额（元）"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    person = forms.ModelChoiceField(
        label=_("成员"), required=False, queryset=Person.objects.none(), to_field_name="public_id"
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members
        self.fields["person"].empty_label = _("（整户）")


class RevealForm(forms.Form):
    field = forms.ChoiceField(label=_("查看内容"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("查看原因"),
        min_length=4,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("必填，将记入审计日志，例如“办理医保报销需核对身份证号”。"),
    )

    def __init__(self, *args, fields: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = fields
        if fields:
            self.fields["field"].initial = fields[0][0]

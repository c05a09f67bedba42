"""Forms of the 特色产业 page. The business rules stay in ``actions.industry``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenwu.projects.choices import EnterpriseKind


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class VillageFilterForm(forms.Form):
    village = NamedChoiceField(
        label=_("行政村"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("全部"),
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class IndustryForm(forms.Form):
    area = NamedChoiceField(label=_("区域"), queryset=None, to_field_name="code")
    name = forms.CharField(label=_("产业名称"), max_length=50)
    description = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class EnterpriseFields(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=EnterpriseKind.choices)
    industry = NamedChoiceField(
        label=_("所属产业"), queryset=None, required=False, empty_label=_("无")
    )
    products = forms.CharField(label=_("主要产品"), max_length=200, required=False)
    jobs_for_lifted = forms.IntegerField(label=_("吸纳脱贫人口就业"), min_value=0, initial=0)
    linked_households = forms.IntegerField(label=_("联结带动农户数"), min_value=0, initial=0)

    def __init__(self, *args, industries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].queryset = industries


class EnterpriseForm(EnterpriseFields):
    village = NamedChoiceField(label=_("所在村"), queryset=None, to_field_name="code")
    field_order = ["village"]

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class EnterpriseEditForm(EnterpriseFields):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

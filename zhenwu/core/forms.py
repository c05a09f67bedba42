from django import forms
from django.utils.translation import gettext_lazy as _

from zhenwu.core.models import AuditOutcome


class AuditFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    event = forms.CharField(label=_("事件"), required=False, max_length=64)
    username = forms.CharField(label=_("用户名"), required=False, max_length=150)
    outcome = forms.ChoiceField(
        label=_("结果"), required=False, choices=[("", _("全部"))] + list(AuditOutcome.choices)
    )
    object_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

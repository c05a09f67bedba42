"""Forms of the loan pages (input validation only; ``actions.loans`` decides)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenwu.assistance.choices import LoanStatus
from zhenwu.lib.ids import IdNumberError, parse_id_number

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ANY = [("", _("全部"))]
MONEY = {"max_digits": 12, "decimal_places": 2}


class LoanFilterForm(forms.Form):
    village = forms.ChoiceField(label=_("行政村"), required=False)
    bank = forms.CharField(label=_("放贷银行"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=ANY + LoanStatus.choices)
    issued_from = forms.DateField(label=_("放款日期自"), required=False, widget=DATE)
    issued_to = forms.DateField(label=_("放款日期至"), required=False, widget=DATE)
    # An area code (township or district) from a report's figure link; not shown.
    area = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = ANY + [(v.code, v.name) for v in villages]


class IdNumberField(forms.CharField):
    """An 18-digit ID number (GB 11643 check digit); cleaned to the normalized number."""

    def __init__(self, **kwargs):
        super().__init__(max_length=20, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return parse_id_number(value).number
        except IdNumberError:
            raise forms.ValidationError(_("身份证号无效。")) from None


class IssueLoanForm(forms.Form):
    id_number = IdNumberField(label=_("借款人身份证号"))
    contract_number = forms.CharField(label=_("合同编号"), max_length=64)
    bank = forms.CharField(label=_("放贷银行"), max_length=100)
    amount = forms.DecimalField(label=_("贷款金额（元）"), min_value=0, **MONEY)
    issued_on = forms.DateField(label=_("放款日期"), widget=DATE)
    term_months = forms.IntegerField(label=_("期限（月）"), min_value=1, max_value=120)
    annual_rate = forms.DecimalField(
        label=_("年利率"),
        max_digits=6,
        decimal_places=4,
        min_value=0,
        max_value=1,
        help_text=_("小数，如 0.0435 表示 4.35%"),
    )
    purpose = forms.CharField(label=_("贷款用途"), max_length=200)


class RepaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("还款日期"), widget=DATE)
    principal = forms.DecimalField(label=_("本金（元）"), min_value=0, initial=0, **MONEY)
    interest = forms.DecimalField(label=_("利息（元）"), min_value=0, initial=0, **MONEY)


class ExtendForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    extended_to = forms.DateField(label=_("展期至"), widget=DATE)
    reason = forms.CharField(label=_("展期原因"), max_length=200)


class WriteOffForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("核销原因"), max_length=200)


class SubsidyForm(forms.Form):
    quarter = forms.CharField(
        label=_("贴息季度"),
        max_length=6,
        widget=forms.TextInput(attrs={"placeholder": "2023Q2"}),
    )


class LoanImportForm(forms.Form):
    file = forms.FileField(label=_("银行放款清单（.xlsx）"))
    dry_run = forms.BooleanField(label=_("仅校验，不导入"), required=False)

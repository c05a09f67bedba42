"""Forms of the narrative-template editor (叙述模板): the area chooser of the slot list and
the edit form (text, the revision it started from, a note, and what to preview with).

The template's own rules (syntax, allowed placeholders, length) are checked by
``reports.actions.save_template`` and, for the preview, ``lib.document.narrative.check``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenwu.areas.models import Area
from zhenwu.lib.periods import PeriodError, parse_period
from zhenwu.registry.views_import import AreaChoiceForm
from zhenwu.reports.actions import MAX_LENGTH
from zhenwu.reports.halfyear import ReportError, check_arguments

DEFAULT_PERIOD = "2023H1"
SAVE = "save"


class TemplateAreaForm(AreaChoiceForm):
    """Which area's wording the list shows (a district's applies to all its townships)."""


class TemplateEditForm(forms.Form):
    text = forms.CharField(
        label=_("模板内容"),
        strip=False,
        # The action refuses more than MAX_LENGTH with a message; this only bounds the
        # request.
        max_length=MAX_LENGTH * 4,
        widget=forms.Textarea(
            attrs={"rows": 16, "class": "template-text", "spellcheck": "false", "wrap": "soft"}
        ),
    )
    base_revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("修改说明"),
        max_length=200,
        required=False,
        help_text=_("简要说明为什么修改，保存在修订历史中。"),
    )
    period = forms.CharField(
        label=_("预览期间"),
        max_length=10,
        initial=DEFAULT_PERIOD,
        required=False,
        help_text=_("半年如 2023H1，年度如 2023"),
    )
    township = forms.ChoiceField(label=_("预览乡镇"), required=False)

    def __init__(self, *args, townships: list[Area], **kwargs):
        """``townships``: where the preview may be computed; the choice is offered only
        when there is more than one (editing a district's wording)."""
        super().__init__(*args, **kwargs)
        self.townships = {area.code: area for area in townships}
        if len(townships) > 1:
            self.fields["township"].choices = [(a.code, a.name) for a in townships]
            self.fields["township"].initial = townships[0].code
        else:
            del self.fields["township"]

    def preview_township(self) -> Area | None:
        if "township" in self.fields:
            return self.townships.get(self.cleaned_data.get("township") or "")
        return next(iter(self.townships.values()), None)

    def preview_period(self):
        """The period to preview with; a ValidationError on the field when unusable."""
        code = (self.cleaned_data.get("period") or DEFAULT_PERIOD).strip()
        try:
            period = parse_period(code)
            township = self.preview_township()
            if township is not None:
                check_arguments(township, period)
        except (PeriodError, ReportError):
            self.add_error("period", _("期间格式不正确，应为 2023H1、2023H2 或 2023。"))
            return None
        return period

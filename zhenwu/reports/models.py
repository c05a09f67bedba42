"""Stored data of the reports app: the narrative templates staff edit (叙述模板)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.areas.models import Area
from zhenwu.core.models import BaseModel


class NarrativeTemplate(BaseModel):
    """One revision of the sentences of one part (``slot``) of a written report, for an
    area and everything under it (a township's own wording, or a district's for all its
    townships). Revisions are never changed or deleted: saving adds the next one, and the
    report uses the highest revision of the nearest area; without any, the default text
    in the code (``reports.halfyear_slots``)."""

    report = models.CharField(_("报告"), max_length=40)
    slot = models.CharField(_("段落"), max_length=60)
    area = models.ForeignKey(
        Area, verbose_name=_("适用区域"), on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(_("修订版次"))
    text = models.TextField(_("模板内容"))
    note = models.CharField(_("修改说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("报告叙述模板")
        verbose_name_plural = _("报告叙述模板")
        ordering = ["report", "slot", "area", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "slot", "area", "revision"],
                name="narrative_template_one_revision",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report}/{self.slot}@{self.area_id} #{self.revision}"

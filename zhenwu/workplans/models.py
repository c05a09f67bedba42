"""Work plans with sections and tasks, and the indicator catalogue with targets and
measurements per area and period (工作计划、指标与目标)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.core.models import BaseModel
from zhenwu.workplans.choices import (
    Aggregation,
    Direction,
    IndicatorSource,
    PlanStatus,
    TaskStatus,
)

VALUE = {"max_digits": 16, "decimal_places": 4}


class WorkPlan(BaseModel):
    """工作计划 of an area for a period, e.g. 沙地镇 2023H2."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("区域"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("期间"), max_length=10, help_text=_("如 2023H2、2023"))
    title = models.CharField(_("标题"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )

    class Meta:
        verbose_name = _("工作计划")
        verbose_name_plural = _("工作计划")
        constraints = [
            models.UniqueConstraint(fields=["area", "period"], name="one_plan_per_area_period")
        ]


class PlanSection(BaseModel):
    plan = models.ForeignKey(
        WorkPlan, verbose_name=_("工作计划"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=200)

    class Meta:
        verbose_name = _("计划章节")
        ordering = ["order"]


class Task(BaseModel):
    """工作任务 with lead unit, responsible people and deadline."""

    section = models.ForeignKey(
        PlanSection, verbose_name=_("章节"), on_delete=models.CASCADE, related_name="tasks"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    title = models.CharField(_("任务"), max_length=200)
    description = models.TextField(_("内容"), blank=True)
    lead_unit = models.CharField(_("牵头单位"), max_length=100, blank=True)
    responsible = models.CharField(_("责任人"), max_length=100, blank=True)
    deadline_on = models.DateField(_("完成时限"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    indicator = models.ForeignKey(
        "Indicator",
        verbose_name=_("关联指标"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )

    class Meta:
        verbose_name = _("工作任务")
        verbose_name_plural = _("工作任务")
        ordering = ["order", "id"]


class ProgressUpdate(BaseModel):
    """进展情况, optionally with an attachment."""

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="updates"
    )
    reported_on = models.DateField(_("日期"))
    note = models.TextField(_("进展"))
    progress = models.PositiveSmallIntegerField(_("进度（%）"))
    attachment = models.FileField(_("附件"), upload_to="workplans/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("任务进展")
        ordering = ["-reported_on", "-id"]


class Indicator(BaseModel):
    """指标 of the catalogue. ``computed_key`` names a figure another module computes."""

    code = models.CharField(_("指标代码"), max_length=40, unique=True)
    name = models.CharField(_("指标名称"), max_length=100)
    unit = models.CharField(_("单位"), max_length=20)
    aggregation = models.CharField(_("汇总方式"), max_length=16, choices=Aggregation.choices)
    direction = models.CharField(
        _("方向"), max_length=8, choices=Direction.choices, default=Direction.HIGHER_IS_BETTER
    )
    source = models.CharField(
        _("数据来源"),
        max_length=16,
        choices=IndicatorSource.choices,
        default=IndicatorSource.ENTERED,
    )
    computed_key = models.CharField(_("计算口径"), max_length=60, blank=True)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["code"]


class Target(BaseModel):
    """目标值 of an indicator for an area and period."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="targets"
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("区域"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("期间"), max_length=10)
    value = models.DecimalField(_("目标值"), **VALUE)

    class Meta:
        verbose_name = _("指标目标")
        verbose_name_plural = _("指标目标")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period"], name="one_target_per_indicator_area_period"
            )
        ]


class Measurement(BaseModel):
    """实际值 of an indicator for an area and period. Ratio indicators store numerator and
    denominator so that they add up correctly across villages."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="measurements"
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("区域"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("期间"), max_length=10, help_text=_("如 2023-06"))
    value = models.DecimalField(_("数值"), null=True, blank=True, **VALUE)
    numerator = models.DecimalField(_("分子"), null=True, blank=True, **VALUE)
    denominator = models.DecimalField(_("分母"), null=True, blank=True, **VALUE)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("指标实际值")
        verbose_name_plural = _("指标实际值")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period"],
                name="one_measurement_per_indicator_area_period",
            )
        ]

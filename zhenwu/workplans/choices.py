"""Enumerations of work plans and indicators."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ACTIVE = "active", _("执行中")
    CLOSED = "closed", _("已结束")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class Aggregation(models.TextChoices):
    """How village figures add up to a township's: a ratio is never averaged."""

    SUM = "sum", _("求和")
    AVERAGE = "average", _("平均")
    RATIO = "ratio", _("比率（分子合计/分母合计）")
    LATEST = "latest", _("最新值")
    MINIMUM = "minimum", _("最小值")


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("越高越好")
    LOWER_IS_BETTER = "lower", _("越低越好")


class IndicatorSource(models.TextChoices):
    ENTERED = "entered", _("填报")
    COMPUTED = "computed", _("系统计算")

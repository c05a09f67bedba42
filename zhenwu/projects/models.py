"""Projects and funds (项目库、衔接资金), performance targets, assets formed, and industry
(featured industries, enterprises and cooperatives). DOMAIN.md §9."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhenwu.core.models import BaseModel
from zhenwu.projects.choices import (
    AssetType,
    BudgetItem,
    EnterpriseKind,
    FundingSourceKind,
    ProjectStatus,
    ProjectType,
    TargetDimension,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0")


class Project(BaseModel):
    """项目: proposed → in_library → approved → in_progress → completed → accepted →
    assets_registered. ``area`` is the township or the village it serves."""

    code = models.CharField(_("项目编号"), max_length=40, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    project_type = models.CharField(_("项目类型"), max_length=20, choices=ProjectType.choices)
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("实施地点"), on_delete=models.PROTECT, related_name="+"
    )
    lead_unit = models.CharField(_("实施单位"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED
    )
    description = models.TextField(_("建设内容"), blank=True)
    planned_start_on = models.DateField(_("计划开工"), null=True, blank=True)
    planned_end_on = models.DateField(_("计划完工"), null=True, blank=True)
    started_on = models.DateField(_("实际开工"), null=True, blank=True)
    completed_on = models.DateField(_("实际完工"), null=True, blank=True)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    households_benefiting = models.PositiveIntegerField(_("受益户数"), default=0)
    lifted_households_benefiting = models.PositiveIntegerField(
        _("受益脱贫户（监测户）数"), default=0
    )
    jobs_for_lifted = models.PositiveIntegerField(_("带动脱贫人口就业人数"), default=0)
    linkage_mechanism = models.TextField(_("联农带农机制"), blank=True)
    self_evaluation_score = models.DecimalField(
        _("绩效自评得分"), max_digits=5, decimal_places=1, null=True, blank=True
    )

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-year", "code"]


class FundingSource(BaseModel):
    """资金来源: how much of the budget comes from which level and budget item."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="funding_sources"
    )
    source = models.CharField(_("资金来源"), max_length=16, choices=FundingSourceKind.choices)
    budget_item = models.CharField(_("支出科目"), max_length=16, choices=BudgetItem.choices)
    amount = models.DecimalField(_("金额（元）"), **MONEY)

    class Meta:
        verbose_name = _("资金来源")
        verbose_name_plural = _("资金来源")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_amount_non_negative")
        ]


class Disbursement(BaseModel):
    """资金拨付 (append-only; a correction is a negative entry with a reason)."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="disbursements"
    )
    funding_source = models.ForeignKey(
        FundingSource,
        verbose_name=_("资金来源"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_on = models.DateField(_("拨付日期"))
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    voucher = models.CharField(_("凭证号"), max_length=64)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    over_budget_reason = models.CharField(_("超预算说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("资金拨付")
        verbose_name_plural = _("资金拨付")
        ordering = ["paid_on", "id"]


class Milestone(BaseModel):
    """项目节点."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="milestones"
    )
    title = models.CharField(_("节点"), max_length=100)
    due_on = models.DateField(_("计划日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["due_on"]


class PerformanceTarget(BaseModel):
    """绩效目标: target and actual of one indicator, with its score at self-evaluation."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="performance_targets",
    )
    dimension = models.CharField(_("指标类别"), max_length=24, choices=TargetDimension.choices)
    indicator = models.CharField(_("指标名称"), max_length=100)
    target_value = models.CharField(_("目标值"), max_length=50)
    actual_value = models.CharField(_("实际值"), max_length=50, blank=True)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    weight = models.DecimalField(_("分值"), max_digits=5, decimal_places=1, default=0)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("绩效目标")
        verbose_name_plural = _("绩效目标")


class Asset(BaseModel):
    """扶贫项目资产 formed by a project."""

    project = models.ForeignKey(
        Project, verbose_name=_("来源项目"), on_delete=models.PROTECT, related_name="assets"
    )
    name = models.CharField(_("资产名称"), max_length=200)
    asset_type = models.CharField(_("资产类别"), max_length=16, choices=AssetType.choices)
    value = models.DecimalField(_("资产原值（元）"), **MONEY)
    owner = models.CharField(_("所有权人"), max_length=100)
    upkeep_by = models.CharField(_("管护主体"), max_length=100, blank=True)
    registered_on = models.DateField(_("登记日期"))
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("到户农户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("项目资产")
        verbose_name_plural = _("项目资产")


class AssetIncome(BaseModel):
    """资产收益及分配."""

    asset = models.ForeignKey(
        Asset, verbose_name=_("资产"), on_delete=models.PROTECT, related_name="incomes"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("收益（元）"), **MONEY)
    distribution = models.TextField(_("分配情况"), blank=True)

    class Meta:
        verbose_name = _("资产收益")
        verbose_name_plural = _("资产收益")
        constraints = [
            models.UniqueConstraint(fields=["asset", "year"], name="one_asset_income_per_year")
        ]


class Industry(BaseModel):
    """特色产业, e.g. 板鸭, 水稻, 油茶, 富硒蔬菜, 水果采摘, 鱼丝, 预制菜."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("区域"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("产业名称"), max_length=50)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("特色产业")
        verbose_name_plural = _("特色产业")
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="industry_name_per_area")
        ]


class Enterprise(BaseModel):
    """经营主体: enterprise, cooperative, family farm or employment workshop."""

    village = models.ForeignKey(
        "areas.Area", verbose_name=_("所在村"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=EnterpriseKind.choices)
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("所属产业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    products = models.CharField(_("主要产品"), max_length=200, blank=True)
    jobs_for_lifted = models.PositiveIntegerField(_("吸纳脱贫人口就业"), default=0)
    linked_households = models.PositiveIntegerField(_("联结带动农户数"), default=0)
    project = models.ForeignKey(
        Project,
        verbose_name=_("关联项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
    )

    class Meta:
        verbose_name = _("经营主体")
        verbose_name_plural = _("经营主体")

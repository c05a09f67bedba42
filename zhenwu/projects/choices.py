"""Enumerations of projects, funds, assets and industry (DOMAIN.md §9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("申报")
    IN_LIBRARY = "in_library", _("入库")
    APPROVED = "approved", _("批复")
    IN_PROGRESS = "in_progress", _("实施中")
    COMPLETED = "completed", _("完工")
    ACCEPTED = "accepted", _("验收")
    ASSETS_REGISTERED = "assets_registered", _("资产登记")


class ProjectType(models.TextChoices):
    INDUSTRY = "industry", _("产业发展")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    LIVELIHOOD = "livelihood", _("民生保障")
    ENVIRONMENT = "environment", _("人居环境")
    EMPLOYMENT = "employment", _("就业帮扶")
    OTHER = "other", _("其他")


class FundingSourceKind(models.TextChoices):
    CENTRAL = "central", _("中央衔接资金")
    PROVINCE = "province", _("省级衔接资金")
    CITY = "city", _("市级衔接资金")
    DISTRICT = "district", _("区县级衔接资金")
    OTHER = "other", _("其他资金")


class BudgetItem(models.TextChoices):
    """政府收支分类科目."""

    RURAL_INFRASTRUCTURE = "2130504", _("2130504 农村基础设施建设")
    PRODUCTION = "2130505", _("2130505 生产发展")
    OTHER = "other", _("其他科目")


class TargetDimension(models.TextChoices):
    """绩效目标 first-level dimensions and their second-level indicators."""

    OUTPUT_QUANTITY = "output_quantity", _("产出指标·数量指标")
    OUTPUT_QUALITY = "output_quality", _("产出指标·质量指标")
    OUTPUT_TIMELINESS = "output_timeliness", _("产出指标·时效指标")
    OUTPUT_COST = "output_cost", _("产出指标·成本指标")
    BENEFIT_ECONOMIC = "benefit_economic", _("效益指标·经济效益")
    BENEFIT_SOCIAL = "benefit_social", _("效益指标·社会效益")
    BENEFIT_ECOLOGICAL = "benefit_ecological", _("效益指标·生态效益")
    BENEFIT_SUSTAINABLE = "benefit_sustainable", _("效益指标·可持续影响")
    SATISFACTION = "satisfaction", _("满意度指标·服务对象满意度")


class AssetType(models.TextChoices):
    OPERATING = "operating", _("经营性资产")
    PUBLIC_WELFARE = "public_welfare", _("公益性资产")
    HOUSEHOLD = "household", _("到户类资产")


class EnterpriseKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    COOPERATIVE = "cooperative", _("农民专业合作社")
    FAMILY_FARM = "family_farm", _("家庭农场")
    WORKSHOP = "workshop", _("就业帮扶车间")

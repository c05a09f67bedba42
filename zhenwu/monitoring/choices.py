"""Enumerations of the monitoring work (DOMAIN.md §2-7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParameterKey(models.TextChoices):
    """政策参数. Values are effective-dated per area (province, city, county ...)."""

    INCOME_LINE = "income_line", _("防止返贫监测范围（元/人·年）")
    INCOME_MARGIN_RATIO = "income_margin_ratio", _("监测范围上浮比例")
    RURAL_DISPOSABLE_INCOME = "rural_disposable_income", _("上年全省农村居民人均可支配收入（元）")
    MEDICAL_RATIO_LIFTED = "medical_ratio_lifted", _("脱贫人口医疗自付预警比例")
    MEDICAL_RATIO_OTHER = "medical_ratio_other", _("一般农户医疗自付预警比例")
    DISASTER_LOSS_THRESHOLD = "disaster_loss_threshold", _("灾害损失预警金额（元）")
    IDENTIFICATION_DAYS = "identification_days", _("识别纳入时限（天）")
    NOTICE_DAYS = "notice_days", _("村内公示最少天数")
    ELIMINATION_MONTHS = "elimination_months", _("风险消除最短监测月数")


class Channel(models.TextChoices):
    """线索来源：三线并行."""

    SELF_DECLARED = "self_declared", _("农户自主申报")
    CADRE_SCREENING = "cadre_screening", _("基层干部排查")
    DEPARTMENT = "department", _("部门筛查预警")


class ClueStatus(models.TextChoices):
    NEW = "new", _("待核实")
    VERIFYING = "verifying", _("核实中")
    DISMISSED = "dismissed", _("不予纳入")
    CASE_OPENED = "case_opened", _("已启动程序")


class CaseKind(models.TextChoices):
    IDENTIFICATION = "identification", _("识别纳入")
    ELIMINATION = "elimination", _("风险消除")


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("农户申请")
    HOME_VERIFIED = "home_verified", _("入户核实")
    VILLAGE_REVIEWED = "village_reviewed", _("民主评议")
    NOTICE_POSTED = "notice_posted", _("村内公示")
    TOWNSHIP_REVIEWED = "township_reviewed", _("乡镇审核")
    APPROVED = "approved", _("县级审定")
    REJECTED = "rejected", _("不予通过")


class CaseAction(models.TextChoices):
    ADVANCE = "advance", _("推进")
    RETURN = "return", _("退回修改")
    REJECT = "reject", _("不予通过")


class EliminationWay(models.TextChoices):
    ASSISTED = "assisted", _("帮扶消除")
    NATURAL = "natural", _("自然消除")


class ProblemKind(models.TextChoices):
    """两不愁三保障及饮水安全问题."""

    FOOD = "food", _("吃饭问题")
    CLOTHING = "clothing", _("穿衣问题")
    EDUCATION = "education", _("义务教育保障")
    MEDICAL = "medical", _("基本医疗保障")
    HOUSING = "housing", _("住房安全保障")
    WATER = "water", _("饮水安全")
    OTHER = "other", _("其他")


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    IN_PROGRESS = "in_progress", _("整改中")
    FIXED = "fixed", _("已整改")
    VERIFIED = "verified", _("已验收")


class IncomeChange(models.TextChoices):
    STABLE = "stable", _("基本稳定")
    INCREASED = "increased", _("增加")
    DECREASED = "decreased", _("明显减少")


class Department(models.TextChoices):
    MEDICAL_INSURANCE = "medical_insurance", _("医保")
    CIVIL_AFFAIRS = "civil_affairs", _("民政")
    EDUCATION = "education", _("教育")
    HOUSING = "housing", _("住建")
    WATER = "water", _("水利")
    HUMAN_RESOURCES = "human_resources", _("人社")
    PUBLIC_SECURITY = "public_security", _("公安")
    DISABLED_FEDERATION = "disabled_federation", _("残联")
    EMERGENCY = "emergency", _("应急")


class RunStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("运行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("排查中")
    CLOSED = "closed", _("已结束")


class AnalysisStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FINAL = "final", _("已定稿")

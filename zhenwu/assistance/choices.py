"""Enumerations of the assistance ledgers (DOMAIN.md §6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureCategory(models.TextChoices):
    """帮扶措施类别 (national code tables 100A39 … 100A55)."""

    INDUSTRY = "100A39", _("产业帮扶")
    EMPLOYMENT = "100A40", _("就业帮扶")
    FINANCE = "100A41", _("金融帮扶")
    PUBLIC_WELFARE_JOB = "100A42", _("公益岗位帮扶")
    HEALTH = "100A45", _("健康帮扶")
    COMPULSORY_EDUCATION = "100A46", _("义务教育保障")
    OTHER_EDUCATION = "100A47", _("其他教育帮扶")
    SOCIAL_SECURITY = "100A48", _("综合保障（低保/特困）")
    HOUSING = "100A50", _("住房安全保障")
    DRINKING_WATER = "100A51", _("饮水安全保障")
    SOCIAL_ASSISTANCE = "100A52", _("社会帮扶")
    RELOCATION = "100A53", _("易地搬迁")
    LIVING_CONDITIONS = "100A54", _("生产生活条件改善")
    INFRASTRUCTURE = "100A55", _("基础设施")


# 开发式帮扶: mandatory for households with labour (DOMAIN.md §6).
DEVELOPMENT_CATEGORIES = frozenset(
    {
        MeasureCategory.INDUSTRY,
        MeasureCategory.EMPLOYMENT,
        MeasureCategory.FINANCE,
        MeasureCategory.PUBLIC_WELFARE_JOB,
    }
)


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("计划")
    IMPLEMENTED = "implemented", _("已实施")
    CANCELLED = "cancelled", _("已取消")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ACTIVE = "active", _("执行中")
    CLOSED = "closed", _("已结束")


class LoanStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    REPAID = "repaid", _("已结清")
    OVERDUE = "overdue", _("逾期")
    EXTENDED = "extended", _("已展期")
    WRITTEN_OFF = "written_off", _("已核销")


class PaymentKind(models.TextChoices):
    JOB_PAYROLL = "job_payroll", _("公益性岗位补贴")
    TRANSPORT = "transport", _("交通补贴")
    INTEREST_SUBSIDY = "interest_subsidy", _("小额信贷贴息")


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已审批")
    EXPORTED = "exported", _("已导出")
    PAID = "paid", _("已发放")


class JobStatus(models.TextChoices):
    ACTIVE = "active", _("在岗")
    ENDED = "ended", _("已离岗")


class FundingLevel(models.TextChoices):
    CENTRAL = "central", _("中央衔接资金")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区县级")
    TOWNSHIP = "township", _("乡镇")
    OTHER = "other", _("其他")


class Destination(models.TextChoices):
    IN_COUNTY = "in_county", _("县内乡外")
    IN_PROVINCE = "in_province", _("省内县外")
    OUT_OF_PROVINCE = "out_of_province", _("省外")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已申报")
    VERIFIED = "verified", _("已核实")
    APPROVED = "approved", _("已审批")
    PAID = "paid", _("已发放")
    REJECTED = "rejected", _("不予补贴")


class SettingKey(models.TextChoices):
    """帮扶政策参数, effective-dated per area."""

    LOAN_LIMIT = "loan_limit", _("小额信贷户贷款上限（元）")
    LOAN_MAX_TERM_MONTHS = "loan_max_term_months", _("贷款期限上限（月）")
    LOAN_MIN_AGE = "loan_min_age", _("借款人最低年龄")
    LOAN_MAX_AGE = "loan_max_age", _("借款人最高年龄")
    INTEREST_SUBSIDY_RATIO = "interest_subsidy_ratio", _("贴息比例")
    JOB_MIN_AGE = "job_min_age", _("公益岗位最低年龄")
    JOB_MAX_AGE = "job_max_age", _("公益岗位最高年龄")
    JOBS_PER_HOUSEHOLD = "jobs_per_household", _("每户公益岗位上限")
    TRANSPORT_MIN_MONTHS = "transport_min_months", _("交通补贴最少务工月数")
    TRANSPORT_IN_COUNTY = "transport_in_county", _("交通补贴：县内乡外（元）")
    TRANSPORT_IN_PROVINCE = "transport_in_province", _("交通补贴：省内县外（元）")
    TRANSPORT_OUT_OF_PROVINCE = "transport_out_of_province", _("交通补贴：省外（元）")

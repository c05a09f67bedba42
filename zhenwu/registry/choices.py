"""Enumerations of the household and member record (DOMAIN.md §8).

Where the national system's code is known it is the stored value (monitoring category
100A03xxx); elsewhere the value is a stable English word and the label is the Chinese term
used on the national forms. Export layouts map values to the national codes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HouseholdCategory(models.TextChoices):
    GENERAL = "general", _("一般户")
    LIFTED = "lifted", _("脱贫户")
    MONITORED = "monitored", _("监测户")


class LiftedSubtype(models.TextChoices):
    ORDINARY = "ordinary", _("一般脱贫户")
    DIBAO = "dibao", _("低保脱贫户")
    TEKUN = "tekun", _("特困供养脱贫户")


class MonitoringCategory(models.TextChoices):
    """监测对象类别 (national code table 100A03)."""

    UNSTABLE_LIFTED = "100A03001", _("脱贫不稳定户")
    MARGINAL = "100A03002", _("边缘易致贫户")
    SUDDEN_HARDSHIP = "100A03003", _("突发严重困难户")


class RiskStatus(models.TextChoices):
    """风险消除状态 of a monitored household."""

    UNRESOLVED = "unresolved", _("风险未消除")
    ELIMINATED = "eliminated", _("风险已消除")


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    CANCELLED = "cancelled", _("已注销")


class RiskType(models.TextChoices):
    """致贫/返贫风险类型 (code table 100A27)."""

    ILLNESS = "illness", _("因病")
    SCHOOLING = "schooling", _("因学")
    DISABILITY = "disability", _("因残")
    NATURAL_DISASTER = "natural_disaster", _("因自然灾害")
    ACCIDENT = "accident", _("因意外事故")
    BUSINESS_FAILURE = "business_failure", _("因产业项目失败")
    UNSTABLE_EMPLOYMENT = "unstable_employment", _("因务工就业不稳")
    LACK_OF_LABOUR = "lack_of_labour", _("缺劳动力")
    UNSAFE_HOUSING = "unsafe_housing", _("住房出现安全问题")
    UNSAFE_WATER = "unsafe_water", _("饮水安全问题")
    OTHER = "other", _("其他")


class Sex(models.TextChoices):
    MALE = "1", _("男")
    FEMALE = "2", _("女")


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    SON = "son", _("之子")
    DAUGHTER = "daughter", _("之女")
    DAUGHTER_IN_LAW = "daughter_in_law", _("之儿媳")
    SON_IN_LAW = "son_in_law", _("之女婿")
    GRANDSON = "grandson", _("之孙子")
    GRANDDAUGHTER = "granddaughter", _("之孙女")
    FATHER = "father", _("之父")
    MOTHER = "mother", _("之母")
    SIBLING = "sibling", _("兄弟姐妹")
    OTHER = "other", _("其他")


class Education(models.TextChoices):
    ILLITERATE = "illiterate", _("文盲或半文盲")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科及以上")
    PRESCHOOL = "preschool", _("学龄前儿童")


class SchoolStatus(models.TextChoices):
    NOT_STUDENT = "not_student", _("非在校生")
    PRESCHOOL = "preschool", _("学前教育")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("七年级至九年级")
    SENIOR = "senior", _("高中/中职")
    HIGHER = "higher", _("高职高专/本科及以上")
    DROPPED_OUT = "dropped_out", _("辍学")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("健康")
    CHRONIC = "chronic", _("长期慢性病")
    SERIOUS = "serious", _("患有大病")
    DISABLED = "disabled", _("残疾")


class LabourCapacity(models.TextChoices):
    ORDINARY = "ordinary", _("普通劳动力")
    SKILLED = "skilled", _("技能劳动力")
    WEAK = "weak", _("弱劳动力或半劳动力")
    LOST = "lost", _("丧失劳动力")
    NONE = "none", _("无劳动力")


class WorkPlace(models.TextChoices):
    NONE = "", _("未务工")
    IN_TOWNSHIP = "in_township", _("乡镇内")
    IN_COUNTY = "in_county", _("乡镇外县内")
    IN_PROVINCE = "in_province", _("县外省内")
    OUT_OF_PROVINCE = "out_of_province", _("省外")


class MedicalInsurance(models.TextChoices):
    RESIDENT = "resident", _("城乡居民基本医疗保险")
    EMPLOYEE = "employee", _("职工基本医疗保险")
    NONE = "none", _("未参加")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    DECEASED = "deceased", _("死亡")
    MOVED_OUT = "moved_out", _("迁出")


class ExpenseKind(models.TextChoices):
    MEDICAL = "medical", _("医疗自付")
    SCHOOLING = "schooling", _("教育")
    HOUSING = "housing", _("住房")
    DISASTER = "disaster", _("灾害损失")
    OTHER = "other", _("其他刚性支出")

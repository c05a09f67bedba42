"""Household and member record (农户档案), incomes and rigid expenses (DOMAIN.md §8)."""

import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.core.crypto import EncryptedTextField
from zhenwu.core.models import BaseModel
from zhenwu.registry.choices import (
    Education,
    ExpenseKind,
    Health,
    HouseholdCategory,
    HouseholdStatus,
    LabourCapacity,
    LiftedSubtype,
    MedicalInsurance,
    MonitoringCategory,
    PersonStatus,
    Relation,
    RiskStatus,
    SchoolStatus,
    Sex,
    WorkPlace,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


class Household(BaseModel):
    """农户. The area (village) decides who may see it."""

    number = models.CharField(_("户编号"), max_length=32, unique=True)
    village = models.ForeignKey(
        "areas.Area", verbose_name=_("行政村"), on_delete=models.PROTECT, related_name="households"
    )
    group_name = models.CharField(_("村民小组"), max_length=50, blank=True)
    natural_village = models.CharField(_("自然村"), max_length=50, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    category = models.CharField(
        _("户类型"),
        max_length=16,
        choices=HouseholdCategory.choices,
        default=HouseholdCategory.GENERAL,
        db_index=True,
    )
    lifted_year = models.PositiveSmallIntegerField(_("脱贫年度"), null=True, blank=True)
    lifted_subtype = models.CharField(
        _("脱贫户属性"), max_length=16, blank=True, choices=LiftedSubtype.choices
    )
    monitoring_category = models.CharField(
        _("监测对象类别"), max_length=16, blank=True, choices=MonitoringCategory.choices
    )
    monitoring_since = models.DateField(_("识别监测时间"), null=True, blank=True)
    risk_status = models.CharField(
        _("风险消除状态"), max_length=16, blank=True, choices=RiskStatus.choices
    )
    risk_eliminated_on = models.DateField(_("风险消除时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=HouseholdStatus.choices,
        default=HouseholdStatus.ACTIVE,
        db_index=True,
    )
    no_labour = models.BooleanField(_("整户无劳动力"), default=False)
    relocated = models.BooleanField(_("易地扶贫搬迁户"), default=False)
    relocation_site = models.CharField(_("安置点"), max_length=100, blank=True)
    risks = models.JSONField(
        _("风险类型"), default=list, blank=True, help_text=_("最多五项，取值见风险类型代码表")
    )
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("农户")
        verbose_name_plural = _("农户")
        indexes = [models.Index(fields=["village", "category", "status"])]

    def __str__(self):
        return self.number

    @property
    def head(self):
        return next((p for p in self.active_members() if p.relation == Relation.HEAD), None)

    def active_members(self):
        return [p for p in self.members.all() if p.status == PersonStatus.ACTIVE]


class Person(BaseModel):
    """家庭成员. The ID number is stored encrypted; ``id_hash`` (HMAC blind index) gives exact
    lookup and uniqueness; ``id_masked`` and ``id_last4`` serve lists and search."""

    household = models.ForeignKey(
        Household, verbose_name=_("所属农户"), on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField(_("姓名"), max_length=50)
    name_pinyin = models.CharField(_("姓名全拼"), max_length=200, db_index=True, editable=False)
    name_initials = models.CharField(_("姓名首字母"), max_length=50, db_index=True, editable=False)
    id_number = EncryptedTextField(_("身份证号"))
    id_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_masked = models.CharField(_("身份证号（脱敏）"), max_length=24, editable=False)
    id_last4 = models.CharField(_("身份证号后四位"), max_length=4, db_index=True, editable=False)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    relation = models.CharField(_("与户主关系"), max_length=20, choices=Relation.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族", blank=True)
    education = models.CharField(
        _("文化程度"), max_length=16, blank=True, choices=Education.choices
    )
    school_status = models.CharField(
        _("在校生状况"), max_length=16, blank=True, choices=SchoolStatus.choices
    )
    health = EncryptedTextField(_("健康状况"), blank=True, choices=Health.choices)
    disability = EncryptedTextField(_("残疾类别及等级"), blank=True)
    labour_capacity = models.CharField(
        _("劳动技能"), max_length=16, blank=True, choices=LabourCapacity.choices
    )
    work_place = models.CharField(
        _("务工区域"), max_length=16, blank=True, choices=WorkPlace.choices
    )
    work_months = models.PositiveSmallIntegerField(
        _("务工时间（月）"), default=0, validators=[MaxValueValidator(12)]
    )
    medical_insurance = models.CharField(
        _("基本医疗保险"), max_length=16, blank=True, choices=MedicalInsurance.choices
    )
    critical_illness_insurance = models.BooleanField(_("大病保险"), default=False)
    pension_insurance = models.BooleanField(_("养老保险"), default=False)
    receives_dibao = models.BooleanField(_("享受低保"), default=False)
    receives_tekun = models.BooleanField(_("特困供养"), default=False)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    bank_account = EncryptedTextField(_("银行账号"), blank=True)
    status = models.CharField(
        _("成员状态"), max_length=16, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        indexes = [models.Index(fields=["household", "status"])]

    def __str__(self):
        return self.name


class IncomeRecord(BaseModel):
    """年度收入. Net = components − production costs; per capita over the member count."""

    household = models.ForeignKey(
        Household, verbose_name=_("农户"), on_delete=models.PROTECT, related_name="incomes"
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    wage_income = models.DecimalField(_("工资性收入"), default=Decimal("0"), **MONEY)
    business_income = models.DecimalField(_("生产经营性收入"), default=Decimal("0"), **MONEY)
    property_income = models.DecimalField(_("财产性收入"), default=Decimal("0"), **MONEY)
    transfer_income = models.DecimalField(_("转移性收入"), default=Decimal("0"), **MONEY)
    production_cost = models.DecimalField(_("生产经营性支出"), default=Decimal("0"), **MONEY)
    member_count = models.PositiveSmallIntegerField(_("计算人口"))
    net_income = models.DecimalField(_("家庭纯收入"), editable=False, **MONEY)
    per_capita_net_income = models.DecimalField(_("人均纯收入"), editable=False, **MONEY)

    class Meta:
        verbose_name = _("年度收入")
        verbose_name_plural = _("年度收入")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="income_household_year"),
            models.CheckConstraint(
                condition=models.Q(
                    wage_income__gte=0,
                    business_income__gte=0,
                    property_income__gte=0,
                    transfer_income__gte=0,
                    production_cost__gte=0,
                ),
                name="income_components_non_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(member_count__gte=1), name="income_member_count_positive"
            ),
        ]

    def compute(self) -> None:
        parts = [
            self.wage_income,
            self.business_income,
            self.property_income,
            self.transfer_income,
            self.production_cost,
        ]
        wage, business, property_, transfer, cost = (Decimal(str(p or 0)) for p in parts)
        self.net_income = (wage + business + property_ + transfer - cost).quantize(Decimal("0.01"))
        self.per_capita_net_income = (self.net_income / self.member_count).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    def save(self, *args, **kwargs):
        self.compute()
        super().save(*args, **kwargs)


class RigidExpense(BaseModel):
    """刚性支出 by month, e.g. medical out-of-pocket (合规自付) or schooling costs."""

    household = models.ForeignKey(
        Household, verbose_name=_("农户"), on_delete=models.PROTECT, related_name="rigid_expenses"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("成员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rigid_expenses",
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    kind = models.CharField(_("支出类型"), max_length=16, choices=ExpenseKind.choices)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("刚性支出")
        verbose_name_plural = _("刚性支出")
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="rigid_expense_amount_non_negative"
            ),
        ]


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("等待中")
    RUNNING = "running", _("导入中")
    SUCCEEDED = "succeeded", _("成功")
    FAILED = "failed", _("失败")


class ImportBatch(models.Model):
    """导入批次: one uploaded household workbook and what became of it.

    The uploaded file lives under a random name in ``UPLOAD_DIR`` only until the import has
    run. ``file_hash`` lets a re-run of the same file short-cut to "nothing changed"."""

    public_id = models.UUIDField(_("公开编号"), default=uuid.uuid4, unique=True, editable=False)
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("导入区域"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    file_hash = models.CharField(_("文件哈希"), max_length=64, blank=True, db_index=True)
    stored_path = models.CharField(_("存储路径"), max_length=500, blank=True)
    dry_run = models.BooleanField(_("仅校验"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    done_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    counts = models.JSONField(_("统计"), default=dict, blank=True)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    error_report_path = models.CharField(_("错误报告"), max_length=500, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["area", "file_hash", "status"])]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        return int(100 * self.done_rows / self.total_rows) if self.total_rows else 0

"""Assistance ledgers (帮扶台账): helpers and one-household plans, loans, public-welfare jobs,
transport subsidies, relocation follow-up, and the payment batches that pay them.

Money is Decimal yuan with 2 places; amounts are never negative except reversal lines."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhenwu.assistance.choices import (
    ApplicationStatus,
    BatchStatus,
    Destination,
    FundingLevel,
    JobStatus,
    LoanStatus,
    MeasureCategory,
    MeasureStatus,
    PaymentKind,
    PlanStatus,
    SettingKey,
)
from zhenwu.core.models import BaseModel

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0")


class AssistanceSetting(BaseModel):
    """帮扶政策参数: effective-dated per area (the most specific area wins)."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("适用区域"), on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField(_("参数"), max_length=40, choices=SettingKey.choices)
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=4)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    is_sample = models.BooleanField(_("示例值"), default=False)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("帮扶政策参数")
        verbose_name_plural = _("帮扶政策参数")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "key", "valid_from"], name="assistance_setting_area_key_from"
            )
        ]


class Helper(BaseModel):
    """帮扶责任人."""

    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("所属区域"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("帮扶责任人所在乡镇"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.CharField(_("工作单位"), max_length=100)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("帮扶责任人")
        verbose_name_plural = _("帮扶责任人")


class HelperAssignment(BaseModel):
    """结对帮扶: a helper paired with a household from a date (to a date)."""

    helper = models.ForeignKey(
        Helper, verbose_name=_("帮扶责任人"), on_delete=models.PROTECT, related_name="assignments"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("农户"),
        on_delete=models.PROTECT,
        related_name="helper_assignments",
    )
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("结对帮扶")
        verbose_name_plural = _("结对帮扶")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(end_on__isnull=True),
                name="one_current_helper_per_household",
            )
        ]


class AssistancePlan(BaseModel):
    """一户一策: one plan per household per year."""

    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("农户"),
        on_delete=models.PROTECT,
        related_name="assistance_plans",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    goals = models.TextField(_("帮扶目标"), blank=True)

    class Meta:
        verbose_name = _("一户一策帮扶计划")
        verbose_name_plural = _("一户一策帮扶计划")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year"], name="one_plan_per_household_year"
            )
        ]


class Measure(BaseModel):
    """帮扶措施 of a plan."""

    plan = models.ForeignKey(
        AssistancePlan,
        verbose_name=_("帮扶计划"),
        on_delete=models.PROTECT,
        related_name="measures",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("农户"),
        on_delete=models.PROTECT,
        related_name="measures",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("受益成员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.CharField(_("措施类别"), max_length=8, choices=MeasureCategory.choices)
    description = models.CharField(_("措施内容"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    amount = models.DecimalField(_("金额（元）"), default=ZERO, **MONEY)
    planned_on = models.DateField(_("计划日期"))
    implemented_on = models.DateField(_("实施日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("帮扶措施")
        verbose_name_plural = _("帮扶措施")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="measure_amount_non_negative")
        ]


class Loan(BaseModel):
    """产业振兴信贷通 / 脱贫人口小额信贷: one loan contract."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("农户"), on_delete=models.PROTECT, related_name="loans"
    )
    borrower = models.ForeignKey(
        "registry.Person", verbose_name=_("借款人"), on_delete=models.PROTECT, related_name="loans"
    )
    bank = models.CharField(_("放贷银行"), max_length=100)
    contract_number = models.CharField(_("合同编号"), max_length=64, unique=True)
    amount = models.DecimalField(_("贷款金额（元）"), **MONEY)
    issued_on = models.DateField(_("放款日期"))
    term_months = models.PositiveSmallIntegerField(_("期限（月）"))
    due_on = models.DateField(_("到期日期"))
    annual_rate = models.DecimalField(_("年利率"), max_digits=6, decimal_places=4)
    purpose = models.CharField(_("贷款用途"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=16, choices=LoanStatus.choices, default=LoanStatus.ACTIVE
    )
    extended_to = models.DateField(_("展期至"), null=True, blank=True)
    principal_repaid = models.DecimalField(_("已还本金"), default=ZERO, **MONEY)

    class Meta:
        verbose_name = _("小额信贷")
        verbose_name_plural = _("小额信贷")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loan_amount_positive"),
            models.CheckConstraint(
                condition=Q(principal_repaid__gte=0), name="loan_repaid_non_negative"
            ),
        ]


class LoanRepayment(BaseModel):
    """还款记录 (append-only; a correction is a reversing entry)."""

    loan = models.ForeignKey(
        Loan, verbose_name=_("贷款"), on_delete=models.PROTECT, related_name="repayments"
    )
    paid_on = models.DateField(_("还款日期"))
    principal = models.DecimalField(_("本金"), default=ZERO, **MONEY)
    interest = models.DecimalField(_("利息"), default=ZERO, **MONEY)
    reverses = models.ForeignKey(
        "self",
        verbose_name=_("冲正"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("还款记录")
        verbose_name_plural = _("还款记录")


class PaymentBatch(BaseModel):
    """发放批次: draft → approved → exported → paid."""

    kind = models.CharField(_("发放类型"), max_length=20, choices=PaymentKind.choices)
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("区域"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("所属期间"), max_length=10, help_text=_("如 2023-06、2023Q2、2023"))
    status = models.CharField(
        _("状态"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    total_amount = models.DecimalField(_("合计金额"), default=ZERO, **MONEY)
    line_count = models.PositiveIntegerField(_("笔数"), default=0)
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exported_at = models.DateTimeField(_("导出时间"), null=True, blank=True)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("发放批次")
        verbose_name_plural = _("发放批次")
        ordering = ["-period", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "area", "period"], name="one_batch_per_kind_area_period"
            )
        ]


class PaymentLine(BaseModel):
    """发放明细: one line per person, kind and period; a reversal is a negative line that
    points at the line it reverses."""

    batch = models.ForeignKey(
        PaymentBatch, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="lines"
    )
    kind = models.CharField(_("发放类型"), max_length=20, choices=PaymentKind.choices)
    period = models.CharField(_("所属期间"), max_length=10)
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("领取人"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("农户"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    source_type = models.CharField(_("来源"), max_length=40, blank=True)
    source_id = models.PositiveBigIntegerField(_("来源编号"), null=True, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲正"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )

    class Meta:
        verbose_name = _("发放明细")
        verbose_name_plural = _("发放明细")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "person", "period"],
                condition=Q(reverses__isnull=True),
                name="one_payment_per_person_kind_period",
            ),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gte=0)
                | Q(reverses__isnull=False, amount__lte=0),
                name="payment_sign_matches_reversal",
            ),
        ]


class PublicWelfarePost(BaseModel):
    """公益性岗位."""

    village = models.ForeignKey(
        "areas.Area", verbose_name=_("行政村"), on_delete=models.PROTECT, related_name="+"
    )
    post_type = models.CharField(
        _("岗位类型"), max_length=50, help_text=_("如 保洁员、护路员、护林员、水管员")
    )
    funding_level = models.CharField(_("资金来源"), max_length=16, choices=FundingLevel.choices)
    monthly_subsidy = models.DecimalField(_("月补贴（元）"), **MONEY)
    capacity = models.PositiveSmallIntegerField(_("岗位数"), default=1)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("公益性岗位")
        verbose_name_plural = _("公益性岗位")
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_subsidy__gte=0), name="post_subsidy_non_negative"
            )
        ]


class JobAssignment(BaseModel):
    """岗位安置: a person on a post; one current post per person (DB constraint)."""

    post = models.ForeignKey(
        PublicWelfarePost,
        verbose_name=_("岗位"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("上岗人员"),
        on_delete=models.PROTECT,
        related_name="job_assignments",
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("农户"), on_delete=models.PROTECT, related_name="+"
    )
    start_on = models.DateField(_("上岗日期"))
    end_on = models.DateField(_("离岗日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.ACTIVE
    )

    class Meta:
        verbose_name = _("公益岗位安置")
        verbose_name_plural = _("公益岗位安置")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="active"), name="one_active_post_per_person"
            )
        ]


class Attendance(BaseModel):
    """月度考勤 of an assignment."""

    assignment = models.ForeignKey(
        JobAssignment,
        verbose_name=_("岗位安置"),
        on_delete=models.PROTECT,
        related_name="attendance",
    )
    month = models.DateField(_("月份"))
    days_worked = models.PositiveSmallIntegerField(_("出勤天数"))
    is_qualified = models.BooleanField(_("考核合格"), default=True)

    class Meta:
        verbose_name = _("月度考勤")
        verbose_name_plural = _("月度考勤")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "month"], name="one_attendance_per_month")
        ]


class TransportApplication(BaseModel):
    """交通补贴申请: one per worker per year."""

    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("务工人员"),
        on_delete=models.PROTECT,
        related_name="transport_applications",
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("农户"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    destination = models.CharField(_("务工地域"), max_length=20, choices=Destination.choices)
    employer = models.CharField(_("务工单位"), max_length=200)
    months_worked = models.PositiveSmallIntegerField(_("务工月数"))
    evidence = models.CharField(_("佐证材料"), max_length=200, blank=True)
    applied_on = models.DateField(_("申报日期"))
    amount = models.DecimalField(_("补贴金额（元）"), default=ZERO, **MONEY)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    rejection_reason = models.CharField(_("不予补贴原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("交通补贴申请")
        verbose_name_plural = _("交通补贴申请")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"], name="one_transport_application_per_year"
            )
        ]


class RelocationSite(BaseModel):
    """易地扶贫搬迁安置点."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("安置点名称"), max_length=100)
    kind = models.CharField(
        _("安置方式"), max_length=50, blank=True, help_text=_("如 集中安置、分散安置")
    )

    class Meta:
        verbose_name = _("安置点")
        verbose_name_plural = _("安置点")


class Relocation(BaseModel):
    """搬迁户: a household moved to a site."""

    household = models.OneToOneField(
        "registry.Household",
        verbose_name=_("农户"),
        on_delete=models.PROTECT,
        related_name="relocation",
    )
    site = models.ForeignKey(
        RelocationSite,
        verbose_name=_("安置点"),
        on_delete=models.PROTECT,
        related_name="relocations",
    )
    moved_on = models.DateField(_("搬迁入住日期"))

    class Meta:
        verbose_name = _("搬迁户")
        verbose_name_plural = _("搬迁户")


class FollowUpVisit(BaseModel):
    """后续扶持走访: employment of labour members and income."""

    relocation = models.ForeignKey(
        Relocation, verbose_name=_("搬迁户"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("走访日期"))
    labour_members = models.PositiveSmallIntegerField(_("劳动力人数"))
    employed_members = models.PositiveSmallIntegerField(_("就业人数"))
    monthly_income = models.DecimalField(_("家庭月收入（元）"), default=ZERO, **MONEY)
    notes = models.TextField(_("走访情况"), blank=True)

    class Meta:
        verbose_name = _("后续扶持走访")
        verbose_name_plural = _("后续扶持走访")
        constraints = [
            models.CheckConstraint(
                condition=Q(employed_members__lte=models.F("labour_members")),
                name="employed_not_more_than_labour",
            )
        ]

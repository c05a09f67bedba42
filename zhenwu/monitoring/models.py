"""Monitoring records (防返贫动态监测): parameters, clues, cases, problems, screening rounds,
department datasets, rule runs and hits, monthly analyses.

Status fields are assigned only by actions, following the tables in ``states.py``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenwu.core.crypto import EncryptedTextField
from zhenwu.core.models import BaseModel
from zhenwu.monitoring.choices import (
    AnalysisStatus,
    CaseKind,
    CaseStatus,
    Channel,
    ClueStatus,
    Department,
    EliminationWay,
    IncomeChange,
    ParameterKey,
    ProblemKind,
    ProblemStatus,
    RoundStatus,
    RunStatus,
)
from zhenwu.registry.choices import MonitoringCategory

MONEY = {"max_digits": 14, "decimal_places": 2}
OPEN_CASE_STATUSES = [s for s in CaseStatus.values if s not in ("approved", "rejected")]


class PolicyParameter(BaseModel):
    """政策参数: a value that holds for an area's subtree from ``valid_from`` (to ``valid_to``).
    The most specific area wins, then the latest start date."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("适用区域"), on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField(_("参数"), max_length=40, choices=ParameterKey.choices)
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=4)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    is_sample = models.BooleanField(
        _("示例值"), default=False, help_text=_("示例值，须按本省正式文件核定")
    )
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("政策参数")
        verbose_name_plural = _("政策参数")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "key", "valid_from"], name="parameter_area_key_from"
            )
        ]


class Clue(BaseModel):
    """线索: a possible risk, from one of the three lines. The identification clock
    (15 days by default) runs from ``reported_on``."""

    village = models.ForeignKey(
        "areas.Area", verbose_name=_("行政村"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("农户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("成员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    channel = models.CharField(_("线索来源"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=ClueStatus.choices, default=ClueStatus.NEW
    )
    reported_on = models.DateField(_("发现日期"))
    risk_types = models.JSONField(_("风险类型"), default=list, blank=True)
    description = models.TextField(_("情况描述"), blank=True)
    declarant_name = models.CharField(_("申报人姓名"), max_length=50, blank=True)
    declarant_phone = models.CharField(_("申报人电话"), max_length=20, blank=True)
    declarant_id_number = EncryptedTextField(_("申报人身份证号"), blank=True)
    declarant_id_hash = models.CharField(max_length=64, blank=True, db_index=True)
    rule_hit = models.ForeignKey(
        "RuleHit",
        verbose_name=_("规则命中"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visit = models.ForeignKey(
        "ScreeningVisit",
        verbose_name=_("排查走访"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clues",
    )
    dismissed_reason = models.TextField(_("不予纳入原因"), blank=True)
    case = models.ForeignKey(
        "MonitoringCase",
        verbose_name=_("程序"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clues",
    )

    class Meta:
        verbose_name = _("风险线索")
        verbose_name_plural = _("风险线索")
        ordering = ["-reported_on", "-id"]
        indexes = [models.Index(fields=["village", "status", "reported_on"])]


class MonitoringCase(BaseModel):
    """识别纳入 / 风险消除: one procedure for one household, through the review chain.
    At most one open case per household and kind (database constraint)."""

    kind = models.CharField(_("程序类型"), max_length=20, choices=CaseKind.choices)
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("农户"),
        on_delete=models.PROTECT,
        related_name="monitoring_cases",
    )
    status = models.CharField(
        _("环节"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    category = models.CharField(
        _("监测对象类别"), max_length=16, blank=True, choices=MonitoringCategory.choices
    )
    risk_types = models.JSONField(_("风险类型"), default=list, blank=True)
    started_on = models.DateField(_("起算日期"), help_text=_("线索发现日期"))
    deadline_on = models.DateField(_("办结时限"))
    application_signed = models.BooleanField(_("已签申请及承诺授权书"), default=False)
    verified_on = models.DateField(_("入户核实日期"), null=True, blank=True)
    verifiers = models.JSONField(_("核实人员"), default=list, blank=True)
    verification_notes = models.TextField(_("核实情况"), blank=True)
    review_meeting_on = models.DateField(_("民主评议日期"), null=True, blank=True)
    review_attendees = models.PositiveSmallIntegerField(_("参会人数"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("赞成票"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("反对票"), null=True, blank=True)
    review_minutes = models.TextField(_("评议记录"), blank=True)
    notice_posted_on = models.DateField(_("公示开始日期"), null=True, blank=True)
    notice_ends_on = models.DateField(_("公示结束日期"), null=True, blank=True)
    township_reviewed_on = models.DateField(_("乡镇审核日期"), null=True, blank=True)
    approved_on = models.DateField(_("县级审定日期"), null=True, blank=True)
    elimination_way = models.CharField(
        _("消除方式"), max_length=16, blank=True, choices=EliminationWay.choices
    )
    criteria_results = models.JSONField(_("消除条件核验"), default=dict, blank=True)
    closing_reason = models.TextField(_("不予通过原因"), blank=True)

    class Meta:
        verbose_name = _("监测程序")
        verbose_name_plural = _("监测程序")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "kind"],
                condition=Q(status__in=OPEN_CASE_STATUSES),
                name="one_open_case_per_household_and_kind",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CASE_STATUSES

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.kind == CaseKind.IDENTIFICATION and self.is_open and today > self.deadline_on


class CaseEvent(models.Model):
    """A step of a case (advance, return, reject) with who, when and why."""

    case = models.ForeignKey(MonitoringCase, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=16)
    from_status = models.CharField(_("原环节"), max_length=20)
    to_status = models.CharField(_("新环节"), max_length=20)
    reason = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("程序记录")
        ordering = ["at", "id"]


class Problem(BaseModel):
    """动态清零: a 两不愁三保障 / water problem to fix by a deadline."""

    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("农户"),
        on_delete=models.PROTECT,
        related_name="problems",
    )
    kind = models.CharField(_("问题类型"), max_length=16, choices=ProblemKind.choices)
    description = models.TextField(_("问题描述"))
    owner = models.CharField(_("责任人"), max_length=50)
    found_on = models.DateField(_("发现日期"))
    deadline_on = models.DateField(_("整改时限"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    fixed_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    verified_on = models.DateField(_("验收日期"), null=True, blank=True)
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("整改完成登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("验收须由他人进行（经办与审核分离）"),
    )
    resolution = models.TextField(_("整改情况"), blank=True)
    visit = models.ForeignKey(
        "ScreeningVisit",
        verbose_name=_("排查走访"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )

    class Meta:
        verbose_name = _("问题整改")
        verbose_name_plural = _("问题整改")
        ordering = ["deadline_on", "id"]


class ScreeningRound(BaseModel):
    """每月一排查: one round per village and month over the target households."""

    village = models.ForeignKey(
        "areas.Area", verbose_name=_("行政村"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    status = models.CharField(
        _("状态"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    target_groups = models.JSONField(_("排查对象"), default=list, blank=True)
    target_households = models.ManyToManyField(
        "registry.Household", verbose_name=_("排查户"), related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("月度排查")
        verbose_name_plural = _("月度排查")
        ordering = ["-month", "village__code"]
        constraints = [
            models.UniqueConstraint(fields=["village", "month"], name="one_round_per_village_month")
        ]


class ScreeningVisit(BaseModel):
    """入户走访记录 with the 两不愁三保障 + drinking-water checklist."""

    round = models.ForeignKey(
        ScreeningRound, verbose_name=_("排查轮次"), on_delete=models.PROTECT, related_name="visits"
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("农户"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("走访日期"))
    visitors = models.JSONField(_("走访人员"), default=list)
    food_ok = models.BooleanField(_("不愁吃"), default=True)
    clothing_ok = models.BooleanField(_("不愁穿"), default=True)
    education_ok = models.BooleanField(_("义务教育有保障"), default=True)
    medical_ok = models.BooleanField(_("基本医疗有保障"), default=True)
    housing_ok = models.BooleanField(_("住房安全有保障"), default=True)
    water_ok = models.BooleanField(_("饮水安全有保障"), default=True)
    income_change = models.CharField(
        _("收入变化"), max_length=16, choices=IncomeChange.choices, default=IncomeChange.STABLE
    )
    rigid_spending = models.DecimalField(_("新增刚性支出（元）"), default=0, **MONEY)
    notes = models.TextField(_("走访情况"), blank=True)

    class Meta:
        verbose_name = _("排查走访")
        verbose_name_plural = _("排查走访")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "household"], name="one_visit_per_round_household"
            )
        ]

    @property
    def has_problem(self) -> bool:
        checks = [
            self.food_ok,
            self.clothing_ok,
            self.education_ok,
            self.medical_ok,
            self.housing_ok,
            self.water_ok,
        ]
        return not all(checks) or self.income_change == IncomeChange.DECREASED


class DepartmentDataset(BaseModel):
    """部门数据: one uploaded file (or API push) of a department for a month."""

    department = models.CharField(_("部门"), max_length=24, choices=Department.choices)
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("区域"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.DateField(_("数据月份"), help_text=_("该月第一天"))
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    file_hash = models.CharField(_("文件哈希"), max_length=64)
    row_count = models.PositiveIntegerField(_("行数"), default=0)

    class Meta:
        verbose_name = _("部门数据")
        verbose_name_plural = _("部门数据")
        ordering = ["-period", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "area", "file_hash"], name="department_dataset_once"
            )
        ]


class DepartmentRecord(models.Model):
    """One row of a department dataset, keyed by the person's ID-number blind index."""

    dataset = models.ForeignKey(DepartmentDataset, on_delete=models.CASCADE, related_name="records")
    id_hash = models.CharField(max_length=64, db_index=True)
    month = models.DateField(_("月份"))
    kind = models.CharField(_("事项"), max_length=40)
    amount = models.DecimalField(_("金额"), null=True, blank=True, **MONEY)
    attributes = models.JSONField(_("其他字段"), default=dict, blank=True)

    class Meta:
        verbose_name = _("部门数据明细")
        indexes = [models.Index(fields=["dataset", "kind"])]


class RuleRun(BaseModel):
    """筛查运行: all enabled rules over an area and a month; a re-run replaces its slice."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("区域"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.DateField(_("筛查月份"))
    status = models.CharField(
        _("状态"), max_length=16, choices=RunStatus.choices, default=RunStatus.PENDING
    )
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    persons_count = models.PositiveIntegerField(_("筛查人数"), default=0)
    hits_count = models.PositiveIntegerField(_("命中数"), default=0)
    clues_created = models.PositiveIntegerField(_("新增线索"), default=0)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("筛查运行")
        verbose_name_plural = _("筛查运行")
        ordering = ["-period", "-id"]


class RuleHit(models.Model):
    """规则命中, with everything needed to explain it: rule code and version, the bound
    parameters and the input values that triggered it."""

    run = models.ForeignKey(RuleRun, on_delete=models.CASCADE, related_name="hits")
    rule_code = models.CharField(_("规则代码"), max_length=40)
    rule_version = models.PositiveSmallIntegerField(_("规则版本"))
    risk_type = models.CharField(_("风险类型"), max_length=24)
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("农户"), on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("成员"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    params = models.JSONField(_("参数"), default=dict)
    inputs = models.JSONField(_("触发数据"), default=dict)

    class Meta:
        verbose_name = _("规则命中")
        verbose_name_plural = _("规则命中")
        indexes = [models.Index(fields=["run", "rule_code"])]


class MonthlyAnalysis(BaseModel):
    """每月一研判: the township's monthly meeting with the figures the system drafted."""

    township = models.ForeignKey(
        "areas.Area", verbose_name=_("乡镇"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("月份"))
    figures = models.JSONField(_("数据"), default=dict)
    meeting_on = models.DateField(_("会议日期"), null=True, blank=True)
    attendees = models.TextField(_("参会人员"), blank=True)
    decisions = models.TextField(_("研判结论"), blank=True)
    follow_ups = models.TextField(_("后续工作"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=AnalysisStatus.choices, default=AnalysisStatus.DRAFT
    )

    class Meta:
        verbose_name = _("月度研判")
        verbose_name_plural = _("月度研判")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "month"], name="one_analysis_per_township_month"
            )
        ]

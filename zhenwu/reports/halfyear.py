"""半年（年度）工作总结及工作计划 of a township, computed from the data.

The report follows the township's written summary (seed: 沙地镇2023年上半年工作总结): one part
looking back over the period in four work areas —

  (一) 守住返贫底线   monitoring (new monitored households, 动态清零 problems, screening
                      visits), assistance (loans, public-welfare jobs, transport subsidy,
                      relocation follow-up) and the year's project funds;
  (二) 产业           featured industries, their enterprises and the industry projects;
  (三) 农村环境       圩镇 projects, garbage collection and sanitary toilet indicators;
  (四) 民生与社会治理 the other projects under way (敬老院, roads, irrigation …);

and one part looking ahead: the sections and tasks of the township's work plan for the
next period (2023H1 → 2023H2, 2023H2 → 2024H1, 2023 → 2024).

Every number is a ``Figure``: its display text, the value, and the URL of the list it was
counted from (list pages' own filter names), so the HTML preview links each number to its
rows. A figure whose source holds no rows says 暂无数据 instead; nothing is typed in.

The wording around the figures comes from the narrative templates (``halfyear_slots``:
defaults in the code, revisions staff save per township or district in the UI). The
builder computes a context of named figures, texts and lists, and each slot's template is
rendered with it (``lib.document.narrative``). The report is a ``lib.document`` Document:
HTML, plain text and .docx all render the same blocks.

Unscoped: ``half_year_report`` computes for any township (the CLI, run by the operator on
the server); ``half_year_report_for`` checks the user and audits ``reports.generated``."""

import datetime
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.assistance.models import FollowUpVisit, Relocation
from zhenwu.assistance.stats import assistance_figures
from zhenwu.core import audit
from zhenwu.lib.document import formats as fmt
from zhenwu.lib.document import narrative
from zhenwu.lib.document.model import H2, Block, Document, Figure, P
from zhenwu.lib.periods import Period, parse_period
from zhenwu.monitoring.figures import period_figures
from zhenwu.monitoring.links import figure_url
from zhenwu.monitoring.models import MonitoringCase, Problem
from zhenwu.projects.choices import ProjectStatus, ProjectType
from zhenwu.projects.models import Disbursement, Enterprise, FundingSource, Industry, Project
from zhenwu.projects.selectors import status_timeline
from zhenwu.reports.halfyear_slots import HALF_YEAR
from zhenwu.reports.selectors import current_texts
from zhenwu.reports.slots import TITLE
from zhenwu.workplans.figures import indicator_value
from zhenwu.workplans.models import Indicator, WorkPlan

logger = logging.getLogger(__name__)

# Permissions a user needs on the township to generate its report: the report draws on
# all four modules, and only township/district officers hold the monthly-analysis right.
REQUIRED_PERMS = (
    Perm.MONTHLY_ANALYSIS,
    Perm.VIEW_MONITORING,
    Perm.VIEW_ASSISTANCE,
    Perm.VIEW_PROJECTS,
    Perm.VIEW_PLANS,
)
GARBAGE_INDICATOR = "garbage_collection_rate"
TOILET_INDICATOR = "sanitary_toilet_coverage"
# A project's name marks it as 圩镇建设 (the township seat), reported under 农村环境.
TOWN_SEAT_MARK = "圩镇"
# Statuses after 批复: the project is under way or done.
ACTIVE_STATUSES = [
    ProjectStatus.APPROVED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.COMPLETED,
    ProjectStatus.ACCEPTED,
    ProjectStatus.ASSETS_REGISTERED,
]
NUMERALS = "一二三四五六七八九十"
# A plan section's own numbering (“（一）”, “一、”), replaced by the report's.
OWN_NUMBER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、)\s*")
# The slot after which the work plan's sections and tasks follow.
PLAN_SLOT = "plan_intro"


@dataclass
class Report(Document):
    """The half-year report: a Document with the area and periods it was made for."""

    area: Area | None = None
    period: Period | None = None
    next_period: Period | None = None
    warnings: list = field(default_factory=list)


class ReportError(ValueError):
    """The report cannot be made for these arguments (the CLI prints the message)."""


# --- entry points -----------------------------------------------------------------------------


def check_arguments(area: Area, period: Period) -> None:
    if area.level != AreaLevel.TOWNSHIP:
        raise ReportError(str(_("工作总结按乡镇生成，请选择乡镇。")))
    if period.kind not in ("half", "year"):
        raise ReportError(str(_("工作总结的期间应为半年（如 2023H1）或年度（如 2023）。")))


def half_year_report(area: Area, period: Period, overrides: dict | None = None) -> Report:
    """The report of ``area`` for ``period`` in the area's current wording; ``overrides``
    (slot → text) replaces some templates, for the editor's preview."""
    check_arguments(area, period)
    with translation.override("zh-hans"):
        texts = {key: current.text for key, current in current_texts(HALF_YEAR, area).items()}
        texts.update(overrides or {})
        return _Builder(area, period).build(texts)


def require_report_access(user, area: Area) -> None:
    """Refuse (DomainError) unless ``user`` holds every needed permission on ``area``."""
    for perm in REQUIRED_PERMS:
        require_perm(user, perm)
        require_area(user, area, perm)


def half_year_report_for(user, area: Area, period: Period, output: str = "html") -> Report:
    """The report for a user (scoped), audited as ``reports.generated``."""
    require_report_access(user, area)
    report = half_year_report(area, period)
    with transaction.atomic():
        audit.record(
            "reports.generated",
            actor=user,
            obj=area,
            data={"report": "half-year", "area": area.code, "period": period.code, "as": output},
        )
    return report


def next_period(period: Period) -> Period:
    year = period.start.year
    if period.kind == "year":
        return parse_period(str(year + 1))
    if period.code.endswith("H1"):
        return parse_period(f"{year}H2")
    return parse_period(f"{year + 1}H1")


def _url(name: str, **params) -> str:
    base = reverse(name)
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


def _numeral(index: int) -> str:
    return NUMERALS[index] if index < len(NUMERALS) else str(index + 1)


def _and(names: list[str]) -> str:
    return "、".join(names)


# --- the builder ------------------------------------------------------------------------------


class _Builder:
    """Computes the context (named figures, texts, lists), then renders every slot."""

    def __init__(self, area: Area, period: Period):
        self.area, self.period = area, period
        self.next = next_period(period)
        self.context: dict = {}
        self.figures: dict[str, Figure] = {}
        self.warnings: list[str] = []

    def build(self, texts: dict[str, str]) -> Report:
        self._common()
        self._prevention()
        self._industry()
        self._environment()
        self._livelihood()
        self._plan()
        title = "".join(
            run.text if isinstance(run, Figure) else run for run in self._render(TITLE, texts)
        )
        blocks: list[Block] = []
        for slot in HALF_YEAR.slots:
            if slot.key == TITLE:
                continue
            runs = self._render(slot.key, texts)
            if runs:
                blocks.append(Block(slot.kind, runs, slot=slot.key))
            if slot.key == PLAN_SLOT:
                blocks += self.plan_blocks
        return Report(
            title=title,
            blocks=blocks,
            figures=self.figures,
            subject=f"{self.area.name}{self.period.label}工作总结",
            keywords=self.period.code,
            area=self.area,
            period=self.period,
            next_period=self.next,
            warnings=self.warnings,
        )

    def _render(self, key: str, texts: dict[str, str]) -> list:
        slot = HALF_YEAR.get(key)
        try:
            return narrative.render(texts.get(key, slot.default), self.context)
        except narrative.TemplateError as error:
            # A saved revision that no longer fits (a placeholder removed since): the
            # default wording, and a warning on the preview.
            logger.warning("half-year template %s unusable for %s: %s", key, self.area, error)
            self.warnings.append(f"{slot.title}：{error}")
            return narrative.render(slot.default, self.context)

    def set(self, name: str, value) -> None:
        self.context[name] = value

    def fig(self, key, label, text, value, url, has_data=True) -> Figure:
        shown = text if has_data else str(fmt.NO_DATA)
        figure = Figure(key, str(label), shown, value, url, has_data)
        self.figures[key] = figure
        self.context[key] = figure
        return figure

    def _common(self) -> None:
        year = self.period.start.year
        self.set("township", self.area.name)
        self.set("period", self.period.label)
        self.set("end_date", fmt.cn_date(self.period.end))
        self.set("year", str(year))
        self.set("next_period", self.next.label)
        self.set("next_period_code", self.next.code)
        short = self.next.label
        if self.next.start.year == year:
            short = short.removeprefix(f"{year}年")
        self.set("next_period_short", short)

    # (一) 守住返贫底线 -------------------------------------------------------------------------

    def _prevention(self) -> None:
        monitoring = {
            item["key"]: item for item in period_figures(self.area, self.period)["summary"]
        }
        assistance = assistance_figures(self.area, self.period)
        self._screening(monitoring)
        self._monitored(monitoring)
        self._problems(monitoring)
        self._loans(assistance)
        self._jobs(assistance)
        self._transport(assistance)
        self._funds()
        self._relocation()

    def _screening(self, monitoring: dict) -> None:
        visits = monitoring["screening_visits"]
        url = figure_url(visits["filter"])
        self.fig(
            "screening_visits",
            visits["label"],
            fmt.count(visits["value"], "户次"),
            visits["value"],
            url,
            visits["has_data"],
        )

    def _monitored(self, monitoring: dict) -> None:
        households, people = monitoring["new_households"], monitoring["new_people"]
        url = figure_url(households["filter"])
        # No monitoring case at all in the township: the procedure was not used, so 0
        # would hide "not recorded".
        has_data = (
            households["has_data"]
            and MonitoringCase.objects.filter(
                household__village__path__startswith=self.area.path
            ).exists()
        )
        self.fig(
            "new_monitored",
            _("新识别纳入监测对象"),
            fmt.households_people(households["value"], people["value"]),
            (households["value"], people["value"]),
            url,
            has_data,
        )

    def _problems(self, monitoring: dict) -> None:
        fixed = monitoring["fixed_problems"]
        self.fig(
            "fixed_problems",
            fixed["label"],
            fmt.count(fixed["value"], "个"),
            fixed["value"],
            figure_url(fixed["filter"]),
            fixed["has_data"]
            and Problem.objects.filter(
                household__village__path__startswith=self.area.path
            ).exists(),
        )

    def _loans(self, assistance: dict) -> None:
        borrowers = assistance["figures"]["loan_borrowers"]
        amount = assistance["figures"]["loan_amount"]
        url = _url(
            "assistance:loan_list",
            area=self.area.code,
            issued_from=self.period.start.isoformat(),
            issued_to=self.period.end.isoformat(),
        )
        self.fig(
            "loan_borrowers",
            borrowers["label"],
            fmt.count(borrowers["value"], "人"),
            borrowers["value"],
            url,
            borrowers["has_data"],
        )
        self.fig(
            "loan_amount",
            amount["label"],
            fmt.wan_yuan(amount["value"]),
            amount["value"],
            url,
            amount["has_data"],
        )

    def _jobs(self, assistance: dict) -> None:
        jobs = assistance["figures"]["job_people"]
        url = _url("assistance:job_post_list")
        self.fig(
            "job_people",
            jobs["label"],
            fmt.count(jobs["value"], "人"),
            jobs["value"],
            url,
            jobs["has_data"],
        )
        rates = assistance["job_rates"]
        self.fig(
            "job_rate",
            _("公益性岗位月补贴标准"),
            "、".join(fmt.yuan(r) for r in rates),
            rates,
            url,
            bool(rates),
        )
        self.set("one_job_rate", len(rates) == 1)

    def _transport(self, assistance: dict) -> None:
        people_item = assistance["figures"]["transport_people"]
        amount_item = assistance["figures"]["transport_amount"]
        url = _url(
            "assistance:payment_batch_list",
            kind="transport",
            status="paid",
            period=str(self.period.start.year),
        )
        self.fig(
            "transport_people",
            people_item["label"],
            fmt.count(people_item["value"], "名"),
            people_item["value"],
            url,
            people_item["has_data"],
        )
        self.fig(
            "transport_amount",
            amount_item["label"],
            fmt.wan_yuan(amount_item["value"]),
            amount_item["value"],
            url,
            amount_item["has_data"],
        )

    def _funds(self) -> None:
        year = self.period.start.year
        rows = [row for row in self._projects() if row.project.year == year]
        budget = sum((row.budget for row in rows), Decimal("0"))
        paid = sum((row.disbursed for row in rows), Decimal("0"))
        url = _url("projects:project_list", year=year)
        has_data = bool(rows)
        self.fig(
            "fund_projects",
            _("已批复衔接资金项目（个）"),
            fmt.count(len(rows), "个"),
            len(rows),
            url,
            has_data,
        )
        self.fig("fund_budget", _("项目预算"), fmt.wan_yuan(budget), budget, url, has_data)
        self.fig("fund_paid", _("已拨付资金"), fmt.wan_yuan(paid), paid, url, has_data)
        ratio = fmt.ratio_percent(paid, budget)
        self.fig("fund_ratio", _("拨付进度"), ratio or "", ratio, url, ratio is not None)

    def _relocation(self) -> None:
        relocated = Relocation.objects.filter(
            household__village__path__startswith=self.area.path, moved_on__lte=self.period.end
        )
        visits = FollowUpVisit.objects.filter(
            relocation__in=relocated,
            visited_on__range=(self.period.start, self.period.end),
        )
        url = _url("assistance:site_list")
        households = relocated.count()
        self.fig(
            "relocated_households",
            _("易地搬迁户"),
            fmt.count(households, "户"),
            households,
            url,
            households > 0,
        )
        done = visits.count() if households else 0
        self.fig(
            "relocation_visits",
            _("后续扶持走访"),
            fmt.count(done, "次"),
            done,
            url,
            households > 0,
        )

    # projects ---------------------------------------------------------------------------------

    def _projects(self) -> list:
        """Projects of the township and its villages that were under way (批复 or later)
        at the period's end and not finished before it began, with budget and the funds
        paid out by the end. Cached: three sections read them."""
        if hasattr(self, "_project_rows"):
            return self._project_rows
        projects = Project.objects.filter(area__path__startswith=self.area.path).order_by("code")
        budgets = dict(
            FundingSource.objects.filter(project__in=projects)
            .values_list("project_id")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        paid = dict(
            Disbursement.objects.filter(project__in=projects, paid_on__lte=self.period.end)
            .values_list("project_id")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        rows = []
        for project in projects:
            status = _status_on(project, self.period.end)
            if status not in ACTIVE_STATUSES:
                continue
            if project.completed_on and project.completed_on < self.period.start:
                continue
            rows.append(
                _ProjectRow(
                    project,
                    status,
                    budgets.get(project.pk) or Decimal("0"),
                    paid.get(project.pk) or Decimal("0"),
                )
            )
        self._project_rows = rows
        return rows

    def _project_list(self, name: str, label, rows: list) -> None:
        """``name`` in the context: the projects as runs (name, then status, budget and
        payments linked to the project), or a no-data figure when there are none."""
        if not rows:
            url = _url("projects:project_list", year=self.period.start.year)
            self.fig(name, label, "", 0, url, False)
            return
        runs: list = []
        for index, row in enumerate(rows):
            url = reverse("projects:project_detail", args=[row.project.public_id])
            status = str(ProjectStatus(row.status).label)
            detail = (
                f"{status}，预算{fmt.wan_yuan(row.budget)}，已拨付{fmt.wan_yuan(row.disbursed)}"
            )
            ratio = fmt.ratio_percent(row.disbursed, row.budget)
            if ratio is not None:
                detail += f"，拨付进度{ratio}"
            key = f"{name.removesuffix('_projects')}_{row.project.code}"
            figure = Figure(key, row.project.name, detail, row, url)
            self.figures[key] = figure
            runs += ["、" if index else "", f"{row.project.name}（", figure, "）"]
        self.set(name, [run for run in runs if run != ""])

    # (二) 产业 --------------------------------------------------------------------------------

    def _industry(self) -> None:
        industries = list(
            Industry.objects.filter(area__path__startswith=self.area.path).order_by("id")
        )
        enterprises = list(
            Enterprise.objects.filter(village__path__startswith=self.area.path).order_by("id")
        )
        url = reverse("projects:industry")
        names = [industry.name for industry in industries]
        self.fig("industries", _("特色产业"), _and(names), len(names), url, bool(names))
        found = bool(enterprises)
        jobs = sum(e.jobs_for_lifted for e in enterprises)
        linked = sum(e.linked_households for e in enterprises)
        count = len(enterprises)
        self.fig(
            "enterprises", _("经营主体"), _and([e.name for e in enterprises]), count, url, found
        )
        self.fig("enterprise_count", _("经营主体（个）"), fmt.count(count, "个"), count, url, found)
        self.fig("enterprise_jobs", _("吸纳脱贫人口就业"), fmt.count(jobs, "人"), jobs, url, found)
        self.fig(
            "enterprise_households",
            _("联结带动农户"),
            fmt.count(linked, "户"),
            linked,
            url,
            found,
        )
        rows = [r for r in self._projects() if r.project.project_type == ProjectType.INDUSTRY]
        self._project_list("industry_projects", _("产业项目"), rows)

    # (三) 农村环境 ----------------------------------------------------------------------------

    def _environment(self) -> None:
        town = [r for r in self._projects() if TOWN_SEAT_MARK in r.project.name]
        self._project_list("town_projects", _("圩镇建设项目"), town)
        url = _url("workplans:indicator_board", area=self.area.code, period=self.period.code)
        self._indicator(GARBAGE_INDICATOR, url)
        self._indicator(TOILET_INDICATOR, url)

    def _indicator(self, code: str, url: str) -> Figure:
        indicator = Indicator.objects.filter(code=code).first()
        value = indicator_value(indicator, self.area, self.period) if indicator else None
        label = indicator.name if indicator else code
        shown = fmt.percent(value) if value is not None else ""
        return self.fig(code, label, shown, value, url, value is not None)

    # (四) 民生与社会治理 ----------------------------------------------------------------------

    def _livelihood(self) -> None:
        rows = [
            r
            for r in self._projects()
            if r.project.project_type != ProjectType.INDUSTRY
            and TOWN_SEAT_MARK not in r.project.name
        ]
        self._project_list("livelihood_projects", _("民生和基础设施项目"), rows)

    # 二、下一期工作安排 ------------------------------------------------------------------------

    def _plan(self) -> None:
        """``next_plan`` in the context and the plan's sections and tasks as blocks (they
        follow the ``plan_intro`` slot)."""
        self.plan_blocks: list[Block] = []
        plan = (
            WorkPlan.objects.filter(area=self.area, period=self.next.code)
            .prefetch_related("sections__tasks")
            .first()
        )
        if plan is None:
            self.fig("next_plan", _("工作计划"), "", None, _url("workplans:plan_list"), False)
            return
        url = reverse("workplans:plan_detail", args=[plan.public_id])
        self.fig("next_plan", _("工作计划"), plan.title, plan, url)
        for s_index, section in enumerate(plan.sections.all()):
            title = f"（{_numeral(s_index)}）{OWN_NUMBER.sub('', section.title)}"
            self.plan_blocks.append(Block(H2, [title]))
            for t_index, task in enumerate(section.tasks.all(), start=1):
                self.plan_blocks.append(self._task(t_index, task))

    def _task(self, index: int, task) -> Block:
        notes = []
        if task.lead_unit:
            notes.append(f"牵头单位：{task.lead_unit}")
        if task.deadline_on:
            notes.append(f"完成时限：{fmt.cn_date(task.deadline_on)}")
        body = task.description.strip().rstrip("。；;.")
        if notes:
            body += f"（{'；'.join(notes)}）"
        return Block(P, [f"{body}。" if body else ""], lead=f"{index}. {task.title}。")


@dataclass
class _ProjectRow:
    project: Project
    status: str
    budget: Decimal
    disbursed: Decimal


def _status_on(project: Project, day: datetime.date) -> str | None:
    """The project's status at the end of ``day`` (from its audited steps); None when it
    did not exist yet. Without any audited step, its current status."""
    steps = status_timeline(project)
    if not steps:
        return project.status
    status = None
    for step in steps:
        if datetime.date.fromisoformat(step["on"]) <= day:
            status = step["to"]
    return status

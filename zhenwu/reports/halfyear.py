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

The report is a list of blocks (heading levels 1–3 or paragraphs); a block's ``runs`` are
plain strings and figures. HTML, plain text and .docx all render the same blocks.

Unscoped: ``half_year_report`` computes for any township (the CLI, run by the operator on
the server); ``half_year_report_for`` checks the user and audits ``reports.generated``."""

import datetime
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
from zhenwu.lib.periods import Period, parse_period
from zhenwu.monitoring.figures import period_figures
from zhenwu.monitoring.models import MonitoringCase, Problem
from zhenwu.projects.choices import ProjectStatus, ProjectType
from zhenwu.projects.models import Disbursement, Enterprise, FundingSource, Industry, Project
from zhenwu.projects.selectors import status_timeline
from zhenwu.reports import text as fmt
from zhenwu.workplans.figures import indicator_value
from zhenwu.workplans.models import Indicator, WorkPlan

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
NO_DATA_NOTE = _("（暂无数据）")

H1, H2, P = "h1", "h2", "p"


@dataclass(frozen=True)
class Figure:
    """A number in the report: ``text`` as printed, ``url`` of the rows it counts."""

    key: str
    label: str
    text: str
    value: object
    url: str
    has_data: bool = True


@dataclass
class Block:
    kind: str  # h1, h2 or p
    runs: list = field(default_factory=list)
    lead: str = ""  # a paragraph's lead-in printed as a heading (“1. 任务。”)

    @property
    def text(self) -> str:
        body = "".join(run.text if isinstance(run, Figure) else str(run) for run in self.runs)
        return self.lead + body


@dataclass
class Report:
    title: str
    area: Area
    period: Period
    next_period: Period
    blocks: list[Block]
    figures: dict[str, Figure]

    def as_text(self) -> str:
        return "\n".join([self.title, "", *[block.text for block in self.blocks]]) + "\n"


class ReportError(ValueError):
    """The report cannot be made for these arguments (the CLI prints the message)."""


# --- entry points -----------------------------------------------------------------------------


def check_arguments(area: Area, period: Period) -> None:
    if area.level != AreaLevel.TOWNSHIP:
        raise ReportError(str(_("工作总结按乡镇生成，请选择乡镇。")))
    if period.kind not in ("half", "year"):
        raise ReportError(str(_("工作总结的期间应为半年（如 2023H1）或年度（如 2023）。")))


def half_year_report(area: Area, period: Period) -> Report:
    check_arguments(area, period)
    with translation.override("zh-hans"):
        return _Builder(area, period).build()


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
    def __init__(self, area: Area, period: Period):
        self.area, self.period = area, period
        self.next = next_period(period)
        self.blocks: list[Block] = []
        self.figures: dict[str, Figure] = {}
        self.end_text = fmt.cn_date(period.end)

    def build(self) -> Report:
        title = f"{self.area.name}{self.period.label}工作总结及{self._next_label()}工作计划"
        self.h1(f"一、{self.period.label}工作总结")
        self.p(
            f"{self.period.label}，{self.area.name}坚持巩固拓展脱贫攻坚成果同乡村振兴有效衔接，"
            f"统筹推进防返贫监测帮扶、产业发展、农村环境整治和民生事业，"
            f"现将截至{self.end_text}的工作情况总结如下："
        )
        self._prevention()
        self._industry()
        self._environment()
        self._livelihood()
        self._plan()
        return Report(title, self.area, self.period, self.next, self.blocks, self.figures)

    def _next_label(self) -> str:
        if self.next.start.year == self.period.start.year:
            return self.next.label.removeprefix(f"{self.period.start.year}年")
        return self.next.label

    # blocks and figures

    def h1(self, *runs) -> None:
        self.blocks.append(Block(H1, list(runs)))

    def h2(self, *runs) -> None:
        self.blocks.append(Block(H2, list(runs)))

    def p(self, *runs) -> None:
        self.blocks.append(Block(P, [run for run in runs if run != ""]))

    def fig(self, key, label, text, value, url, has_data=True) -> Figure:
        shown = text if has_data else str(fmt.NO_DATA)
        figure = Figure(key, str(label), shown, value, url, has_data)
        self.figures[key] = figure
        return figure

    # (一) 守住返贫底线 -------------------------------------------------------------------------

    def _prevention(self) -> None:
        self.h2("（一）守住返贫底线，持续巩固拓展脱贫攻坚成果")
        monitoring = {
            item["key"]: item for item in period_figures(self.area, self.period)["summary"]
        }
        assistance = assistance_figures(self.area, self.period)
        runs: list = [
            f"{self.area.name}严格落实“三线并行”监测预警和“每月一排查、每月一研判”工作机制，"
            "抓好防返贫监测和帮扶工作。"
        ]
        runs += self._screening(monitoring)
        runs += self._monitored(monitoring)
        runs += self._problems(monitoring)
        runs += self._loans(assistance)
        runs += self._jobs(assistance)
        runs += self._transport(assistance)
        runs += self._funds()
        runs += self._relocation()
        self.p(*runs)

    def _screening(self, monitoring: dict) -> list:
        visits = monitoring["screening_visits"]
        url = _url("monitoring:screening_overview", month=f"{self.period.end:%Y-%m}")
        figure = self.fig(
            "screening_visits",
            visits["label"],
            fmt.count(visits["value"], "户次"),
            visits["value"],
            url,
            visits["has_data"],
        )
        if not figure.has_data:
            return ["月度排查走访：", figure, "；"]
        return [f"{self.period.label}各村开展月度排查，累计走访", figure, "；"]

    def _monitored(self, monitoring: dict) -> list:
        households, people = monitoring["new_households"], monitoring["new_people"]
        url = _url("monitoring:case_list", kind="identification", status="approved")
        # No monitoring case at all in the township: the procedure was not used, so 0
        # would hide "not recorded".
        has_data = (
            households["has_data"]
            and MonitoringCase.objects.filter(
                household__village__path__startswith=self.area.path
            ).exists()
        )
        figure = self.fig(
            "new_monitored",
            _("新识别纳入监测对象"),
            fmt.households_people(households["value"], people["value"]),
            (households["value"], people["value"]),
            url,
            has_data,
        )
        if not has_data:
            return ["新识别纳入监测对象：", figure, "；"]
        return ["新识别纳入监测对象", figure, "，实现应纳尽纳；"]

    def _problems(self, monitoring: dict) -> list:
        fixed = monitoring["fixed_problems"]
        figure = self.fig(
            "fixed_problems",
            fixed["label"],
            fmt.count(fixed["value"], "个"),
            fixed["value"],
            _url("monitoring:problem_list", status="fixed"),
            fixed["has_data"]
            and Problem.objects.filter(
                household__village__path__startswith=self.area.path
            ).exists(),
        )
        return [
            "完善住房、饮水等问题动态清零机制，整改销号“两不愁三保障”及饮水安全问题",
            figure,
            "；",
        ]

    def _loans(self, assistance: dict) -> list:
        borrowers = assistance["figures"]["loan_borrowers"]
        amount = assistance["figures"]["loan_amount"]
        url = _url(
            "assistance:loan_list",
            issued_from=self.period.start.isoformat(),
            issued_to=self.period.end.isoformat(),
        )
        people = self.fig(
            "loan_borrowers",
            borrowers["label"],
            fmt.count(borrowers["value"], "人"),
            borrowers["value"],
            url,
            borrowers["has_data"],
        )
        money = self.fig(
            "loan_amount",
            amount["label"],
            fmt.wan_yuan(amount["value"]),
            amount["value"],
            url,
            amount["has_data"],
        )
        if not people.has_data:
            return ["“产业振兴信贷通”贷款：", people, "；"]
        return ["发放“产业振兴信贷通”贷款", people, "，贷款金额", money, "；"]

    def _jobs(self, assistance: dict) -> list:
        jobs = assistance["figures"]["job_people"]
        people = self.fig(
            "job_people",
            jobs["label"],
            fmt.count(jobs["value"], "人"),
            jobs["value"],
            _url("assistance:job_post_list"),
            jobs["has_data"],
        )
        if not people.has_data:
            return ["公益性岗位：", people, "；"]
        rates = assistance["job_rates"]
        rate = self.fig(
            "job_rate",
            _("公益性岗位月补贴标准"),
            "、".join(fmt.yuan(r) for r in rates),
            rates,
            _url("assistance:job_post_list"),
            bool(rates),
        )
        lead = "人均月补贴" if len(rates) == 1 else "月补贴标准"
        return ["安置脱贫人口公益性岗位", people, f"，{lead}", rate, "，实现在家门口就业增收；"]

    def _transport(self, assistance: dict) -> list:
        people_item = assistance["figures"]["transport_people"]
        amount_item = assistance["figures"]["transport_amount"]
        url = _url(
            "assistance:payment_batch_list",
            kind="transport",
            status="paid",
            period=str(self.period.start.year),
        )
        people = self.fig(
            "transport_people",
            people_item["label"],
            fmt.count(people_item["value"], "名"),
            people_item["value"],
            url,
            people_item["has_data"],
        )
        money = self.fig(
            "transport_amount",
            amount_item["label"],
            fmt.wan_yuan(amount_item["value"]),
            amount_item["value"],
            url,
            amount_item["has_data"],
        )
        if not people.has_data:
            return ["脱贫劳动力交通补贴：", people, "；"]
        return ["为", people, "脱贫劳动力发放交通补贴，补贴金额", money, "；"]

    def _funds(self) -> list:
        year = self.period.start.year
        rows = [row for row in self._projects() if row.project.year == year]
        budget = sum((row.budget for row in rows), Decimal("0"))
        paid = sum((row.disbursed for row in rows), Decimal("0"))
        url = _url("projects:project_list", year=year)
        has_data = bool(rows)
        count = self.fig(
            "fund_projects",
            _("已批复衔接资金项目（个）"),
            fmt.count(len(rows), "个"),
            len(rows),
            url,
            has_data,
        )
        if not has_data:
            return [f"持续加强项目资金绩效管理，{year}年度已批复项目：", count, "；"]
        budget_fig = self.fig("fund_budget", _("项目预算"), fmt.wan_yuan(budget), budget, url)
        paid_fig = self.fig("fund_paid", _("已拨付资金"), fmt.wan_yuan(paid), paid, url)
        ratio = fmt.ratio_percent(paid, budget)
        runs = [
            f"持续加强项目资金绩效管理，{year}年度已批复项目",
            count,
            "，预算",
            budget_fig,
            f"，截至{self.end_text}已拨付",
            paid_fig,
        ]
        if ratio is not None:
            runs += ["，拨付进度", self.fig("fund_ratio", _("拨付进度"), ratio, ratio, url)]
        return [*runs, "；"]

    def _relocation(self) -> list:
        relocated = Relocation.objects.filter(
            household__village__path__startswith=self.area.path, moved_on__lte=self.period.end
        )
        visits = FollowUpVisit.objects.filter(
            relocation__in=relocated,
            visited_on__range=(self.period.start, self.period.end),
        )
        url = _url("assistance:site_list")
        households = relocated.count()
        family = self.fig(
            "relocated_households",
            _("易地搬迁户"),
            fmt.count(households, "户"),
            households,
            url,
            households > 0,
        )
        if not family.has_data:
            return ["易地搬迁后续扶持：", family, "。"]
        done = visits.count()
        visit = self.fig("relocation_visits", _("后续扶持走访"), fmt.count(done, "次"), done, url)
        return ["强化易地搬迁后续扶持，对", family, "搬迁户开展后续帮扶走访", visit, "。"]

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

    def _project_runs(self, rows: list, key_prefix: str) -> list:
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
            figure = self.fig(
                f"{key_prefix}_{row.project.code}", row.project.name, detail, row, url
            )
            runs += ["、" if index else "", f"{row.project.name}（", figure, "）"]
        return runs

    # (二) 产业 --------------------------------------------------------------------------------

    def _industry(self) -> None:
        self.h2("（二）夯实产业基础，促进产业多元化发展")
        industries = list(
            Industry.objects.filter(area__path__startswith=self.area.path).order_by("id")
        )
        enterprises = list(
            Enterprise.objects.filter(village__path__startswith=self.area.path).order_by("id")
        )
        industry_url = reverse("projects:industry")
        names = self.fig(
            "industries",
            _("特色产业"),
            _and([industry.name for industry in industries]),
            len(industries),
            industry_url,
            bool(industries),
        )
        runs: list = ["一是巩固特色产业。"]
        if not names.has_data:
            runs += ["特色产业：", names, "。"]
        else:
            runs += ["立足本地资源禀赋，全力推动", names, "等特色产业发展。"]
        if enterprises:
            jobs = sum(e.jobs_for_lifted for e in enterprises)
            linked = sum(e.linked_households for e in enterprises)
            runs += [
                self.fig(
                    "enterprises",
                    _("经营主体"),
                    _and([e.name for e in enterprises]),
                    len(enterprises),
                    industry_url,
                ),
                "等",
                self.fig(
                    "enterprise_count",
                    _("经营主体（个）"),
                    fmt.count(len(enterprises), "个"),
                    len(enterprises),
                    industry_url,
                ),
                "经营主体丰富了发展业态，吸纳脱贫人口就业",
                self.fig(
                    "enterprise_jobs",
                    _("吸纳脱贫人口就业"),
                    fmt.count(jobs, "人"),
                    jobs,
                    industry_url,
                ),
                "，联结带动农户",
                self.fig(
                    "enterprise_households",
                    _("联结带动农户"),
                    fmt.count(linked, "户"),
                    linked,
                    industry_url,
                ),
                "。",
            ]
        else:
            runs += [
                "经营主体：",
                self.fig("enterprises", _("经营主体"), "", 0, industry_url, False),
                "。",
            ]
        self.p(*runs)
        rows = [r for r in self._projects() if r.project.project_type == ProjectType.INDUSTRY]
        if rows:
            self.p("二是推进产业项目建设。", *self._project_runs(rows, "industry"), "。")

    # (三) 农村环境 ----------------------------------------------------------------------------

    def _environment(self) -> None:
        self.h2("（三）改善农村环境，提升广大群众生活质量")
        town = [r for r in self._projects() if TOWN_SEAT_MARK in r.project.name]
        runs: list = [
            "一是大力推动乡镇建设行动。结合美丽乡镇建设和示范镇建设行动，补齐圩镇功能短板，"
        ]
        if town:
            runs += ["推进", *self._project_runs(town, "town"), "。"]
        else:
            runs += [
                "圩镇建设项目：",
                self.fig(
                    "town_projects",
                    _("圩镇建设项目"),
                    "",
                    0,
                    _url("projects:project_list", year=self.period.start.year),
                    False,
                ),
                "。",
            ]
        self.p(*runs)
        url = _url("workplans:indicator_board", area=self.area.code, period=self.period.code)
        garbage = self._indicator(GARBAGE_INDICATOR, url)
        toilets = self._indicator(TOILET_INDICATOR, url)
        self.p(
            "二是著力整治人居环境。抓好农村生活垃圾专项治理、厕所革命和村容村貌提升，"
            "农村生活垃圾收运率",
            garbage,
            "，卫生厕所普及率",
            toilets,
            "。",
        )

    def _indicator(self, code: str, url: str) -> Figure:
        indicator = Indicator.objects.filter(code=code).first()
        value = indicator_value(indicator, self.area, self.period) if indicator else None
        label = indicator.name if indicator else code
        shown = fmt.percent(value) if value is not None else ""
        return self.fig(code, label, shown, value, url, value is not None)

    # (四) 民生与社会治理 ----------------------------------------------------------------------

    def _livelihood(self) -> None:
        self.h2("（四）厚植民生福祉，全面发展社会事业")
        rows = [
            r
            for r in self._projects()
            if r.project.project_type != ProjectType.INDUSTRY
            and TOWN_SEAT_MARK not in r.project.name
        ]
        runs: list = ["一是推进民生事业发展。坚持以人民为中心，办好民生实事，"]
        if rows:
            runs += [
                "推进",
                *self._project_runs(rows, "livelihood"),
                "等项目建设，补齐村级功能短板。",
            ]
        else:
            runs += [
                "民生和村级基础设施项目：",
                self.fig(
                    "livelihood_projects",
                    _("民生和基础设施项目"),
                    "",
                    0,
                    _url("projects:project_list", year=self.period.start.year),
                    False,
                ),
                "。",
            ]
        self.p(*runs)
        self.p(
            "二是推进社会和谐稳定。安全生产、信访维稳、扫黑除恶和法治建设等工作",
            str(NO_DATA_NOTE),
            "，请据实补充。",
        )

    # 二、下一期工作安排 ------------------------------------------------------------------------

    def _plan(self) -> None:
        label = self.next.label
        self.h1(f"二、{label}工作安排")
        plan = (
            WorkPlan.objects.filter(area=self.area, period=self.next.code)
            .prefetch_related("sections__tasks")
            .first()
        )
        if plan is None:
            self.p(
                f"{label}工作计划",
                self.fig(
                    "next_plan",
                    _("工作计划"),
                    "",
                    None,
                    _url("workplans:plan_list"),
                    False,
                ),
                f"（工作计划模块中没有{self.area.name}{self.next.code}的计划）。",
            )
            return
        url = reverse("workplans:plan_detail", args=[plan.public_id])
        self.figures["next_plan"] = Figure("next_plan", str(_("工作计划")), plan.title, plan, url)
        self.p(
            f"{label}，{self.area.name}将按照《",
            self.figures["next_plan"],
            "》，重点抓好以下工作：",
        )
        for s_index, section in enumerate(plan.sections.all()):
            self.h2(f"（{_numeral(s_index)}）{OWN_NUMBER.sub('', section.title)}")
            for t_index, task in enumerate(section.tasks.all(), start=1):
                self._task(t_index, task)

    def _task(self, index: int, task) -> None:
        notes = []
        if task.lead_unit:
            notes.append(f"牵头单位：{task.lead_unit}")
        if task.deadline_on:
            notes.append(f"完成时限：{fmt.cn_date(task.deadline_on)}")
        body = task.description.strip().rstrip("。；;.")
        if notes:
            body += f"（{'；'.join(notes)}）"
        self.blocks.append(Block(P, [f"{body}。" if body else ""], lead=f"{index}. {task.title}。"))


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

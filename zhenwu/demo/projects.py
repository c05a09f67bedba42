"""The projects demo for 沙地镇 (issue 5 item 5, DEMO.md "Named things"): the project library
with its 衔接资金, disbursements, milestones, performance targets and benefit linkage; the
assets the accepted plants formed and their 2023 income; the featured industries with their
enterprises and cooperatives.

Everything goes through the actions, in the order the work happened: the township officer
applies (申报), adds funding, milestones and targets, reports start, completion, assets and
income; the district officer approves (入库, 验收) and a second district reviewer gives the
批复 (maker ≠ checker: whoever made the previous step cannot approve the next one). No status
is written directly: each project reaches it through the transitions.

Budgets are plausible, not real: the report names the projects, not their costs.
"""

import datetime
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from zhenwu.accounts.actions import do_create_user
from zhenwu.accounts.models import User
from zhenwu.accounts.roles import Role
from zhenwu.areas.models import Area
from zhenwu.demo.accounts import DISTRICT, _random_password
from zhenwu.demo.generator import TOWNSHIP_CODE
from zhenwu.projects.actions import projects as p
from zhenwu.projects.actions.assets import do_record_asset_income, do_register_asset
from zhenwu.projects.actions.industry import do_create_enterprise, do_create_industry
from zhenwu.projects.choices import (
    AssetType,
    BudgetItem,
    EnterpriseKind,
    FundingSourceKind,
    ProjectStatus,
    ProjectType,
    TargetDimension,
)

D = datetime.date
S = ProjectStatus
REVIEWER_USERNAME = "district_reviewer"
DEMO_END = D(2023, 6, 30)
ORDER = [S.PROPOSED, S.IN_LIBRARY, S.APPROVED, S.IN_PROGRESS, S.COMPLETED, S.ACCEPTED, S.ASSETS_REGISTERED]  # fmt: skip
# Village codes of the demo's area tree (areas/data/shadi.csv).
V = {
    "沙地圩居委会": "360704101001", "湖溪村": "360704101201", "中庄村": "360704101202",
    "马口村": "360704101203", "银村": "360704101204", "水边村": "360704101205",
    "坳下村": "360704101206", "高峰村": "360704101207", "沙地村": "360704101208",
    "洋村": "360704101209", "石鼓村": "360704101210", "坳上村": "360704101211",
    "五龙村": "360704101213", "螺田村": "360704101214", "利群村": "360704101215",
    "西山村": "360704101216", "锡溪村": "360704101217",
}  # fmt: skip
INDUSTRIES = [
    ("板鸭", "沙地板鸭腌制加工，“一村一品”主导产业"),
    ("水稻", "优质稻、富硒大米与集中育秧"),
    ("油茶", "低产油茶林改造与茶油加工"),
    ("富硒蔬菜", "富硒蔬菜基地"),
    ("水果采摘", "会仙谷葡萄、甜瓜、草莓采摘"),
    ("鱼丝", "传统鱼丝手工加工"),
    ("预制菜", "赣南小炒预制菜加工"),
]


@dataclass(frozen=True)
class Plan:
    """One demo project and how far it got by 2023-06-30."""

    code: str
    name: str
    village: str  # a key of V, or "" for the township
    project_type: str
    year: int
    budget: tuple  # ((source, budget item, yuan), ...)
    status: str
    start: D
    end: D
    jobs: int = 0
    households: int = 0
    lifted: int = 0
    linkage: str = ""
    output: str = ""  # 产出·数量 indicator "建成…"
    spent_share: Decimal = Decimal("1")  # share of the budget paid out so far
    asset: tuple | None = None  # (name, type, owner, upkeep_by)
    income: tuple | None = None  # (2023 yuan, distribution)
    lead_unit: str = "沙地镇人民政府"


def _split(total: int, item: str, central: str = "0.6", province: str = "0.25") -> tuple:
    """衔接资金 split central / province / district of a total budget."""
    c = Decimal(total) * Decimal(central)
    pr = Decimal(total) * Decimal(province)
    parts = (
        (FundingSourceKind.CENTRAL, item, c),
        (FundingSourceKind.PROVINCE, item, pr),
        (FundingSourceKind.DISTRICT, item, Decimal(total) - c - pr),
    )
    return tuple(part for part in parts if part[2] > 0)


PROD, INFRA = BudgetItem.PRODUCTION, BudgetItem.RURAL_INFRASTRUCTURE
IND, INF, LIV, ENV, OTH = (
    ProjectType.INDUSTRY,
    ProjectType.INFRASTRUCTURE,
    ProjectType.LIVELIHOOD,
    ProjectType.ENVIRONMENT,
    ProjectType.OTHER,
)
OP, PW = AssetType.OPERATING, AssetType.PUBLIC_WELFARE


def _plant(code, name, village, year, total, start, end, jobs, households, lifted, product, income):
    collective = f"{village}股份经济合作社"
    return Plan(
        code=code, name=name, village=village, project_type=IND, year=year,
        budget=_split(total, PROD), status=S.ASSETS_REGISTERED, start=start, end=end,
        jobs=jobs, households=households, lifted=lifted,
        linkage=f"村集体以厂房设备入股，按资产原值6%收取租金用于分红；优先吸纳脱贫人口务工；收购农户{product}。",
        output=f"建成{product}加工厂房及生产线1条", asset=(f"{name}厂房及设备", OP, collective, name),
        income=income,
    )  # fmt: skip


PLANS = [
    _plant("SD-2022-CY-01", "螺田板鸭厂", "螺田村", 2022, 1_200_000, D(2022, 3, 1), D(2022, 10, 31),
           16, 120, 46, "板鸭", (Decimal("72000"), "按资产原值6%收取收益72000元：村集体留存30%用于公益事业，70%分配给46户脱贫户（监测户）。")),
    _plant("SD-2022-CY-02", "马口富硒大米加工厂", "马口村", 2022, 980_000, D(2022, 4, 1), D(2022, 11, 30),
           11, 210, 58, "富硒稻谷", (Decimal("58800"), "收益58800元：40%用于村级公益岗位，60%分配给58户脱贫户（监测户）。")),
    _plant("SD-2023-CY-01", "坳上集中育秧工厂", "坳上村", 2023, 860_000, D(2023, 1, 5), D(2023, 3, 20),
           8, 300, 64, "秧苗", (Decimal("25800"), "2023年早稻育秧服务收益25800元，用于村集体经济和脱贫户分红。")),
    _plant("SD-2022-CY-03", "洋村粮油加工厂", "洋村", 2022, 760_000, D(2022, 5, 1), D(2022, 12, 15),
           9, 150, 37, "稻谷、油茶籽", (Decimal("45600"), "收益45600元：30%村集体留存，70%分配给37户脱贫户（监测户）。")),
    _plant("SD-2023-CY-02", "水边粮油加工厂", "水边村", 2023, 720_000, D(2023, 1, 10), D(2023, 4, 30),
           7, 130, 31, "稻谷、油菜籽", (Decimal("21600"), "2023年上半年收益21600元，用于村集体经济和脱贫户分红。")),
    Plan("SD-2023-MS-01", "沙地敬老院建设项目", "", LIV, 2023,
         ((FundingSourceKind.PROVINCE, INFRA, Decimal("1800000")), (FundingSourceKind.DISTRICT, INFRA, Decimal("1400000"))),
         S.IN_PROGRESS, D(2023, 6, 1), D(2024, 6, 30), households=60, lifted=25,
         linkage="集中供养特困人员和失能半失能老人，优先安排脱贫人口护理岗位。",
         output="新建敬老院床位80张", spent_share=Decimal("0.3")),
    Plan("SD-2023-JC-01", "圩镇示范街改造", "沙地圩居委会", INF, 2023, _split(2_500_000, INFRA, "0.5", "0.3"),
         S.IN_PROGRESS, D(2023, 3, 1), D(2023, 10, 31), jobs=12, households=420, lifted=18,
         linkage="施工优先雇用本地脱贫劳动力；沿街商户免费入驻电商服务点。",
         output="改造示范街1.2公里（立面、管网、路面）", spent_share=Decimal("0.55")),
    Plan("SD-2023-CY-03", "会仙谷采摘旅游基地", "高峰村", IND, 2023, _split(1_500_000, PROD),
         S.IN_PROGRESS, D(2023, 2, 15), D(2023, 9, 30), jobs=20, households=160, lifted=42,
         linkage="土地流转租金、务工工资和采摘门票收益分红三重联结。",
         output="建成葡萄、甜瓜、草莓采摘大棚120亩", spent_share=Decimal("0.6")),
    Plan("SD-2022-JC-01", "湖溪村组级道路硬化", "湖溪村", INF, 2022, _split(460_000, INFRA),
         S.ASSETS_REGISTERED, D(2022, 4, 1), D(2022, 8, 31), households=180, lifted=26,
         linkage="改善脱贫户出行和农产品运输条件。", output="硬化组级道路3.2公里",
         asset=("湖溪村组级道路3.2公里", PW, "湖溪村股份经济合作社", "湖溪村民委员会")),
    Plan("SD-2023-JC-02", "石鼓村通组公路拓宽", "石鼓村", INF, 2023, _split(620_000, INFRA),
         S.IN_PROGRESS, D(2023, 4, 10), D(2023, 9, 30), households=140, lifted=21,
         linkage="方便群众出行，施工雇用脱贫劳动力。", output="拓宽通组公路2.5公里", spent_share=Decimal("0.4")),
    Plan("SD-2023-JC-03", "坳下村高标准农田灌溉渠", "坳下村", INF, 2023, _split(380_000, INFRA),
         S.COMPLETED, D(2023, 2, 20), D(2023, 5, 31), households=210, lifted=33,
         linkage="改善灌溉条件，保障水稻种植。", output="新建三面光灌溉渠2.1公里", spent_share=Decimal("0.9")),
    Plan("SD-2023-JC-04", "五龙村山塘整治及灌溉", "五龙村", INF, 2023, _split(290_000, INFRA),
         S.APPROVED, D(2023, 7, 1), D(2023, 11, 30), households=95, lifted=14,
         linkage="恢复山塘蓄水，保障灌溉。", output="整治山塘2座、修复渠道1.4公里", spent_share=Decimal("0")),
    Plan("SD-2023-JC-05", "中庄村公益性公墓", "中庄村", ENV, 2023, _split(500_000, INFRA, "0", "0.5"),
         S.PROPOSED, D(2023, 8, 1), D(2023, 12, 31), output="新建村级公益性公墓1处", spent_share=Decimal("0")),
    Plan("SD-2023-JC-06", "利群村公益性公墓", "利群村", ENV, 2023, _split(480_000, INFRA, "0", "0.5"),
         S.IN_LIBRARY, D(2023, 8, 1), D(2023, 12, 31), output="新建村级公益性公墓1处", spent_share=Decimal("0")),
    *[
        Plan(f"SD-2023-GH-0{i}", f"{village}多规合一实用性村庄规划", village, OTH, 2023,
             ((FundingSourceKind.DISTRICT, BudgetItem.OTHER, Decimal("150000")),),
             S.PROPOSED, D(2023, 7, 15), D(2023, 12, 31), output="编制完成村庄规划1部",
             spent_share=Decimal("0"), lead_unit="赣县区自然资源局沙地所")
        for i, village in enumerate(["螺田村", "洋村", "银村"], start=1)
    ],
]  # fmt: skip

# (village, name, kind, industry, products, jobs for 脱贫 people, linked households, project code)
ENTERPRISES = [
    ("螺田村", "螺田板鸭厂", EnterpriseKind.ENTERPRISE, "板鸭", "沙地板鸭、腊鸭", 16, 120, "SD-2022-CY-01"),
    ("沙地村", "沙地板鸭专业合作社", EnterpriseKind.COOPERATIVE, "板鸭", "麻鸭养殖、板鸭", 6, 85, None),
    ("马口村", "马口富硒大米加工厂", EnterpriseKind.ENTERPRISE, "水稻", "富硒大米", 11, 210, "SD-2022-CY-02"),
    ("坳上村", "坳上集中育秧工厂", EnterpriseKind.ENTERPRISE, "水稻", "早稻、晚稻秧苗", 8, 300, "SD-2023-CY-01"),
    ("洋村", "洋村粮油加工厂", EnterpriseKind.ENTERPRISE, "水稻", "大米、茶油", 9, 150, "SD-2022-CY-03"),
    ("水边村", "水边粮油加工厂", EnterpriseKind.ENTERPRISE, "水稻", "大米、菜籽油", 7, 130, "SD-2023-CY-02"),
    ("西山村", "西山村油茶专业合作社", EnterpriseKind.COOPERATIVE, "油茶", "油茶籽、茶油", 10, 96, None),
    ("马口村", "马口村富硒蔬菜专业合作社", EnterpriseKind.COOPERATIVE, "富硒蔬菜", "富硒蔬菜", 9, 74, None),
    ("高峰村", "会仙谷采摘园", EnterpriseKind.ENTERPRISE, "水果采摘", "葡萄、甜瓜、草莓采摘", 20, 160, "SD-2023-CY-03"),
    ("锡溪村", "锡溪鱼丝加工就业帮扶车间", EnterpriseKind.WORKSHOP, "鱼丝", "手工鱼丝", 14, 45, None),
    ("沙地圩居委会", "沙地预制菜加工厂", EnterpriseKind.ENTERPRISE, "预制菜", "赣南小炒预制菜", 12, 60, None),
]  # fmt: skip

# 绩效目标: (dimension, indicator, target, unit, weight); weights add up to 100.
TARGETS = [
    (TargetDimension.OUTPUT_QUANTITY, "{output}", "1", "项", 20),
    (TargetDimension.OUTPUT_QUALITY, "工程验收合格率", "100", "%", 10),
    (TargetDimension.OUTPUT_TIMELINESS, "按计划完工率", "100", "%", 10),
    (TargetDimension.OUTPUT_COST, "不超过批复预算", "{budget}", "元", 10),
    (TargetDimension.BENEFIT_ECONOMIC, "带动脱贫人口就业", "{jobs}", "人", 10),
    (TargetDimension.BENEFIT_SOCIAL, "受益脱贫户（监测户）", "{lifted}", "户", 10),
    (TargetDimension.BENEFIT_SUSTAINABLE, "工程设计使用年限", "15", "年", 10),
    (TargetDimension.SATISFACTION, "受益群众满意度", "≥95", "%", 20),
]
SATISFACTION_ACTUAL = "97"


@dataclass
class ProjectsDemoSummary:
    projects: int = 0
    by_status: Counter = field(default_factory=Counter)
    budget: Decimal = Decimal("0")
    disbursed: Decimal = Decimal("0")
    assets: int = 0
    asset_income: Decimal = Decimal("0")
    industries: int = 0
    enterprises: int = 0
    jobs_for_lifted: int = 0

    def lines(self) -> list[str]:
        statuses = "，".join(f"{S(s).label} {n}" for s, n in sorted(self.by_status.items(), key=lambda i: ORDER.index(i[0])))  # fmt: skip
        return [
            f"项目库：{self.projects} 个项目（{statuses}），预算 {self.budget} 元，已拨付 {self.disbursed} 元；",
            f"资产 {self.assets} 项，2023 年资产收益 {self.asset_income} 元；"
            f"特色产业 {self.industries} 个，经营主体 {self.enterprises} 个，吸纳脱贫人口就业 {self.jobs_for_lifted} 人。",
        ]  # fmt: skip


def district_reviewer(area: Area) -> User:
    """The second district approver (批复), so that 入库 and 批复 are not made by one
    person. Random password, never printed: an administrator resets it to log in."""
    existing = User.objects.filter(username=REVIEWER_USERNAME).first()
    if existing is not None:
        return existing
    return do_create_user(
        username=REVIEWER_USERNAME,
        password=_random_password(),
        area=area,
        role=Role.DISTRICT_OFFICER,
        actor=None,
        display_name="赣县区财政局项目审核员",
        must_change_password=True,
    )


class ProjectsDemo:
    def __init__(self, users: dict):
        self.township_officer = users["township_officer"]
        self.district_officer = users["district_officer"]
        self.reviewer = district_reviewer(Area.objects.get(code=DISTRICT))
        self.township = Area.objects.get(code=TOWNSHIP_CODE)
        self.projects: dict = {}
        self.summary = ProjectsDemoSummary()

    def area_of(self, village: str) -> Area:
        return self.township if not village else Area.objects.get(code=V[village])

    # --- one project through its lifecycle ------------------------------------------------

    def run(self, plan: Plan):
        maker = self.township_officer
        project = p.do_create_project(
            actor=maker, area=self.area_of(plan.village), code=plan.code, name=plan.name,
            project_type=plan.project_type, lead_unit=plan.lead_unit, year=plan.year,
            description=plan.output, planned_start_on=plan.start, planned_end_on=plan.end,
        )  # fmt: skip
        self.projects[plan.code] = project
        sources = [
            p.do_add_funding(project, actor=maker, source=s, budget_item=i, amount=a)
            for s, i, a in plan.budget
        ]
        budget = sum((a for _s, _i, a in plan.budget), Decimal("0"))
        milestones = [
            p.do_add_milestone(project, actor=maker, title=title, due_on=due)
            for title, due in self._milestones(plan)
        ]
        targets = [
            p.do_set_performance_target(
                project,
                actor=maker,
                dimension=dim,
                unit=unit,
                weight=weight,
                indicator=name.format(output=plan.output),
                target_value=value.format(budget=budget, jobs=plan.jobs, lifted=plan.lifted),
            )  # fmt: skip
            for dim, name, value, unit, weight in TARGETS
        ]
        if plan.households:
            p.do_set_benefit(
                project, actor=maker, households_benefiting=plan.households,
                lifted_households_benefiting=plan.lifted, jobs_for_lifted=plan.jobs,
                linkage_mechanism=plan.linkage,
            )  # fmt: skip
        reached = ORDER.index(plan.status)
        self._advance(project, plan, reached, sources, budget, milestones, targets)
        self.summary.projects += 1
        self.summary.by_status[plan.status] += 1
        self.summary.budget += budget

    @staticmethod
    def _milestones(plan: Plan) -> list:
        middle = plan.start + (plan.end - plan.start) / 2
        return [("开工", plan.start), ("主体工程完工", middle), ("竣工验收", plan.end)]

    def _step(self, project, to_status, actor, on):
        return p.do_advance_project(project, actor=actor, to_status=to_status, on=on)

    def _advance(self, project, plan, reached, sources, budget, milestones, targets):
        applied = plan.start - datetime.timedelta(days=75)
        steps = [
            (S.IN_LIBRARY, self.district_officer, applied + datetime.timedelta(days=20)),
            (S.APPROVED, self.reviewer, applied + datetime.timedelta(days=45)),
            (S.IN_PROGRESS, self.township_officer, plan.start),
            (S.COMPLETED, self.township_officer, plan.end),
            (S.ACCEPTED, self.district_officer, plan.end + datetime.timedelta(days=20)),
        ]
        for index, (status, actor, on) in enumerate(steps, start=1):
            if reached < index:
                return
            project = self._step(project, status, actor, on)
            if status == S.IN_PROGRESS:
                milestones[0] = p.do_complete_milestone(milestones[0], actor=actor, done_on=on)
                self._pay(project, plan, sources, budget, on)
            elif status == S.COMPLETED:
                middle = milestones[1]
                p.do_complete_milestone(middle, actor=actor, done_on=middle.due_on)
            elif status == S.ACCEPTED:
                p.do_complete_milestone(milestones[2], actor=actor, done_on=on)
                self._evaluate(project, plan, targets, budget)
        if reached >= ORDER.index(S.ASSETS_REGISTERED) and plan.asset:
            self._register_asset(project, plan, budget)

    def _pay(self, project, plan, sources, budget, started):
        """Two payments per source: an advance at the start, the rest a month later."""
        paid = Decimal("0")
        for number, source in enumerate(sources, start=1):
            due = (source.amount * plan.spent_share).quantize(Decimal("0.01"))
            if due <= 0:
                continue
            first = (due * Decimal("0.4")).quantize(Decimal("0.01"))
            for part, (amount, on) in enumerate(
                [(first, started), (due - first, started + datetime.timedelta(days=30))], start=1
            ):
                # The demo's world ends on 2023-06-30: nothing is paid after it.
                on = max(started, min(on, plan.end, DEMO_END))
                p.do_record_disbursement(
                    project, actor=self.township_officer, paid_on=on, amount=amount,
                    voucher=f"{plan.code}-{number}{part}", funding_source=source,
                    note=f"{source.get_source_display()}第{part}笔",
                )  # fmt: skip
                paid += amount
        self.summary.disbursed += paid

    def _evaluate(self, project, plan, targets, budget):
        """Self-evaluation at acceptance: every target met, satisfaction 97% (≥ 95%)."""
        for target in targets:
            actual = SATISFACTION_ACTUAL if target.dimension == TargetDimension.SATISFACTION else target.target_value  # fmt: skip
            p.do_record_actual(
                target, actor=self.township_officer, actual_value=actual, score=target.weight
            )

    def _register_asset(self, project, plan, budget):
        name, asset_type, owner, upkeep = plan.asset
        registered_on = project.accepted_on + datetime.timedelta(days=10)
        asset = do_register_asset(
            project, actor=self.township_officer, name=name, asset_type=asset_type,
            value=budget, owner=owner, upkeep_by=upkeep, registered_on=registered_on,
        )  # fmt: skip
        self._step(project, S.ASSETS_REGISTERED, self.township_officer, registered_on)
        self.summary.assets += 1
        if plan.income:
            amount, distribution = plan.income
            do_record_asset_income(
                asset, actor=self.township_officer, year=2023, amount=amount,
                distribution=distribution,
            )  # fmt: skip
            self.summary.asset_income += amount

    # --- industries and enterprises -------------------------------------------------------

    def industries(self):
        by_name = {}
        for name, description in INDUSTRIES:
            by_name[name] = do_create_industry(
                actor=self.township_officer, area=self.township, name=name, description=description
            )
        self.summary.industries = len(by_name)
        for village, name, kind, industry, products, jobs, linked, code in ENTERPRISES:
            do_create_enterprise(
                actor=self.township_officer, village=self.area_of(village), name=name,
                kind=kind, industry=by_name[industry], products=products,
                jobs_for_lifted=jobs, linked_households=linked,
                project=self.projects.get(code) if code else None,
            )  # fmt: skip
            self.summary.enterprises += 1
            self.summary.jobs_for_lifted += jobs


def build_projects_demo(users: dict, seed: int = 2023, *, stdout=None) -> ProjectsDemoSummary:
    """The 沙地镇 project library, assets and industries through the actions. ``seed`` is
    accepted for symmetry with the other steps: the named projects need no randomness."""
    out = stdout or sys.stdout
    out.write("登记沙地镇项目库、项目资产与特色产业…\n")
    demo = ProjectsDemo(users)
    for plan in PLANS:
        demo.run(plan)
    demo.industries()
    return demo.summary

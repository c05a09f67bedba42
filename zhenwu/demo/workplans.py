"""The work-plan demo for 沙地镇 (issue 5 item 5, DEMO.md "The H2 2023 plan"): the town's
2023年下半年工作计划 in the structure of the report — four parts, each with its tasks — built
ONLY through ``workplans.actions.plans`` under the demo clock (created and activated on
3 July 2023, progress reported on the day it happened, July–December 2023).

Tasks with a deadline are done by it, except one (新建2处村级公墓, 60 % at the end of the
year), which therefore shows as overdue. 常态化 work (四个不摘, 林长制河长制, 安全生产 …)
has no deadline and stays 推进中. Tasks are linked to the indicator catalogue by code
(``workplans/data/indicators.csv``, loaded through its own action first)."""

import datetime
import sys
from dataclasses import dataclass, field

from zhenwu.areas.models import Area
from zhenwu.demo.generator import TOWNSHIP_CODE
from zhenwu.demo.monitoring import LOCAL_TZ, demo_clock
from zhenwu.workplans.actions.indicators import load_indicator_catalogue
from zhenwu.workplans.actions.plans import (
    do_activate_plan,
    do_add_section,
    do_add_task,
    do_create_plan,
    do_report_progress,
    do_set_task_status,
)
from zhenwu.workplans.choices import TaskStatus
from zhenwu.workplans.models import Indicator

PLAN_PERIOD = "2023H2"
PLAN_TITLE = "沙地镇2023年下半年工作计划"
PLANNER = "township_officer"
OVERDUE_TASK = "新建2处村级公墓，改造提升已建公墓"
D = datetime.date

# A task: (title, description, lead unit, responsible, deadline or None, indicator code or "",
# progress reports [(day, percent, note)], done on (the last report's day) or None).
PLAN = [
    (
        "（一）坚持产业主导，推进乡村全面振兴",
        [
            (
                "持续巩固脱贫成果：落实“四个不摘”",
                "严格落实摘帽不摘责任、不摘政策、不摘帮扶、不摘监管。",
                "乡村振兴办",
                "刘建华",
                None,
                "",
                [
                    (D(2023, 7, 28), 50, "召开巩固脱贫成果推进会，压实帮扶责任人责任。"),
                    (D(2023, 11, 30), 80, "完成年度帮扶责任人调整和走访全覆盖。"),
                ],
                None,
            ),
            (
                "三类人员动态监测，落实“一户一策”",
                "对脱贫不稳定户、边缘易致贫户、突发严重困难户常态化排查，做到早发现、早干预、早帮扶。",
                "乡村振兴办",
                "刘建华",
                None,
                "",
                [
                    (D(2023, 8, 15), 40, "完成第三季度集中排查，新增监测对象均制定一户一策。"),
                    (D(2023, 12, 20), 85, "第四季度排查完毕，风险消除户经村、镇两级研判。"),
                ],
                None,
            ),
            (
                "开展三业提升专项行动",
                "产业、就业、创业提升，促进脱贫人口持续增收。",
                "乡村振兴办",
                "曾志强",
                D(2023, 12, 31),
                "",
                [
                    (D(2023, 9, 20), 55, "举办技能培训班3期，发放产业奖补。"),
                    (D(2023, 12, 26), 100, "专项行动完成，形成工作总结。"),
                ],
                D(2023, 12, 26),
            ),
            (
                "开展危旧房整治清零专项行动",
                "对农村危旧房逐户排查鉴定，做到应改尽改、清零销号。",
                "村镇建设办",
                "谢文斌",
                D(2023, 10, 31),
                "",
                [
                    (D(2023, 8, 10), 60, "完成排查鉴定，列入整治清单。"),
                    (D(2023, 10, 25), 100, "整治清单全部销号。"),
                ],
                D(2023, 10, 25),
            ),
            (
                "开展饮水安全提升专项行动",
                "排查农村供水设施，保障农村饮水安全。",
                "农业农村办",
                "钟海波",
                D(2023, 11, 30),
                "",
                [
                    (D(2023, 9, 5), 50, "完成水质检测和管网排查。"),
                    (D(2023, 11, 28), 100, "问题管网整改完成。"),
                ],
                D(2023, 11, 28),
            ),
            (
                "开展政策享受落实专项行动",
                "对照政策清单逐户核实教育、医疗、住房、兜底等政策享受情况。",
                "社会事务办",
                "黄丽萍",
                D(2023, 9, 30),
                "",
                [(D(2023, 9, 26), 100, "政策享受情况逐户核实完毕，问题已整改。")],
                D(2023, 9, 26),
            ),
            (
                "做好易地搬迁后续扶持",
                "搬迁户就业帮扶和安置点社区管理。",
                "乡村振兴办",
                "曾志强",
                None,
                "",
                [(D(2023, 10, 12), 60, "走访安置点搬迁户，落实就业岗位。")],
                None,
            ),
            (
                "抓好粮食生产",
                "稳定粮食播种面积，晚稻颗粒归仓。",
                "农业农村办",
                "钟海波",
                D(2023, 11, 15),
                "grain_sown_area_late_rice",
                [
                    (D(2023, 7, 31), 50, "晚稻插秧完成。"),
                    (D(2023, 11, 10), 100, "晚稻收割完毕，播种面积和产量已填报。"),
                ],
                D(2023, 11, 10),
            ),
            (
                "做优板鸭、油茶、鱼丝特色产业",
                "支持螺田板鸭厂扩产，推进油茶低改和鱼丝加工。",
                "农业农村办",
                "邱国良",
                None,
                "",
                [(D(2023, 10, 20), 45, "板鸭厂新增冷库投入使用，油茶低改完成一期。")],
                None,
            ),
            (
                "发展富硒蔬菜基地",
                "扩大富硒蔬菜种植面积，对接销售渠道。",
                "农业农村办",
                "邱国良",
                D(2023, 12, 15),
                "",
                [
                    (D(2023, 8, 25), 40, "新增富硒蔬菜大棚。"),
                    (D(2023, 12, 12), 100, "基地验收完成。"),
                ],
                D(2023, 12, 12),
            ),
            (
                "培育预制菜产业",
                "引进和培育预制菜加工企业。",
                "经济发展办",
                "邱国良",
                None,
                "",
                [(D(2023, 11, 8), 30, "对接2家预制菜企业考察选址。")],
                None,
            ),
            (
                "螺田、洋村、银村多规合一实用性村庄规划编制",
                "完成3个村多规合一实用性村庄规划编制并报批。",
                "村镇建设办",
                "谢文斌",
                D(2023, 12, 31),
                "",
                [
                    (D(2023, 8, 30), 40, "完成现状调研和村民意见征询。"),
                    (D(2023, 12, 22), 100, "3个村规划通过评审并报批。"),
                ],
                D(2023, 12, 22),
            ),
            (
                "105国道沿线客家风改造",
                "沿线房屋立面客家风貌改造，打造105国道休闲带。",
                "村镇建设办",
                "谢文斌",
                D(2023, 12, 20),
                "",
                [
                    (D(2023, 9, 15), 50, "完成沿线房屋立面设计。"),
                    (D(2023, 12, 18), 100, "改造完工。"),
                ],
                D(2023, 12, 18),
            ),
        ],
    ),
    (
        "（二）坚持绿色发展，建设生态宜居家园",
        [
            (
                "抓好环保督察反馈问题整改",
                "对中央和省环保督察反馈问题逐项整改销号。",
                "生态环境办",
                "罗晓东",
                D(2023, 10, 31),
                "",
                [(D(2023, 10, 30), 100, "反馈问题全部整改销号。")],
                D(2023, 10, 30),
            ),
            (
                "落实林长制、河长制",
                "各级林长、河长常态化巡林巡河。",
                "生态环境办",
                "罗晓东",
                None,
                "",
                [(D(2023, 9, 28), 60, "第三季度巡河巡林全覆盖。")],
                None,
            ),
            (
                "推进农村生活垃圾分类",
                "试点村开展垃圾分类，推进源头减量。",
                "生态环境办",
                "罗晓东",
                None,
                "",
                [(D(2023, 11, 16), 50, "圩镇和2个试点村完成分类设施配置。")],
                None,
            ),
            (
                "生活垃圾清运率保持100%",
                "保洁公司日产日清，村收集点按时清运。",
                "生态环境办",
                "罗晓东",
                D(2023, 12, 31),
                "garbage_collection_rate",
                [
                    (D(2023, 7, 31), 50, "7月清运率100%。"),
                    (D(2023, 12, 29), 100, "下半年各月清运率均为100%。"),
                ],
                D(2023, 12, 29),
            ),
            (
                "农村无害化卫生厕所全覆盖",
                "逐户摸排，改造剩余旱厕。",
                "农业农村办",
                "钟海波",
                D(2023, 12, 31),
                "sanitary_toilet_coverage",
                [
                    (D(2023, 9, 12), 70, "完成摸排，改厕施工进行中。"),
                    (D(2023, 12, 27), 100, "全镇农户卫生厕所全覆盖。"),
                ],
                D(2023, 12, 27),
            ),
            (
                "秸秆禁烧",
                "秋收期间网格化巡查，杜绝焚烧秸秆。",
                "生态环境办",
                "罗晓东",
                D(2023, 11, 30),
                "",
                [(D(2023, 11, 29), 100, "秋收期间未发生秸秆焚烧。")],
                D(2023, 11, 29),
            ),
        ],
    ),
    (
        "（三）坚持改革创新，激发发展活力",
        [
            (
                "所有村村集体经济收入突破30万元",
                "盘活资源资产，发展物业经济和入股分红。",
                "经济发展办",
                "邱国良",
                D(2023, 12, 31),
                "collective_income",
                [
                    (D(2023, 9, 30), 70, "前三季度已有多数村收入超过30万元。"),
                    (D(2023, 12, 30), 100, "各村集体经济收入均突破30万元。"),
                ],
                D(2023, 12, 30),
            ),
            (
                "开展“三请三回”乡贤座谈会",
                "请乡贤回乡、请企业家回归、请人才回流。",
                "党政办",
                "陈伟",
                D(2023, 9, 30),
                "",
                [(D(2023, 9, 22), 100, "召开中秋乡贤座谈会，签约项目2个。")],
                D(2023, 9, 22),
            ),
            (
                "推行“一次性告知”“一窗通办”",
                "便民服务中心综合窗口改革。",
                "便民服务中心",
                "黄丽萍",
                D(2023, 8, 31),
                "",
                [(D(2023, 8, 30), 100, "综合窗口运行，一次性告知单全覆盖。")],
                D(2023, 8, 30),
            ),
        ],
    ),
    (
        "（四）坚持民生为本，提升群众幸福感",
        [
            (
                "电子医保凭证激活",
                "组织村干部入户指导激活医保电子凭证。",
                "社会事务办",
                "黄丽萍",
                D(2023, 10, 31),
                "medical_card_activation",
                [
                    (D(2023, 8, 18), 50, "各村开展集中激活活动。"),
                    (D(2023, 10, 27), 100, "激活率达到区定目标。"),
                ],
                D(2023, 10, 27),
            ),
            (
                "圩镇自来水改造",
                "改造圩镇老旧供水管网。",
                "村镇建设办",
                "谢文斌",
                D(2023, 12, 31),
                "",
                [
                    (D(2023, 9, 8), 40, "管网改造开工。"),
                    (D(2023, 12, 28), 100, "圩镇供水管网改造完成通水。"),
                ],
                D(2023, 12, 28),
            ),
            (
                "沙地中心敬老院开工建设",
                "完成前期手续并开工。",
                "社会事务办",
                "黄丽萍",
                D(2023, 11, 30),
                "",
                [
                    (D(2023, 8, 22), 50, "完成立项和设计。"),
                    (D(2023, 11, 20), 100, "沙地中心敬老院开工建设。"),
                ],
                D(2023, 11, 20),
            ),
            (
                OVERDUE_TASK,
                "新建2处村级公墓，改造提升已建公墓，推进殡葬改革。",
                "社会事务办",
                "黄丽萍",
                D(2023, 11, 30),
                "",
                [
                    (D(2023, 9, 14), 30, "完成2处新建公墓选址。"),
                    (D(2023, 12, 15), 60, "1处开工建设，另1处用地手续办理中。"),
                ],
                None,
            ),
            (
                "培养农村学法用法“法律明白人”",
                "每村培养法律明白人并开展培训。",
                "综治办",
                "温志明",
                D(2023, 10, 31),
                "",
                [(D(2023, 10, 19), 100, "完成法律明白人培训。")],
                D(2023, 10, 19),
            ),
            (
                "新时代文明实践站全覆盖",
                "各村（居）建成新时代文明实践站。",
                "宣传办",
                "陈伟",
                D(2023, 12, 31),
                "civilisation_station_coverage",
                [(D(2023, 12, 21), 100, "各村（居）实践站全部建成挂牌。")],
                D(2023, 12, 21),
            ),
            (
                "国家反诈中心APP安装推广",
                "入户宣传，提高国家反诈中心APP安装率。",
                "综治办",
                "温志明",
                D(2023, 9, 30),
                "antifraud_app_installs",
                [
                    (D(2023, 7, 20), 40, "各村开展反诈宣传。"),
                    (D(2023, 9, 28), 100, "安装率达到目标。"),
                ],
                D(2023, 9, 28),
            ),
            (
                "抓好安全生产",
                "开展安全生产大检查，消除隐患。",
                "应急管理办",
                "温志明",
                None,
                "",
                [
                    (D(2023, 8, 8), 50, "汛期安全检查完成。"),
                    (D(2023, 12, 12), 80, "冬季消防安全检查完成。"),
                ],
                None,
            ),
        ],
    ),
]


@dataclass
class WorkplansDemoSummary:
    plan_title: str = ""
    sections: int = 0
    tasks: int = 0
    done: int = 0
    updates: int = 0
    indicator_links: int = 0
    overdue: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"工作计划“{self.plan_title}”：{self.sections} 个部分，{self.tasks} 项任务，"
            f"已完成 {self.done} 项，进展 {self.updates} 条，关联指标 {self.indicator_links} 项；"
            f"逾期：{'、'.join(self.overdue) or '无'}"
        ]


def _at(day: datetime.date, hour: int = 16) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LOCAL_TZ)


def build_workplans_demo(users: dict, seed: int = 2023, *, stdout=None) -> WorkplansDemoSummary:
    """Build 沙地镇's 2023H2 plan through the actions. ``seed`` is accepted for symmetry
    with the other demo steps: the plan is the report's, nothing is drawn at random."""
    out = stdout or sys.stdout
    out.write("建立沙地镇2023年下半年工作计划（章节、任务和进展）…\n")
    actor = users[PLANNER]
    township = Area.objects.get(code=TOWNSHIP_CODE)
    load_indicator_catalogue()
    indicators = {i.code: i for i in Indicator.objects.all()}
    summary = WorkplansDemoSummary(plan_title=PLAN_TITLE)
    reports = []  # (day, task, percent, note, done)
    with demo_clock(_at(D(2023, 7, 3), 9)):
        plan = do_create_plan(actor=actor, area=township, period=PLAN_PERIOD, title=PLAN_TITLE)
        for section_title, tasks in PLAN:
            section = do_add_section(plan, actor=actor, title=section_title)
            summary.sections += 1
            for title, description, unit, person, deadline, code, progress, done_on in tasks:
                indicator = indicators.get(code) if code else None
                task = do_add_task(
                    section,
                    actor=actor,
                    title=title,
                    description=description,
                    lead_unit=unit,
                    responsible=person,
                    deadline_on=deadline,
                    indicator=indicator,
                )
                summary.tasks += 1
                summary.indicator_links += indicator is not None
                for day, percent, note in progress:
                    reports.append((day, task, percent, note, day == done_on))
                if title == OVERDUE_TASK:
                    summary.overdue.append(title)
        do_activate_plan(plan, actor=actor)
    for day, task, percent, note, done in sorted(reports, key=lambda r: (r[0], r[1].pk)):
        with demo_clock(_at(day)):
            do_report_progress(task, actor=actor, reported_on=day, note=note, progress=percent)
            summary.updates += 1
            if done:
                do_set_task_status(task, actor=actor, status=TaskStatus.DONE)
                summary.done += 1
    return summary

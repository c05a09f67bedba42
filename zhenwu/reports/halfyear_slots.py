"""The editable wording of the half-year summary and plan (半年工作总结及工作计划).

Each slot's default text is the township's usual wording (after the seed report); the
placeholders are filled by ``reports.halfyear`` from the data. Structure that comes from
data — the projects listed, the work plan's sections and tasks — is not a template."""

from django.utils.translation import gettext_lazy as _

from zhenwu.reports.slots import TITLE, Slot, SlotSet, register

REPORT = "half-year"

COMMON = ("township", "period", "end_date", "year", "next_period")

LABELS = {
    "township": _("乡镇名称，如“沙地镇”"),
    "period": _("本期，如“2023年上半年”"),
    "end_date": _("本期截止日，如“2023年6月30日”"),
    "year": _("本期年度，如“2023”"),
    "next_period": _("下一期，如“2023年下半年”"),
    "next_period_short": _("下一期（同年时省略年份），如“下半年”"),
    "next_period_code": _("下一期代码，如“2023H2”"),
    "screening_visits": _("月度排查累计走访户次"),
    "new_monitored": _("新识别纳入监测对象（户、人）"),
    "fixed_problems": _("本期整改销号问题（个）"),
    "loan_borrowers": _("产业振兴信贷通贷款人数"),
    "loan_amount": _("产业振兴信贷通贷款金额（万元）"),
    "job_people": _("公益性岗位安置人数"),
    "job_rate": _("公益性岗位月补贴标准（元）"),
    "one_job_rate": _("条件：公益性岗位只有一个补贴标准"),
    "transport_people": _("交通补贴人数"),
    "transport_amount": _("交通补贴金额（万元）"),
    "fund_projects": _("本年度已批复衔接资金项目（个）"),
    "fund_budget": _("项目预算（万元）"),
    "fund_paid": _("已拨付资金（万元）"),
    "fund_ratio": _("拨付进度（%）"),
    "relocated_households": _("易地搬迁户数"),
    "relocation_visits": _("本期后续扶持走访次数"),
    "industries": _("特色产业名称"),
    "enterprises": _("经营主体名称"),
    "enterprise_count": _("经营主体（个）"),
    "enterprise_jobs": _("经营主体吸纳脱贫人口就业（人）"),
    "enterprise_households": _("经营主体联结带动农户（户）"),
    "industry_projects": _("产业项目清单（名称、状态、预算、拨付）"),
    "town_projects": _("圩镇建设项目清单"),
    "garbage_collection_rate": _("农村生活垃圾收运率"),
    "sanitary_toilet_coverage": _("卫生厕所普及率"),
    "livelihood_projects": _("民生和村级基础设施项目清单"),
    "next_plan": _("下一期工作计划（标题）"),
}

SLOTS = (
    Slot(
        TITLE,
        TITLE,
        _("标题"),
        (*COMMON, "next_period_short"),
        "{township}{period}工作总结及{next_period_short}工作计划",
    ),
    Slot("summary_heading", "h1", _("一级标题：工作总结"), COMMON, "一、{period}工作总结"),
    Slot(
        "summary_intro",
        "p",
        _("总结开头"),
        COMMON,
        "{period}，{township}坚持巩固拓展脱贫攻坚成果同乡村振兴有效衔接，"
        "统筹推进防返贫监测帮扶、产业发展、农村环境整治和民生事业，"
        "现将截至{end_date}的工作情况总结如下：",
    ),
    Slot(
        "prevention_heading",
        "h2",
        _("二级标题：守住返贫底线"),
        COMMON,
        "（一）守住返贫底线，持续巩固拓展脱贫攻坚成果",
    ),
    Slot(
        "prevention",
        "p",
        _("防返贫监测和帮扶"),
        (
            *COMMON,
            "screening_visits",
            "new_monitored",
            "fixed_problems",
            "loan_borrowers",
            "loan_amount",
            "job_people",
            "job_rate",
            "one_job_rate",
            "transport_people",
            "transport_amount",
            "fund_projects",
            "fund_budget",
            "fund_paid",
            "fund_ratio",
            "relocated_households",
            "relocation_visits",
        ),
        """{township}严格落实“三线并行”监测预警和“每月一排查、每月一研判”工作机制，抓好防返贫监测和帮扶工作。
{如有 screening_visits}{period}各村开展月度排查，累计走访{screening_visits}；{否则}月度排查走访：{screening_visits}；{结束}
{如有 new_monitored}新识别纳入监测对象{new_monitored}，实现应纳尽纳；{否则}新识别纳入监测对象：{new_monitored}；{结束}
完善住房、饮水等问题动态清零机制，整改销号“两不愁三保障”及饮水安全问题{fixed_problems}；
{如有 loan_borrowers}发放“产业振兴信贷通”贷款{loan_borrowers}，贷款金额{loan_amount}；{否则}“产业振兴信贷通”贷款：{loan_borrowers}；{结束}
{如有 job_people}安置脱贫人口公益性岗位{job_people}，{如有 one_job_rate}人均月补贴{否则}月补贴标准{结束}{job_rate}，实现在家门口就业增收；{否则}公益性岗位：{job_people}；{结束}
{如有 transport_people}为{transport_people}脱贫劳动力发放交通补贴，补贴金额{transport_amount}；{否则}脱贫劳动力交通补贴：{transport_people}；{结束}
持续加强项目资金绩效管理，{year}年度已批复项目{如有 fund_projects}{fund_projects}，预算{fund_budget}，截至{end_date}已拨付{fund_paid}{如有 fund_ratio}，拨付进度{fund_ratio}{结束}；{否则}：{fund_projects}；{结束}
{如有 relocated_households}强化易地搬迁后续扶持，对{relocated_households}搬迁户开展后续帮扶走访{relocation_visits}。{否则}易地搬迁后续扶持：{relocated_households}。{结束}""",
    ),
    Slot(
        "industry_heading",
        "h2",
        _("二级标题：产业"),
        COMMON,
        "（二）夯实产业基础，促进产业多元化发展",
    ),
    Slot(
        "industry",
        "p",
        _("特色产业和经营主体"),
        (
            *COMMON,
            "industries",
            "enterprises",
            "enterprise_count",
            "enterprise_jobs",
            "enterprise_households",
        ),
        """一是巩固特色产业。
{如有 industries}立足本地资源禀赋，全力推动{industries}等特色产业发展。{否则}特色产业：{industries}。{结束}
{如有 enterprises}{enterprises}等{enterprise_count}经营主体丰富了发展业态，吸纳脱贫人口就业{enterprise_jobs}，联结带动农户{enterprise_households}。{否则}经营主体：{enterprises}。{结束}""",
    ),
    Slot(
        "industry_projects",
        "p",
        _("产业项目"),
        (*COMMON, "industry_projects"),
        "{如有 industry_projects}二是推进产业项目建设。{industry_projects}。{结束}",
        help=_("没有产业项目时本段为空，报告中不出现。"),
    ),
    Slot(
        "environment_heading",
        "h2",
        _("二级标题：农村环境"),
        COMMON,
        "（三）改善农村环境，提升广大群众生活质量",
    ),
    Slot(
        "environment_town",
        "p",
        _("乡镇建设"),
        (*COMMON, "town_projects"),
        """一是大力推动乡镇建设行动。结合美丽乡镇建设和示范镇建设行动，补齐圩镇功能短板，
{如有 town_projects}推进{town_projects}。{否则}圩镇建设项目：{town_projects}。{结束}""",
    ),
    Slot(
        "environment_living",
        "p",
        _("人居环境"),
        (*COMMON, "garbage_collection_rate", "sanitary_toilet_coverage"),
        """二是着力整治人居环境。抓好农村生活垃圾专项治理、厕所革命和村容村貌提升，
农村生活垃圾收运率{garbage_collection_rate}，卫生厕所普及率{sanitary_toilet_coverage}。""",
    ),
    Slot(
        "livelihood_heading",
        "h2",
        _("二级标题：民生与社会治理"),
        COMMON,
        "（四）厚植民生福祉，全面发展社会事业",
    ),
    Slot(
        "livelihood_projects",
        "p",
        _("民生事业"),
        (*COMMON, "livelihood_projects"),
        """一是推进民生事业发展。坚持以人民为中心，办好民生实事，
{如有 livelihood_projects}推进{livelihood_projects}等项目建设，补齐村级功能短板。{否则}民生和村级基础设施项目：{livelihood_projects}。{结束}""",
    ),
    Slot(
        "livelihood_stability",
        "p",
        _("社会和谐稳定"),
        COMMON,
        "二是推进社会和谐稳定。安全生产、信访维稳、扫黑除恶和法治建设等工作（暂无数据），"
        "请据实补充。",
        help=_("这些工作尚无台账数据，请在此据实填写。"),
    ),
    Slot("plan_heading", "h1", _("一级标题：下一期工作安排"), COMMON, "二、{next_period}工作安排"),
    Slot(
        "plan_intro",
        "p",
        _("工作安排开头"),
        (*COMMON, "next_plan", "next_period_code"),
        "{如有 next_plan}{next_period}，{township}将按照《{next_plan}》，重点抓好以下工作："
        "{否则}{next_period}工作计划{next_plan}（工作计划模块中没有{township}{next_period_code}的计划）。{结束}",
        help=_("其后的各项工作取自工作计划模块中下一期计划的章节和任务。"),
    ),
)

HALF_YEAR = register(SlotSet(REPORT, _("半年（年度）工作总结及工作计划"), SLOTS, LABELS))

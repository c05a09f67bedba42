"""The screening rules (筛查规则): code, version, risk type, parameters, description and the
SQL file that evaluates it. Bump ``version`` whenever a rule's SQL or meaning changes: every
stored hit carries the code and version that produced it.

Each SQL file reads the snapshot tables (see ``engine.core.SNAPSHOT_SCHEMA``), binds its
parameters as ``$name`` and returns ``household_key, person_key`` followed by the input
columns that explain the hit. Plain DuckDB SQL that sqlglot can transpile to Spark."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

SQL_DIR = Path(__file__).resolve().parent / "sql"
_PLACEHOLDER = re.compile(r"\$([a-z_]+)")


@dataclass(frozen=True)
class Rule:
    code: str
    version: int
    risk_type: str  # registry.choices.RiskType
    title: str
    description: str
    enabled: bool = True

    @property
    def sql_path(self) -> Path:
        return SQL_DIR / f"{self.code}.sql"

    @property
    def sql(self) -> str:
        return _read(self.sql_path)

    @property
    def parameters(self) -> tuple[str, ...]:
        """Names of the bound parameters, in order of first use (monitoring.ParameterKey)."""
        return tuple(dict.fromkeys(_PLACEHOLDER.findall(self.sql)))


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


RULES: tuple[Rule, ...] = (
    Rule(
        "income_below_line",
        1,
        "other",
        _("人均纯收入低于监测范围"),
        _("最近年度家庭人均纯收入低于防止返贫监测范围。"),
    ),
    Rule(
        "income_near_line",
        1,
        "other",
        _("人均纯收入接近监测范围"),
        _("最近年度家庭人均纯收入高于监测范围但在上浮比例之内。"),
    ),
    Rule(
        "medical_oop_lifted",
        1,
        "illness",
        _("脱贫人口医疗自付超标"),
        _("脱贫户成员近12个月合规自付医疗费用超过上年农村居民人均可支配收入的规定比例。"),
    ),
    Rule(
        "medical_oop_other",
        1,
        "illness",
        _("一般农户医疗自付超标"),
        _("其他农户成员近12个月合规自付医疗费用超过上年农村居民人均可支配收入的规定比例。"),
    ),
    Rule(
        "house_grade_cd",
        1,
        "unsafe_housing",
        _("住房鉴定为C/D级"),
        _("住建部门近12个月最近一次房屋安全鉴定为C级或D级。"),
    ),
    Rule(
        "child_not_enrolled",
        1,
        "schooling",
        _("适龄儿童失学辍学"),
        _("6至15周岁儿童近12个月最近一次教育部门记录为辍学或未入学。"),
    ),
    Rule(
        "member_died_or_split",
        1,
        "lack_of_labour",
        _("家庭成员死亡或分户"),
        _("公安部门近12个月报告成员死亡或分户，档案中该成员仍为正常状态。"),
    ),
    Rule(
        "disability_without_benefit",
        1,
        "disability",
        _("残疾人未享受兜底保障"),
        _("残联近12个月登记残疾证，该成员未享受低保或特困供养。"),
    ),
    Rule(
        "lost_dibao_tekun",
        1,
        "other",
        _("退出低保或特困供养"),
        _("民政部门近12个月最近一次变动为低保退出或特困退出。"),
    ),
    Rule(
        "main_labourer_lost_job",
        1,
        "unstable_employment",
        _("主要劳动力失业或务工中断"),
        _("人社部门近12个月报告16至60周岁普通或技能劳动力失业或务工中断。"),
    ),
    Rule(
        "disaster_loss",
        1,
        "natural_disaster",
        _("自然灾害损失较大"),
        _("应急部门近12个月登记的灾害损失合计超过预警金额。"),
    ),
    Rule(
        "water_supply_problem",
        1,
        "unsafe_water",
        _("饮水安全问题"),
        _("水利部门近12个月报告水量、水质、取水方便或供水保障问题。"),
    ),
    Rule(
        "no_basic_medical_insurance",
        1,
        "illness",
        _("成员未参加基本医疗保险"),
        _("档案中成员基本医疗保险为未参加。"),
    ),
)

BY_CODE = {rule.code: rule for rule in RULES}


def enabled_rules() -> list[Rule]:
    return [rule for rule in RULES if rule.enabled]


def all_parameters(rules=RULES) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for rule in rules for name in rule.parameters))


# How the input columns of the hits are labelled on the run page.
INPUT_LABELS = {
    "income_year": _("收入年度"),
    "per_capita_income": _("人均纯收入（元）"),
    "oop_12m": _("近12个月合规自付（元）"),
    "threshold": _("预警线（元）"),
    "grade": _("鉴定等级"),
    "assessed_month": _("鉴定月份"),
    "age": _("年龄"),
    "school_status": _("在校状态"),
    "reported_month": _("报告月份"),
    "event": _("事项"),
    "event_month": _("发生月份"),
    "disability_category": _("残疾类别"),
    "disability_grade": _("残疾等级"),
    "change": _("变动事项"),
    "change_month": _("变动月份"),
    "loss_12m": _("近12个月损失（元）"),
    "events": _("登记次数"),
    "last_month": _("最近月份"),
    "problem": _("问题"),
    "medical_insurance": _("基本医疗保险"),
}

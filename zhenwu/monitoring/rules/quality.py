"""Data-quality checks (数据质量校验) before a national-style export.

Pure functions over plain dataclasses, so every check is tested without a database. A
check has a stable code, a Chinese message and a severity: ``error`` blocks the export
(unless the user exports anyway, audited), ``warning`` is listed only.

Ages are taken on ``today`` (the day the checks run)."""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from zhenwu.lib.ids import IdNumberError, age_on, parse_id_number

ERROR = "error"
WARNING = "warning"
MAX_RISKS = 5
WORKING_CAPACITY = {"ordinary", "skilled", "weak"}  # 有劳动能力（含弱/半劳动力）
FULL_LABOUR = {"ordinary", "skilled"}
NO_CAPACITY = {"lost", "none"}
NOT_IN_SCHOOL = {"not_student", "dropped_out"}
COMPULSORY_SCHOOL = {"primary", "junior"}
BASIC_INSURANCE = {"resident", "employee"}
LIFTED_CATEGORY = "100A03001"


@dataclass(frozen=True)
class MemberFacts:
    name: str
    id_number: str
    sex: str
    birth_date: datetime.date
    relation: str = ""
    school_status: str = ""
    labour_capacity: str = ""
    work_place: str = ""
    work_months: int = 0
    medical_insurance: str = ""
    receives_dibao: bool = False
    receives_tekun: bool = False
    ref: str = ""  # public id, for links


@dataclass(frozen=True)
class HouseholdFacts:
    number: str
    category: str = "general"
    monitoring_category: str = ""
    monitoring_since: datetime.date | None = None
    risk_status: str = ""
    risk_eliminated_on: datetime.date | None = None
    risks: tuple = ()
    no_labour: bool = False
    lifted_year: int | None = None
    income_years: tuple = ()  # years with an income record
    members: tuple = ()  # active MemberFacts
    village: str = ""
    ref: str = ""

    @property
    def monitored(self) -> bool:
        return self.category == "monitored"


@dataclass(frozen=True)
class Check:
    code: str
    severity: str
    message: object  # lazy translation
    level: str  # household or member
    test: Callable = field(repr=False)  # returns True when the record FAILS


@dataclass(frozen=True)
class Failure:
    code: str
    severity: str
    message: str
    household: str  # household number
    member: str = ""  # member name (never the ID number)
    household_ref: str = ""
    village: str = ""


# --- member checks ----------------------------------------------------------------------------


def _id_facts(member: MemberFacts):
    try:
        return parse_id_number(member.id_number)
    except IdNumberError:
        return None


def id_invalid(m: MemberFacts, h: HouseholdFacts, today: datetime.date) -> bool:
    return _id_facts(m) is None


def id_sex_mismatch(m: MemberFacts, h: HouseholdFacts, today: datetime.date) -> bool:
    facts = _id_facts(m)
    return facts is not None and facts.sex != m.sex


def id_birth_mismatch(m: MemberFacts, h: HouseholdFacts, today: datetime.date) -> bool:
    facts = _id_facts(m)
    return facts is not None and facts.birth_date != m.birth_date


def labour_age(m: MemberFacts, h: HouseholdFacts, today: datetime.date) -> bool:
    age = age_on(m.birth_date, today)
    return m.labour_capacity in FULL_LABOUR and (age < 16 or age > 65)


def school_age_not_in_school(m: MemberFacts, h: HouseholdFacts, today: datetime.date) -> bool:
    return 6 <= age_on(m.birth_date, today) <= 15 and m.school_status in NOT_IN_SCHOOL


def adult_compulsory_student(m: MemberFacts, h: HouseholdFacts, today: datetime.date) -> bool:
    return age_on(m.birth_date, today) >= 23 and m.school_status in COMPULSORY_SCHOOL


def no_medical_insurance(m: MemberFacts, h: HouseholdFacts, today: datetime.date) -> bool:
    return m.medical_insurance not in BASIC_INSURANCE


def dibao_and_tekun(m: MemberFacts, h: HouseholdFacts, today: datetime.date) -> bool:
    return m.receives_dibao and m.receives_tekun


def work_months_range(m: MemberFacts, h: HouseholdFacts, today: datetime.date) -> bool:
    return m.work_months > 12 or m.work_months < 0 or (bool(m.work_place) and m.work_months == 0)


def work_months_without_place(m: MemberFacts, h: HouseholdFacts, today: datetime.date) -> bool:
    return m.work_months > 0 and not m.work_place


def work_without_capacity(m: MemberFacts, h: HouseholdFacts, today: datetime.date) -> bool:
    return m.work_months > 0 and m.labour_capacity in NO_CAPACITY


def labour_capacity_missing(m: MemberFacts, h: HouseholdFacts, today: datetime.date) -> bool:
    return 16 <= age_on(m.birth_date, today) <= 65 and not m.labour_capacity


# --- household checks -------------------------------------------------------------------------


def monitored_without_category(h: HouseholdFacts, today: datetime.date) -> bool:
    return h.monitored and not h.monitoring_category


def monitored_without_since(h: HouseholdFacts, today: datetime.date) -> bool:
    return h.monitored and h.monitoring_since is None


def category_without_monitoring(h: HouseholdFacts, today: datetime.date) -> bool:
    return not h.monitored and bool(h.monitoring_category)


def eliminated_in_identification_month(h: HouseholdFacts, today: datetime.date) -> bool:
    since, done = h.monitoring_since, h.risk_eliminated_on
    return bool(since and done and (since.year, since.month) == (done.year, done.month))


def eliminated_before_identification(h: HouseholdFacts, today: datetime.date) -> bool:
    since, done = h.monitoring_since, h.risk_eliminated_on
    return bool(since and done and done < since)


def eliminated_without_date(h: HouseholdFacts, today: datetime.date) -> bool:
    return h.risk_status == "eliminated" and h.risk_eliminated_on is None


def date_without_elimination(h: HouseholdFacts, today: datetime.date) -> bool:
    return h.risk_eliminated_on is not None and h.risk_status != "eliminated"


def too_many_risks(h: HouseholdFacts, today: datetime.date) -> bool:
    return len(h.risks) > MAX_RISKS


def monitored_without_risks(h: HouseholdFacts, today: datetime.date) -> bool:
    return h.monitored and not h.risks


def head_count(h: HouseholdFacts, today: datetime.date) -> bool:
    return sum(1 for m in h.members if m.relation == "head") != 1


def no_active_members(h: HouseholdFacts, today: datetime.date) -> bool:
    return not h.members


def no_labour_flag_with_labour(h: HouseholdFacts, today: datetime.date) -> bool:
    return h.no_labour and any(m.labour_capacity in WORKING_CAPACITY for m in h.members)


def labour_missing_without_flag(h: HouseholdFacts, today: datetime.date) -> bool:
    known = [m for m in h.members if m.labour_capacity]
    return (
        not h.no_labour
        and bool(known)
        and all(m.labour_capacity in NO_CAPACITY for m in known)
        and len(known) == len(h.members)
    )


def lifted_without_year(h: HouseholdFacts, today: datetime.date) -> bool:
    lifted = h.category == "lifted" or h.monitoring_category == LIFTED_CATEGORY
    return lifted and not h.lifted_year


def lifted_year_invalid(h: HouseholdFacts, today: datetime.date) -> bool:
    return h.lifted_year is not None and not (2013 <= h.lifted_year <= today.year)


def monitored_income_missing(h: HouseholdFacts, today: datetime.date) -> bool:
    if not h.monitored:
        return False
    first = (h.monitoring_since.year - 1) if h.monitoring_since else today.year - 1
    return not any(year >= first for year in h.income_years)


def monitoring_since_future(h: HouseholdFacts, today: datetime.date) -> bool:
    return h.monitoring_since is not None and h.monitoring_since > today


M, H = "member", "household"
CHECKS: list[Check] = [
    Check("Q01", ERROR, _("身份证号校验位或格式错误"), M, id_invalid),
    Check("Q02", ERROR, _("性别与身份证号不一致"), M, id_sex_mismatch),
    Check("Q03", ERROR, _("出生日期与身份证号不一致"), M, id_birth_mismatch),
    Check("Q04", WARNING, _("未满16周岁或超过65周岁却标注为普通/技能劳动力"), M, labour_age),
    Check(
        "Q05",
        ERROR,
        _("6-15周岁义务教育阶段适龄人员标注为非在校生或辍学"),
        M,
        school_age_not_in_school,
    ),
    Check("Q06", ERROR, _("23周岁及以上仍标注为小学或初中在校生"), M, adult_compulsory_student),
    Check("Q07", ERROR, _("未参加基本医疗保险"), M, no_medical_insurance),
    Check("Q08", ERROR, _("同时享受低保和特困供养"), M, dibao_and_tekun),
    Check(
        "Q09", ERROR, _("务工时间超过12个月，或填写了务工区域但务工时间为0"), M, work_months_range
    ),
    Check("Q10", WARNING, _("有务工时间但未填写务工区域"), M, work_months_without_place),
    Check("Q11", ERROR, _("丧失劳动力或无劳动力却有务工时间"), M, work_without_capacity),
    Check("Q12", WARNING, _("16-65周岁成员未填写劳动技能"), M, labour_capacity_missing),
    Check("H01", ERROR, _("监测户未填写监测对象类别"), H, monitored_without_category),
    Check("H02", ERROR, _("监测户未填写识别监测时间"), H, monitored_without_since),
    Check("H03", ERROR, _("非监测户却填写了监测对象类别"), H, category_without_monitoring),
    Check("H04", ERROR, _("识别纳入当月即标注风险消除"), H, eliminated_in_identification_month),
    Check("H05", ERROR, _("风险消除时间早于识别监测时间"), H, eliminated_before_identification),
    Check("H06", ERROR, _("风险已消除但未填写风险消除时间"), H, eliminated_without_date),
    Check("H07", WARNING, _("填写了风险消除时间但风险未标注为已消除"), H, date_without_elimination),
    Check("H08", ERROR, _("风险类型超过5项"), H, too_many_risks),
    Check("H09", ERROR, _("监测户未填写风险类型"), H, monitored_without_risks),
    Check("H10", ERROR, _("户主缺失或不止一名户主"), H, head_count),
    Check("H11", ERROR, _("该户没有在册成员"), H, no_active_members),
    Check(
        "H12", ERROR, _("标注为整户无劳动力，但有成员具备劳动能力"), H, no_labour_flag_with_labour
    ),
    Check(
        "H13",
        WARNING,
        _("全部成员无劳动能力，但未标注整户无劳动力"),
        H,
        labour_missing_without_flag,
    ),
    Check("H14", ERROR, _("脱贫户（或脱贫不稳定户）未填写脱贫年度"), H, lifted_without_year),
    Check("H15", ERROR, _("脱贫年度不在2013年至今年之间"), H, lifted_year_invalid),
    Check("H16", ERROR, _("监测户缺少识别前一年度以来的收入信息"), H, monitored_income_missing),
    Check("H17", ERROR, _("识别监测时间晚于今天"), H, monitoring_since_future),
]
DUPLICATE_HEAD = Check(
    "X01", ERROR, _("户主身份证号在其他户中也登记为户主"), H, lambda h, today: False
)
ALL_CHECKS = [*CHECKS, DUPLICATE_HEAD]
BY_CODE = {check.code: check for check in ALL_CHECKS}


def check_household(household: HouseholdFacts, today: datetime.date) -> list[Failure]:
    failures = []
    for check in CHECKS:
        if check.level == H:
            if check.test(household, today):
                failures.append(_failure(check, household))
        else:
            for member in household.members:
                if check.test(member, household, today):
                    failures.append(_failure(check, household, member))
    return failures


def duplicate_heads(households: list[HouseholdFacts]) -> list[Failure]:
    """Cross-household: the same person is head of two households (跨户重复户主)."""
    heads = [
        (h, m.id_number.upper()) for h in households for m in h.members if m.relation == "head"
    ]
    counts = Counter(number for _, number in heads)
    return [
        _failure(DUPLICATE_HEAD, h, next(m for m in h.members if m.relation == "head"))
        for h, number in heads
        if counts[number] > 1
    ]


def check_all(households: list[HouseholdFacts], today: datetime.date) -> list[Failure]:
    failures = [f for h in households for f in check_household(h, today)]
    return failures + duplicate_heads(households)


def _failure(check: Check, household: HouseholdFacts, member: MemberFacts | None = None):
    return Failure(
        code=check.code,
        severity=check.severity,
        message=str(check.message),
        household=household.number,
        member=member.name if member else "",
        household_ref=household.ref,
        village=household.village,
    )

"""DomainError: a business rule said no. A stable code plus a translated message."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "not_found": _("记录不存在或无权访问。"),
    "permission_denied": _("您没有执行此操作的权限。"),
    "conflict": _("该记录已被他人修改，请刷新后重新编辑。"),
    "out_of_scope": _("所选区域不在您的管辖范围内。"),
    "duplicate_id_number": _("身份证号已登记在其他成员名下。"),
    "invalid_id_number": _("身份证号无效。"),
    "area_level": _("所选区域层级不正确。"),
    "reason_required": _("请填写查看原因。"),
    "role_not_grantable": _("您不能授予该角色。"),
    "separation_of_duties": _("系统管理员、安全管理员和审计员角色不能由同一账号兼任。"),
    "head_required": _("每户必须有且只有一名户主。"),
    "household_not_empty": _("该户仍有成员，不能删除。"),
    "illegal_transition": _("当前环节不能执行此操作。"),
    "maker_is_checker": _("同一人不能既办理又审核同一环节（经办与审核须分离）。"),
    "duplicate_clue": _("该户已有未办结的线索或监测程序。"),
    "open_case_exists": _("该户已有未办结的同类程序。"),
    "reason_missing": _("请填写原因。"),
    "too_few_verifiers": _("入户核实须由至少2人进行。"),
    "notice_too_short": _("公示期不足规定天数。"),
    "criteria_not_met": _("不满足风险消除条件。"),
    "no_labour_household": _("整户无劳动力家庭不得标注风险消除，应纳入兜底保障持续监测。"),
    "rate_limited": _("提交过于频繁，请稍后再试。"),
    "parameter_missing": _("缺少政策参数：%(key)s。"),
    "parameter_invalid": _("参数或数值无效。"),
    "parameter_dates": _("失效日期不能早于生效日期。"),
    "household_not_in_village": _("该户不属于所选行政村。"),
    "invalid_risk_types": _("风险类型无效（最多5项）。"),
    "invalid_channel": _("线索来源无效。"),
    "declarant_name_missing": _("请填写申报人姓名。"),
    "invalid_month": _("月份格式不正确，应为“2023-06”。"),
    "invalid_target_group": _("排查对象类型不正确。"),
    "round_closed": _("本轮排查已结束，不能再录入走访。"),
    "not_a_target": _("该户不在本轮排查对象中。"),
    "duplicate_visit": _("本轮已录入该户的走访记录，请在原记录上修改。"),
    "visitors_required": _("请填写至少一名走访人员。"),
    "too_many_visitors": _("走访人员过多（最多10人）。"),
    "invalid_check": _("排查项目不正确：%(key)s。"),
    "invalid_amount": _("金额须为不小于0的数字。"),
    "invalid_problem": _("问题须填写类型、描述、责任人和不早于走访日期的整改时限（每次最多6条）。"),
    "invalid_visit_date": _("走访日期须在本轮月份之后且不晚于今天。"),
    "invalid_income_change": _("收入变化选项不正确。"),
    "clue_not_ready": _("该线索尚未关联农户或已办结，不能启动识别程序。"),
    "already_monitored": _("该户已是风险未消除的监测户。"),
    "not_monitored": _("该户不是风险未消除的监测户，不能启动风险消除。"),
    "too_many_risk_types": _("风险类型最多五项。"),
    "votes_invalid": _("赞成票与反对票之和不能超过参会人数。"),
    "date_order": _("日期早于上一环节的日期。"),
    "meeting_missing": _("请先填写研判会议日期和研判结论。"),
    "quality_errors": _("数据质量检查发现错误，请先修正；确需导出请勾选“仍然导出”。"),
}


class DomainError(Exception):
    """Raised by actions. ``code`` is stable for tests and API clients."""

    def __init__(self, code: str, message=None, **params):
        self.code = code
        self.params = params
        self._message = message
        super().__init__(code)

    @property
    def message(self) -> str:
        text = self._message or MESSAGES.get(self.code, self.code)
        return str(text) % self.params if self.params else str(text)

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    """Missing and out-of-scope look the same (STYLE.md: access_* → 404)."""

    def __init__(self):
        super().__init__("not_found")

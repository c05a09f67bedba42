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
    # assistance: settings, helpers, plans, relocation
    "setting_missing": _("缺少帮扶政策参数：%(key)s。"),
    "helper_incomplete": _("请填写帮扶责任人姓名和工作单位。"),
    "duplicate_plan": _("该户本年度已有一户一策帮扶计划。"),
    "plan_closed": _("该帮扶计划已结束，不能再修改。"),
    "invalid_measure": _("措施类别、内容或金额无效。"),
    "not_a_member": _("所选成员不属于该户。"),
    "measure_not_planned": _("只有“计划”状态的措施才能实施或取消。"),
    "already_relocated": _("该户已登记为易地搬迁户。"),
    "invalid_site": _("请填写安置点名称。"),
    "invalid_follow_up": _("就业人数不能超过劳动力人数，收入不能为负数。"),
    # assistance: payments and public-welfare jobs
    "invalid_period": _("期间格式不正确，应为“2023-06”“2023Q2”“2023H1”或“2023”。"),
    "invalid_payment_kind": _("发放类型不正确。"),
    "person_not_in_area": _("该人员所在村不属于本批次的区域。"),
    "batch_not_draft": _("该批次已审批，不能再增减明细。"),
    "batch_empty": _("该批次没有发放明细，不能审批。"),
    "reverse_not_paid": _("只有已发放批次中的明细才能冲正。"),
    "already_reversed": _("该笔发放已冲正，不能重复冲正。"),
    "invalid_paid_on": _("请填写不晚于今天的发放日期。"),
    "invalid_post": _("岗位类型、资金来源、月补贴或岗位数无效。"),
    "post_inactive": _("该岗位已停用。"),
    "job_person_inactive": _("该人员不是正常状态（已死亡或迁出），不能上岗。"),
    "job_not_eligible_household": _("只有脱贫户或监测户的成员才能安置公益性岗位。"),
    "job_too_young": _("上岗日期时年龄%(age)s岁，低于公益性岗位最低年龄%(limit)s岁。"),
    "job_too_old": _("上岗日期时年龄%(age)s岁，超过公益性岗位最高年龄%(limit)s岁。"),
    "job_already_assigned": _("该人员已在其他公益性岗位上岗（每人只能安置一个岗位）。"),
    "job_household_limit": _("该户已有%(count)s人在公益性岗位上岗，达到每户上限%(limit)s人。"),
    "job_post_full": _("该岗位已满员（%(capacity)s人）。"),
    "job_person_not_in_village": _("只能安置岗位所在村的农户成员。"),
    "job_not_active": _("该岗位安置已结束。"),
    "invalid_start_date": _("请填写有效的上岗日期。"),
    "invalid_end_date": _("离岗日期不能早于上岗日期。"),
    "invalid_attendance": _("出勤天数须在0到当月天数之间，月份须在上岗期间内。"),
    "attendance_paid": _("该月补贴已生成发放明细，考勤不能再修改。"),
    # assistance: loans and transport subsidies
    "loan_fields_missing": _("请填写合同编号、放贷银行和贷款用途。"),
    "loan_borrower_inactive": _("借款人或其所在户不是正常状态，不能办理贷款。"),
    "loan_household_ineligible": _("借款人所在户不是脱贫户或监测户，不能办理小额信贷。"),
    "loan_age": _("借款人放款时%(age)s岁，须在%(low)s至%(high)s岁之间。"),
    "loan_term": _("贷款期限须在1至%(max)s个月之间。"),
    "loan_rate_invalid": _("年利率须为0到1之间的小数（如 0.0435）。"),
    "loan_amount_invalid": _("贷款金额须大于0。"),
    "loan_over_limit": _(
        "该户未还贷款余额%(balance)s元，加上本笔%(amount)s元将超过户贷款上限%(limit)s元。"
    ),
    "loan_duplicate_contract": _("合同编号“%(number)s”已登记。"),
    "loan_closed": _("该贷款已结清或已核销，不能再办理此操作。"),
    "repayment_invalid": _("还款本金和利息不能为负数，且不能都为0。"),
    "repayment_exceeds": _("还款本金超过未还本金%(outstanding)s元。"),
    "loan_extension_date": _("展期日期须晚于当前到期日。"),
    "invalid_quarter": _("季度格式不正确，应为“2023Q2”。"),
    "person_inactive": _("该成员或其所在户不是正常状态。"),
    "transport_ineligible": _("该务工人员所在户不是脱贫户或监测户，不能申请交通补贴。"),
    "transport_months": _("务工月数须在%(min)s至12个月之间。"),
    "transport_duplicate": _("该务工人员%(year)s年已申请过交通补贴（每人每年一次）。"),
    "transport_destination": _("务工地域不正确。"),
    "transport_employer_missing": _("请填写务工单位。"),
    "transport_year": _("补贴年度不正确。"),
    # workplans: plans, sections, tasks, progress
    "workplan_duplicate": _("该区域该期间已有工作计划。"),
    "workplan_closed": _("该工作计划已结束，不能再修改。"),
    "workplan_not_active": _("工作计划尚未启用（执行中），不能填报进展。"),
    "workplan_illegal_status": _("工作计划当前状态不能执行此操作。"),
    "invalid_title": _("请填写标题（不超过200字）。"),
    "invalid_task_status": _("任务状态不正确。"),
    "task_cancelled": _("该任务已取消，不能填报进展。"),
    "invalid_progress": _("进度须为0至100之间的整数。"),
    "progress_note_missing": _("请填写进展情况。"),
    "invalid_reported_on": _("进展日期不能晚于今天。"),
    # workplans: indicators, targets, measurements
    "invalid_value": _("数值须为数字（百分比在0至100之间）。"),
    "indicator_computed": _("该指标由系统计算，不能手工填报。"),
    "measurement_value_required": _("请填写数值。"),
    "measurement_ratio_required": _("比率指标须填写分子和分母。"),
    "measurement_ratio_invalid": _("分母须大于0，分子须在0与分母之间。"),
    # projects: library, funding, disbursements, targets
    "project_duplicate_code": _("项目编号“%(number)s”已存在。"),
    "project_invalid": _("请填写项目编号、名称、类型、实施单位和年度。"),
    "project_dates": _("计划完工日期不能早于计划开工日期。"),
    "project_not_funded": _("项目批复后、资产登记前才能拨付资金。"),
    "over_budget": _(
        "拨付后累计%(total)s元将超过项目预算%(budget)s元；确需超预算拨付，须由审批人填写超预算说明。"
    ),
    "disbursement_invalid": _("请填写拨付日期、凭证号和不为0的金额；冲减须写明说明。"),
    "funding_source_foreign": _("所选资金来源不属于该项目。"),
    "no_assets_registered": _("该项目尚未登记资产，不能标记为资产登记。"),
    "milestone_invalid": _("请填写节点名称和计划日期。"),
    "milestone_done": _("该节点已完成。"),
    "target_invalid": _("绩效指标类别、名称、目标值或分值无效。"),
    "score_invalid": _("得分须在0至该指标分值之间。"),
    "benefit_invalid": _(
        "受益户数、脱贫户数和就业人数须为不小于0的整数，且脱贫户数不超过受益户数。"
    ),
    "invalid_attachment": _("附件只能是 pdf、jpg、png、docx 或 xlsx 文件，且不超过%(mb)s MB。"),
    # projects: assets and industry
    "asset_project_not_accepted": _("项目验收后才能登记资产。"),
    "asset_type_invalid": _("资产类别不正确。"),
    "asset_fields_missing": _("请填写资产名称、所有权人和登记日期。"),
    "asset_household_required": _("到户类资产须指定受益农户。"),
    "asset_household_outside_area": _("受益农户不在项目实施地点范围内。"),
    "asset_household_not_allowed": _("只有到户类资产才能指定农户。"),
    "asset_income_year": _("收益年度不正确（不能早于资产登记年度）。"),
    "asset_income_duplicate": _("该资产%(year)s年的收益已登记（每年一条）。"),
    "industry_name_missing": _("请填写产业名称。"),
    "industry_duplicate": _("该区域已有特色产业“%(name)s”。"),
    "enterprise_name_missing": _("请填写经营主体名称。"),
    "enterprise_kind_invalid": _("经营主体类型不正确。"),
    "enterprise_village_required": _("经营主体须登记在行政村（社区）。"),
    "enterprise_industry_outside_area": _("所选产业不覆盖该村。"),
    "enterprise_project_outside_area": _("所选项目与该村无关。"),
    "enterprise_count_invalid": _("就业人数和带动户数须为不小于0的整数。"),
    "enterprise_field_invalid": _("不能修改该字段。"),
    # reports: editable narrative templates
    "template_invalid": _("模板有误：%(errors)s"),
    "template_unchanged": _("模板内容没有变化，无需保存。"),
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

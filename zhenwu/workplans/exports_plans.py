"""工作计划 export (.xlsx): one sheet 任务 with a row per task of a plan — section, title,
description, lead unit, responsible, deadline, status, latest progress, overdue flag and
the date of the latest progress update. The tasks are read through
``selectors.visible_tasks`` (scoped, fails closed); text cells are formula-escaped
(``lib.xlsx``); every export is audited (``workplans.exported``) with its row count."""

import io

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from zhenwu.core import audit
from zhenwu.lib.xlsx import XlsxWriter
from zhenwu.workplans import selectors
from zhenwu.workplans.actions.plans import is_overdue

HEADERS = [
    _("章节"),
    _("任务"),
    _("内容"),
    _("牵头单位"),
    _("责任人"),
    _("完成时限"),
    _("状态"),
    _("最新进度（%）"),
    _("是否逾期"),
    _("最近更新日期"),
]
WIDTHS = [20, 30, 40, 16, 12, 12, 10, 12, 10, 14]


def plan_tasks(user, plan):
    """The plan's tasks the user may read, in page order, with ``last_reported_on``."""
    return (
        selectors.visible_tasks(user)
        .filter(section__plan=plan)
        .annotate(last_reported_on=Max("updates__reported_on"))
        .order_by("section__order", "order", "id")
    )


def plan_rows(tasks, today) -> list[list]:
    yes, no = str(_("是")), str(_("否"))
    return [
        [
            task.section.title,
            task.title,
            task.description,
            task.lead_unit,
            task.responsible,
            task.deadline_on,
            task.get_status_display(),
            task.progress,
            yes if is_overdue(task, today) else no,
            task.last_reported_on,
        ]
        for task in tasks
    ]


def export_plan(user, plan, today) -> bytes:
    """The tasks of ``plan`` (from ``access_plan(user, ...)``) as .xlsx; audited."""
    rows = plan_rows(plan_tasks(user, plan), today)
    target = io.BytesIO()
    with XlsxWriter(target) as writer:
        sheet = writer.add_sheet(str(_("任务")), [str(h) for h in HEADERS], widths=WIDTHS)
        for row in rows:
            sheet.append(row)
    audit.record(
        "workplans.exported",
        actor=user,
        obj=plan,
        data={
            "report": "work_plan",
            "area": plan.area.code,
            "period": plan.period,
            "rows": len(rows),
        },
    )
    return target.getvalue()


def plan_filename(plan, today) -> str:
    return _("%(area)s%(period)s工作计划任务_%(on)s.xlsx") % {
        "area": plan.area.name,
        "period": plan.period,
        "on": f"{today:%Y%m%d}",
    }

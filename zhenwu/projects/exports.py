"""项目库台账 export (.xlsx): the projects a user sees, filtered like the list page, with
budget, disbursed, progress, status and warnings. Text cells are formula-escaped
(``lib.xlsx``); every export is audited (``projects.export``) with its filters and row
count."""

import io

from django.utils.translation import gettext_lazy as _

from zhenwu.core import audit
from zhenwu.lib.xlsx import XlsxWriter
from zhenwu.projects.selectors import disbursement_progress, progress_percent, project_warnings

HEADERS = [
    _("项目编号"),
    _("项目名称"),
    _("年度"),
    _("项目类型"),
    _("实施地点"),
    _("实施单位"),
    _("状态"),
    _("预算（元）"),
    _("已拨付（元）"),
    _("拨付进度（%）"),
    _("受益户数"),
    _("受益脱贫户数"),
    _("带动脱贫人口就业"),
    _("绩效自评得分"),
    _("预警"),
]


def ledger_rows(projects, on) -> list[list]:
    rows = []
    for project in projects:
        disbursed, budget, ratio = disbursement_progress(project)
        percent = progress_percent(ratio)
        warnings = "；".join(str(w["message"]) for w in project_warnings(project, on))
        rows.append(
            [
                project.code,
                project.name,
                project.year,
                project.get_project_type_display(),
                project.area.name,
                project.lead_unit,
                project.get_status_display(),
                budget,
                disbursed,
                percent,
                project.households_benefiting,
                project.lifted_households_benefiting,
                project.jobs_for_lifted,
                project.self_evaluation_score,
                warnings,
            ]
        )
    return rows


def ledger_xlsx(rows: list[list]) -> bytes:
    target = io.BytesIO()
    with XlsxWriter(target) as writer:
        sheet = writer.add_sheet(
            str(_("项目库台账")),
            [str(h) for h in HEADERS],
            widths=[16, 30, 8, 12, 12, 20, 10, 14, 14, 12, 10, 12, 14, 12, 40],
        )
        for row in rows:
            sheet.append(row)
    return target.getvalue()


def export_ledger(user, projects, on, filters: dict) -> bytes:
    """The ledger of ``projects`` (already scoped to ``user``) as .xlsx; audited."""
    rows = ledger_rows(projects, on)
    content = ledger_xlsx(rows)
    audit.record(
        "projects.export",
        actor=user,
        object_type="projects.project",
        data={"report": "project_ledger", "rows": len(rows), "filters": filters},
    )
    return content


ASSET_HEADERS = [
    _("资产名称"),
    _("资产类别"),
    _("来源项目"),
    _("实施地点"),
    _("资产原值（元）"),
    _("所有权人"),
    _("管护主体"),
    _("登记日期"),
    _("累计收益（元）"),
]


def export_assets(user, assets, filters: dict) -> bytes:
    """项目资产台账 of ``assets`` (already scoped to ``user``) as .xlsx; audited."""
    target = io.BytesIO()
    rows = 0
    with XlsxWriter(target) as writer:
        sheet = writer.add_sheet(
            str(_("项目资产台账")),
            [str(h) for h in ASSET_HEADERS],
            widths=[30, 12, 30, 14, 14, 20, 20, 12, 14],
        )
        for asset in assets:
            sheet.append(
                [
                    asset.name,
                    asset.get_asset_type_display(),
                    asset.project.name,
                    asset.project.area.name,
                    asset.value,
                    asset.owner,
                    asset.upkeep_by,
                    asset.registered_on,
                    getattr(asset, "income_total", None) or 0,
                ]
            )
            rows += 1
    audit.record(
        "projects.asset_export",
        actor=user,
        object_type="projects.asset",
        data={"filters": filters, "rows": rows},
    )
    return target.getvalue()

"""The .xlsx error report: one line per problem, in the order of the workbook."""

import secrets
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenwu.lib.xlsx import XlsxWriter
from zhenwu.registry.columns import SHEETS
from zhenwu.registry.imports.issues import Issue

REPORT_HEADERS = [_("工作表"), _("行号"), _("列"), _("单元格内容"), _("问题说明")]
WIDTHS = [12, 8, 16, 28, 70]


def report_dir() -> Path:
    directory = Path(settings.ZHENWU_HOME) / "reports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def sort_key(issue: Issue):
    order = list(SHEETS)
    sheet = order.index(issue.sheet) if issue.sheet in order else -1
    return (sheet, issue.row or 0)


def write_error_report(issues: list[Issue], *, total: int, filename: str) -> Path:
    """Write the report under ZHENWU_HOME/reports with a random name; return its path.
    ``total`` may exceed len(issues) when the list was capped."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = report_dir() / f"import-errors-{stamp}-{secrets.token_hex(6)}.xlsx"
    with XlsxWriter(path) as writer:
        sheet = writer.add_sheet(
            str(_("错误清单")), [str(h) for h in REPORT_HEADERS], widths=WIDTHS
        )
        for issue in sorted(issues, key=sort_key):
            sheet.append([issue.sheet, issue.row, issue.column, issue.value, issue.message])
        if total > len(issues):
            sheet.append(
                [
                    "",
                    None,
                    "",
                    "",
                    str(_("另有 %(count)s 个问题未列出。") % {"count": total - len(issues)}),
                ]
            )
        summary = writer.add_sheet(str(_("说明")), [], widths=[16, 60])
        summary.append([str(_("文件")), filename])
        summary.append([str(_("检查时间")), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
        summary.append([str(_("问题数")), total])
        summary.append(
            [str(_("结果")), str(_("文件有误，未导入任何数据。请改正后重新上传整个文件。"))]
        )
    path.chmod(0o600)
    return path

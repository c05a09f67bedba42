"""``zhenwu report half-year --area 沙地镇 --period 2023H1 [-o report.docx] [--format text|xlsx]``

Registered with the report command (monitoring's ``register_report``). Without ``-o`` the
report prints as text; with ``-o`` it is written as .docx (or as text with
``--format text``, or its figures and their sources as a workbook with ``--format xlsx``). Aggregate figures and plan tasks only, no personal data. Run by the
operator on the server: unscoped, but the written file is audited (``reports.generated``)."""

from pathlib import Path

from django.db import transaction

from zhenwu.areas.models import Area
from zhenwu.core import audit
from zhenwu.lib.document.docx import render_docx
from zhenwu.lib.document.xlsx import render_xlsx
from zhenwu.lib.periods import Period
from zhenwu.monitoring.management.commands.report import register_report
from zhenwu.reports.halfyear import ReportError, half_year_report

DOCX, TEXT, XLSX = "docx", "text", "xlsx"
RENDERERS = {
    DOCX: render_docx,
    XLSX: render_xlsx,
    TEXT: lambda report: report.as_text().encode("utf-8"),
}


def add_arguments(parser) -> None:
    parser.add_argument("-o", "--output", help="输出文件，如 report.docx（不填则输出文本）")
    parser.add_argument(
        "--format",
        choices=[DOCX, TEXT, XLSX],
        help="输出格式：docx、text 或 xlsx（数字清单）；默认：有 -o 时为 docx",
    )


def render_half_year(area: Area, period: Period, options: dict) -> str:
    output = options.get("output")
    kind = options.get("format") or (DOCX if output else TEXT)
    if kind != TEXT and not output:
        raise ReportError(f"{kind} 格式需要用 -o 指定输出文件。")
    report = half_year_report(area, period)
    if not output:
        return report.as_text()
    content = RENDERERS[kind](report)
    path = Path(output)
    path.write_bytes(content)
    with transaction.atomic():
        audit.record(
            "reports.generated",
            obj=area,
            username="cli",
            data={"report": "half-year", "area": area.code, "period": period.code, "as": kind},
        )
    return f"已生成：{path}（{report.title}，{len(content)} 字节）\n"


register_report(
    "half-year",
    "半年（年度）工作总结及下一期工作计划：文本或 .docx（-o）",
    render_half_year,
    add_arguments,
)

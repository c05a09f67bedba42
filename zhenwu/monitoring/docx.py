"""The monthly analysis minutes as a Word document (研判会议纪要).

Built as a document of the report engine (``zhenwu.lib.document``) — title, the period as
subtitle, headings, the figure tables and the meeting record — and written by its .docx
writer, so the minutes share the half-year report's official layout (A4, 仿宋 body, 黑体
and 楷体 headings, page numbers). Only aggregate figures are printed: no name, ID number
or phone of any resident."""

import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from zhenwu.lib.document import formats as fmt
from zhenwu.lib.document.docx import render_docx
from zhenwu.lib.document.model import H1, H2, TABLE, Block, Document, P
from zhenwu.monitoring.choices import AnalysisStatus
from zhenwu.monitoring.models import MonthlyAnalysis


def analysis_title(analysis: MonthlyAnalysis) -> str:
    month = analysis.month
    return _("%(township)s%(year)s年%(month)s月防返贫动态监测研判会议纪要") % {
        "township": analysis.township.name,
        "year": month.year,
        "month": month.month,
    }


def analysis_docx(analysis: MonthlyAnalysis) -> bytes:
    return render_docx(analysis_document(analysis))


def analysis_document(analysis: MonthlyAnalysis) -> Document:
    with translation.override("zh-hans"):
        figures = analysis.figures
        blocks = _figure_blocks(figures) + _meeting_blocks(analysis)
        return Document(
            title=analysis_title(analysis),
            subtitle=_subtitle(analysis),
            blocks=blocks,
            subject=analysis_title(analysis),
            keywords=f"{analysis.month:%Y-%m}",
        )


def _subtitle(analysis: MonthlyAnalysis) -> str:
    period = analysis.figures.get("period", {})
    note = _("统计期：%(start)s至%(end)s") % {
        "start": _cn_date(period.get("start")),
        "end": _cn_date(period.get("end")),
    }
    if analysis.status != AnalysisStatus.FINAL:
        note += "（" + _("草稿") + "）"
    return note


def _cn_date(iso: str | None) -> str:
    return fmt.cn_date(datetime.date.fromisoformat(iso)) if iso else ""


def _table(header: list[str], rows: list[list]) -> Block:
    return Block(TABLE, header=header, rows=[[str(cell) for cell in row] for row in rows])


def _value(item: dict) -> str:
    return str(item["value"]) if item.get("has_data", True) else _("%(value)s（无数据）") % item


def _rate(rate) -> str:
    return "—" if rate is None else fmt.percent(rate)


def _figure_blocks(figures: dict) -> list[Block]:
    blocks = [
        Block(H1, [_("一、本期数据")]),
        _table(
            [_("指标"), _("数值")],
            [[item["label"], _value(item)] for item in figures.get("summary", [])],
        ),
        Block(H2, [_("（一）线索来源")]),
        _table(
            [_("来源"), _("线索数")],
            [[row["label"], row["value"]] for row in figures.get("clues_by_channel", [])],
        ),
    ]
    villages = [row for row in figures.get("clues_by_village", []) if row["value"]]
    if villages:
        blocks += [
            Block(H2, [_("（二）分村线索")]),
            _table([_("行政村"), _("线索数")], [[r["label"], r["value"]] for r in villages]),
        ]
    blocks += [
        Block(H2, [_("（三）识别纳入程序办理环节（期末在办）")]),
        _table(
            [_("环节"), _("件数")],
            [[row["label"], row["value"]] for row in figures.get("cases_by_stage", [])],
        ),
    ]
    screened = [row for row in figures.get("screening_by_village", []) if row["has_data"]]
    if screened:
        blocks += [
            Block(H2, [_("（四）每月一排查完成情况")]),
            _table(
                [_("行政村"), _("排查对象"), _("已走访"), _("完成率")],
                [[r["label"], r["targets"], r["visits"], _rate(r["rate"])] for r in screened],
            ),
        ]
    return blocks


def _meeting_blocks(analysis: MonthlyAnalysis) -> list[Block]:
    missing = _("（未填写）")
    meeting_on = analysis.meeting_on
    return [
        Block(H1, [_("二、研判会议")]),
        Block(P, [_("会议时间：") + (fmt.cn_date(meeting_on) if meeting_on else missing)]),
        Block(P, [_("参会人员：") + (analysis.attendees or missing)]),
        Block(H1, [_("三、研判结论")]),
        *_paragraphs(analysis.decisions),
        Block(H1, [_("四、后续工作")]),
        *_paragraphs(analysis.follow_ups),
    ]


def _paragraphs(text: str) -> list[Block]:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return [Block(P, [line]) for line in lines or [_("（未填写）")]]

"""The monthly analysis minutes as a Word document (研判会议纪要, .docx via python-docx).

A4, body in 仿宋 (FangSong), headings in 黑体 (SimHei), as government documents are set
(the names are written into the file; the reader's fonts render them), the figure tables,
the meeting record, and page numbers in the footer. Only aggregate figures are printed:
no name, ID number or phone of any resident."""

import io

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zhenwu.monitoring.choices import AnalysisStatus
from zhenwu.monitoring.models import MonthlyAnalysis

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "宋体"


def analysis_title(analysis: MonthlyAnalysis) -> str:
    month = analysis.month
    return _("%(township)s%(year)s年%(month)s月防返贫动态监测研判会议纪要") % {
        "township": analysis.township.name,
        "year": month.year,
        "month": month.month,
    }


def analysis_docx(analysis: MonthlyAnalysis) -> bytes:
    with translation.override("zh-hans"):
        document = Document()
        _page_setup(document)
        _styles(document)
        _title(document, analysis)
        _figures(document, analysis.figures)
        _meeting(document, analysis)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()


# --- layout -----------------------------------------------------------------------------------


def _page_setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)


def _page_number(paragraph) -> None:
    """'— PAGE —' as a simple field, updated by Word and LibreOffice when rendered."""
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    tail = OxmlElement("w:r")
    dash = OxmlElement("w:t")
    dash.set(qn("xml:space"), "preserve")
    dash.text = " —"
    tail.append(dash)
    paragraph._p.append(tail)


def _set_font(style_or_run, name: str, size: float | None = None) -> None:
    font = style_or_run.font
    font.name = name
    if size:
        font.size = Pt(size)
    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _styles(document) -> None:
    _set_font(document.styles["Normal"], BODY_FONT, 14)  # 四号
    for level in (1, 2):
        style = document.styles[f"Heading {level}"]
        _set_font(style, HEADING_FONT, 16 if level == 1 else 14)
        style.font.bold = False
        style.font.color.rgb = None
    _set_font(document.styles["Table Grid"], BODY_FONT, 11)


def _title(document, analysis: MonthlyAnalysis) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(analysis_title(analysis))
    _set_font(run, TITLE_FALLBACK, 20)
    run.font.bold = True
    period = analysis.figures.get("period", {})
    note = _("统计期：%(start)s 至 %(end)s") % {
        "start": period.get("start", ""),
        "end": period.get("end", ""),
    }
    if analysis.status != AnalysisStatus.FINAL:
        note += "（" + _("草稿") + "）"
    sub = document.add_paragraph(note)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _heading(document, text: str, level: int = 1) -> None:
    document.add_heading(text, level=level)


def _table(document, headers: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            _set_font(run, HEADING_FONT)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)


def _value(item: dict) -> str:
    return str(item["value"]) if item.get("has_data", True) else _("%(value)s（无数据）") % item


def _figures(document, figures: dict) -> None:
    _heading(document, _("一、本期数据"))
    _table(
        document,
        [_("指标"), _("数值")],
        [[item["label"], _value(item)] for item in figures.get("summary", [])],
    )
    _heading(document, _("（一）线索来源"), 2)
    _table(
        document,
        [_("来源"), _("线索数")],
        [[row["label"], row["value"]] for row in figures.get("clues_by_channel", [])],
    )
    villages = [row for row in figures.get("clues_by_village", []) if row["value"]]
    if villages:
        _heading(document, _("（二）分村线索"), 2)
        _table(document, [_("行政村"), _("线索数")], [[r["label"], r["value"]] for r in villages])
    _heading(document, _("（三）识别纳入程序办理环节（期末在办）"), 2)
    _table(
        document,
        [_("环节"), _("件数")],
        [[row["label"], row["value"]] for row in figures.get("cases_by_stage", [])],
    )
    screened = [row for row in figures.get("screening_by_village", []) if row["has_data"]]
    if screened:
        _heading(document, _("（四）每月一排查完成情况"), 2)
        _table(
            document,
            [_("行政村"), _("排查对象"), _("已走访"), _("完成率")],
            [[r["label"], r["targets"], r["visits"], _rate(r["rate"])] for r in screened],
        )


def _rate(rate) -> str:
    return "—" if rate is None else f"{rate}%"


def _meeting(document, analysis: MonthlyAnalysis) -> None:
    _heading(document, _("二、研判会议"))
    meeting_on = analysis.meeting_on
    date_text = (
        _("%(y)s年%(m)s月%(d)s日")
        % {"y": meeting_on.year, "m": meeting_on.month, "d": meeting_on.day}
        if meeting_on
        else _("（未填写）")
    )
    document.add_paragraph(_("会议时间：") + date_text)
    document.add_paragraph(_("参会人员：") + (analysis.attendees or _("（未填写）")))
    _heading(document, _("三、研判结论"))
    _paragraphs(document, analysis.decisions)
    _heading(document, _("四、后续工作"))
    _paragraphs(document, analysis.follow_ups)


def _paragraphs(document, text: str) -> None:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in lines or [_("（未填写）")]:
        paragraph = document.add_paragraph(line)
        paragraph.paragraph_format.first_line_indent = Pt(28)

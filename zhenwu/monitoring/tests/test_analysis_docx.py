import datetime
import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from zhenwu.monitoring.actions.analysis import do_draft_analysis, do_record_meeting
from zhenwu.monitoring.docx import analysis_docx
from zhenwu.monitoring.tests.test_analysis_data import build_june
from zhenwu.testing.office import convert_to_pdf

D = datetime.date


@pytest.fixture
def june(world):
    return build_june(world)


@pytest.fixture
def analysis(june, township_officer, shadi):
    analysis = do_draft_analysis(shadi, D(2023, 6, 1), actor=township_officer)
    return do_record_meeting(
        analysis,
        actor=township_officer,
        meeting_on=D(2023, 7, 3),
        attendees="镇党委书记、镇长、各村支书",
        decisions="新纳入1户3人。\n超期1件须本周办结。",
        follow_ups="螺田村完成剩余走访。",
    )


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_docx_reopens_with_title_figures_and_meeting(analysis):
    document = Document(io.BytesIO(analysis_docx(analysis)))
    text = _text(document)
    assert "沙地镇2023年6月防返贫动态监测研判会议纪要" in text
    assert "会议时间：2023年7月3日" in text and "镇党委书记、镇长、各村支书" in text
    assert "超期1件须本周办结。" in text and "螺田村完成剩余走访。" in text
    summary = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert summary["新增风险线索（条）"] == "3"
    assert summary["新识别纳入监测对象（人）"] == "3"
    assert summary["超期未办结识别程序（件，期末）"] == "1"
    # Resident names never appear in the minutes.
    assert "甲一" not in text and "乙一" not in text


def test_docx_layout(analysis):
    document = Document(io.BytesIO(analysis_docx(analysis)))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    # The same official layout as the half-year report (lib.document.docx).
    assert east_asian_font(document.styles["Normal"]) == "仿宋_GB2312"
    assert east_asian_font(document.styles["Heading 1"]) == "黑体"
    assert "PAGE" in section.footer._element.xml
    header = document.tables[0].rows[0].cells[0].paragraphs[0].runs[0]
    assert east_asian_font(header) == "黑体"


def east_asian_font(style_or_run) -> str:
    fonts = style_or_run.element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def test_docx_converts_with_libreoffice(analysis, tmp_path):
    source = tmp_path / "minutes.docx"
    source.write_bytes(analysis_docx(analysis))
    convert_to_pdf(source, tmp_path)

"""The .docx of the half-year report: re-opens with python-docx, carries the figures and
the official layout, converts to PDF with LibreOffice (when installed); and the
``zhenwu report half-year`` command (text and -o)."""

import io
import shutil
import subprocess

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command
from docx.oxml.ns import qn
from docx.shared import Pt

from zhenwu.assistance.tests.stats_data import build_ledger
from zhenwu.core.models import AuditEvent
from zhenwu.lib.document.docx import render_docx
from zhenwu.lib.periods import parse_period
from zhenwu.reports.halfyear import half_year_report
from zhenwu.reports.tests.halfyear_data import add_plan
from zhenwu.testing.office import convert_to_pdf

PDFTOPPM = shutil.which("pdftoppm")


@pytest.fixture
def document_bytes(luotian_household, makou_household, shadi, luotian):
    build_ledger(luotian_household, makou_household, shadi, luotian)
    add_plan(shadi)
    return render_docx(half_year_report(shadi, parse_period("2023H1")))


def east_asian(run) -> str:
    return run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_reopens_with_the_figures_and_layout(document_bytes):
    document = docx.Document(io.BytesIO(document_bytes))
    paragraphs = document.paragraphs
    title = paragraphs[0]
    assert title.text == "沙地镇2023年上半年工作总结及下半年工作计划"
    assert east_asian(title.runs[0]) == "方正小标宋简体"
    assert title.runs[0].font.size == Pt(22)

    text = "\n".join(p.text for p in paragraphs)
    assert "发放“产业振兴信贷通”贷款2人，贷款金额8.50万元" in text
    assert "农村生活垃圾收运率暂无数据" in text

    headings = {p.text: p for p in paragraphs if p.style.name.startswith("Heading")}
    assert east_asian(headings["一、2023年上半年工作总结"].runs[0]) == "黑体"
    assert east_asian(headings["（一）坚持产业主导，推进乡村振兴"].runs[0]) == "楷体_GB2312"
    body = next(p for p in paragraphs if p.text.startswith("沙地镇严格落实"))
    assert east_asian(body.runs[0]) == "仿宋_GB2312"
    assert body.runs[0].font.size == Pt(16)
    task = next(p for p in paragraphs if p.text.startswith("1. 做优板鸭特色产业"))
    assert task.runs[0].font.bold is True

    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "fldChar" in footer
    font_table = next(
        rel.target_part.blob for rel in document.part.rels.values() if "fontTable" in rel.reltype
    ).decode()
    assert 'w:name="仿宋_GB2312"' in font_table and 'w:val="仿宋"' in font_table


def test_converts_to_pdf_with_libreoffice(document_bytes, tmp_path):
    source = tmp_path / "report.docx"
    source.write_bytes(document_bytes)
    pdf = convert_to_pdf(source, tmp_path)
    if PDFTOPPM:
        subprocess.run(
            [PDFTOPPM, "-r", "20", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        page = next(tmp_path.glob("p*.png"))
        width, height = _png_size(page.read_bytes())
        assert abs(height / width - 297 / 210) < 0.02  # A4 portrait


def _png_size(data: bytes) -> tuple[int, int]:
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_command_prints_text(world, shadi):
    out = io.StringIO()
    call_command("report", "half-year", "--area", "沙地镇", "--period", "2023H1", stdout=out)
    text = out.getvalue()
    assert text.startswith("沙地镇2023年上半年工作总结及下半年工作计划")
    assert "“产业振兴信贷通”贷款：暂无数据" in text


def test_command_writes_docx(world, shadi, tmp_path):
    target = tmp_path / "report.docx"
    out = io.StringIO()
    call_command(
        "report",
        "half-year",
        "--area",
        "沙地镇",
        "--period",
        "2023H1",
        "-o",
        str(target),
        stdout=out,
    )
    assert "已生成" in out.getvalue()
    document = docx.Document(str(target))
    assert document.paragraphs[0].text == "沙地镇2023年上半年工作总结及下半年工作计划"
    event = AuditEvent.objects.filter(event="reports.generated").latest("id")
    assert event.data["as"] == "docx" and event.username == "cli"

    text_target = tmp_path / "report.txt"
    call_command(
        "report", "half-year", "--area", "沙地镇", "--period", "2023H1",
        "-o", str(text_target), "--format", "text", stdout=io.StringIO(),
    )  # fmt: skip
    assert text_target.read_text(encoding="utf-8").startswith("沙地镇2023年上半年工作总结")

    book_target = tmp_path / "figures.xlsx"
    call_command(
        "report", "half-year", "--area", "沙地镇", "--period", "2023H1",
        "-o", str(book_target), "--format", "xlsx", stdout=io.StringIO(),
    )  # fmt: skip
    rows = list(openpyxl.load_workbook(book_target)["数字"].iter_rows(values_only=True))
    loans = next(row for row in rows if row[0] == "loan_borrowers")
    assert loans[2] == "暂无数据" and loans[3] is None  # the empty town has no loans
    assert "/assistance/loans/" in loans[4]


def test_command_refusals(world, shadi):
    with pytest.raises(CommandError, match="docx 格式需要用 -o"):
        call_command(
            "report", "half-year", "--area", "沙地镇", "--period", "2023H1", "--format", "docx"
        )
    with pytest.raises(CommandError, match="半年"):
        call_command("report", "half-year", "--area", "沙地镇", "--period", "2023-06")
    with pytest.raises(CommandError, match="按乡镇"):
        call_command("report", "half-year", "--area", "螺田村", "--period", "2023H1")

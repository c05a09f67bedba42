"""A document as a workbook (lib.document.xlsx): figures and tables, opened again by
openpyxl and by LibreOffice."""

import io
from decimal import Decimal

import openpyxl

from zhenwu.lib.document.model import H1, TABLE, Block, Document, Figure, P
from zhenwu.lib.document.xlsx import render_xlsx
from zhenwu.testing.office import convert_to_pdf


def sample() -> Document:
    loans = Figure("loan_amount", "贷款金额", "512.00万元", Decimal("5120000"), "/loans/?y=2023")
    empty = Figure("garbage", "垃圾收运率", "暂无数据", None, "/board/", has_data=False)
    formula = Figure("odd", "=SUM(A1)", "=1+1", 3, "/x/")
    return Document(
        title="测试",
        blocks=[
            Block(H1, ["一、本期数据"]),
            Block(P, ["贷款", loans]),
            Block(TABLE, header=["指标", "数值"], rows=[["线索", "3"], ["程序", "2"]]),
            Block(H1, ["一、本期数据"]),  # the same heading twice: sheet names stay unique
            Block(TABLE, header=["村", "数"], rows=[["螺田村", "1"]]),
        ],
        figures={f.key: f for f in (loans, empty, formula)},
    )


def test_figures_and_tables_reopen():
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(sample(), base_url="http://zw")))
    assert book.sheetnames == ["数字", "一、本期数据", "一、本期数据(2)"]
    rows = list(book["数字"].iter_rows(values_only=True))
    assert rows[0] == ("编号", "指标", "报告中的写法", "数值", "来源（筛选后的清单）")
    assert rows[1] == ("loan_amount", "贷款金额", "512.00万元", 5120000, "http://zw/loans/?y=2023")
    assert rows[2][3] is None  # no data: no number is made up
    assert rows[3][1] == "'=SUM(A1)"  # text never becomes a formula
    table = list(book["一、本期数据"].iter_rows(values_only=True))
    assert table == [("指标", "数值"), ("线索", "3"), ("程序", "2")]


def test_libreoffice_opens_it(tmp_path):
    source = tmp_path / "figures.xlsx"
    source.write_bytes(render_xlsx(sample()))
    convert_to_pdf(source, tmp_path)

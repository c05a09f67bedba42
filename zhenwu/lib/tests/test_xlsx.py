"""Safe workbook input (SECURITY.md 14) and formula-safe output (SECURITY.md 12)."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from zhenwu.lib import xlsx
from zhenwu.lib.xlsx import (
    FORMULA_TRIGGERS,
    Workbook,
    XlsxRejected,
    XlsxWriter,
    check_filename,
    escape_formula,
    inspect_xlsx,
    open_checked,
    read_bytes,
    unescape_formula,
)


def small_workbook(rows: int = 3) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("户信息")
    sheet.write_row(0, 0, ["户编号", "行政村"])
    for r in range(1, rows + 1):
        sheet.write_row(r, 0, [f"H{r}", "螺田村"])
    book.close()
    return buffer.getvalue()


def rewrite(data: bytes, replace: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    """The same package with some parts replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in replace.items():
            if name not in source.namelist():
                target.writestr(name, content)
    return out.getvalue()


def rejected_code(data: bytes, **kwargs) -> str:
    with pytest.raises(XlsxRejected) as caught:
        inspect_xlsx(data, **kwargs)
    return caught.value.code


# --- input -------------------------------------------------------------------------------


def test_a_real_workbook_passes_and_reports_its_declared_rows():
    info = inspect_xlsx(small_workbook(rows=41))
    assert info.declared_rows == 42  # header + 41
    book = Workbook(small_workbook())
    assert book.rows("户信息")[1] == ["H1", "螺田村"]


@pytest.mark.parametrize("name", ["data.xls", "data.csv", "data.xlsm", "data.xlsx.exe", "", "xlsx"])
def test_only_xlsx_file_names_are_accepted(name):
    with pytest.raises(XlsxRejected) as caught:
        check_filename(name)
    assert caught.value.code == "not_xlsx"
    check_filename("户信息.XLSX")


@pytest.mark.parametrize(
    "content",
    [
        b"",
        "户编号,姓名\nH1,张三\n".encode(),  # a CSV renamed to .xlsx
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,  # old .xls / encrypted OLE file
        b"PK\x03\x04 broken",
    ],
)
def test_files_that_are_not_xlsx_packages_are_refused(content):
    assert rejected_code(content) == "not_xlsx"


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("word/document.xml", "<w/>")
        package.writestr("[Content_Types].xml", "<Types/>")
    assert rejected_code(out.getvalue()) == "not_xlsx"


def test_size_cap_is_checked_before_reading(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(small_workbook())
    with pytest.raises(XlsxRejected) as caught:
        read_bytes(path, max_bytes=100)
    assert caught.value.code == "too_large"
    with pytest.raises(XlsxRejected):
        read_bytes(small_workbook(), max_bytes=100)


def test_a_zip_bomb_part_is_refused_by_its_compression_ratio():
    bomb = rewrite(small_workbook(), {"xl/media/padding.bin": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 200_000
    assert rejected_code(bomb) == "zip_bomb"


def test_the_total_uncompressed_size_is_capped():
    assert rejected_code(small_workbook(), max_uncompressed=2_000) == "zip_bomb"


def test_a_part_larger_than_declared_is_refused():
    data = small_workbook()
    package = zipfile.ZipFile(io.BytesIO(data))
    info = package.getinfo("xl/worksheets/sheet1.xml")
    # Lie about the uncompressed size in the central directory (as bombs do).
    declared = info.file_size.to_bytes(4, "little")
    central = data.rfind(
        b"PK\x01\x02", 0, data.find(b"xl/worksheets/sheet1.xml", data.find(b"PK\x01\x02"))
    )
    patched = bytearray(data)
    at = patched.find(declared, central)
    patched[at : at + 4] = (10).to_bytes(4, "little")
    assert rejected_code(bytes(patched)) in {"zip_bomb", "unreadable"}


XXE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)
LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
)


def _with_prolog(data: bytes, part: str, prolog: bytes) -> bytes:
    original = zipfile.ZipFile(io.BytesIO(data)).read(part)
    body = original.split(b"?>", 1)[1] if original.startswith(b"<?xml") else original
    return rewrite(data, {part: prolog + body.lstrip()})


@pytest.mark.parametrize(
    ("part", "prolog"),
    [("xl/workbook.xml", XXE), ("xl/worksheets/sheet1.xml", LAUGHS), ("[Content_Types].xml", XXE)],
)
def test_xml_entity_declarations_are_refused(part, prolog):
    assert rejected_code(_with_prolog(small_workbook(), part, prolog)) == "xml_entities"


def test_a_declaration_hidden_after_the_root_element_is_refused(monkeypatch):
    monkeypatch.setattr(xlsx, "_CHUNK", 64)  # the head parser sees only the first chunk
    part = "xl/worksheets/sheet1.xml"
    original = zipfile.ZipFile(io.BytesIO(small_workbook())).read(part)
    hidden = original.replace(b"</worksheet>", b'<!ENTITY x "y"></worksheet>')
    assert rejected_code(rewrite(small_workbook(), {part: hidden})) == "xml_entities"


def test_open_checked_applies_the_declared_row_cap():
    with pytest.raises(XlsxRejected) as caught:
        open_checked(small_workbook(rows=2_000), max_bytes=10**7, max_rows=100)
    assert caught.value.code == "too_many_rows"
    data, info, book = open_checked(small_workbook(), max_bytes=10**7, max_rows=100)
    assert info.size == len(data)
    assert book.sheet_names == ["户信息"]


def test_rejections_carry_chinese_messages():
    assert "MB" in XlsxRejected("too_large", limit=30).message
    assert "xlsx" in XlsxRejected("not_xlsx").message


# --- output ------------------------------------------------------------------------------

DANGEROUS = ["=1+1", "+86 138", "-5", "@SUM(A1)", "\tTAB", "\rCR", '=HYPERLINK("http://x","y")']


def test_formula_like_text_is_written_as_escaped_text():
    buffer = io.BytesIO()
    with XlsxWriter(buffer) as writer:
        sheet = writer.add_sheet("导出", ["值"])
        for value in DANGEROUS:
            sheet.append([value])
        sheet.append(["普通文字", 12, Decimal("3.50"), datetime.date(2023, 3, 5), None, True])
    values = [row[0] for row in Workbook(buffer.getvalue()).rows("导出")[1:]]
    assert values[: len(DANGEROUS)] == ["'" + v for v in DANGEROUS]
    last = Workbook(buffer.getvalue()).rows("导出")[-1]
    assert last == ["普通文字", 12.0, 3.5, datetime.date(2023, 3, 5), "", True]
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["导出"]
    types = {cell.data_type for row in sheet.iter_rows(min_row=2, max_col=1) for cell in row}
    assert types == {"s"}  # no formula cell anywhere


@given(st.text())
def test_escaped_text_never_starts_like_a_formula(text):
    escaped = escape_formula(text)
    assert not escaped.startswith(FORMULA_TRIGGERS)
    if not text.startswith("'"):
        assert unescape_formula(escaped) == text


def test_unescape_only_removes_the_escape_quote():
    assert unescape_formula("'=1+1") == "=1+1"
    assert unescape_formula("'abc") == "'abc"
    assert unescape_formula("'") == "'"

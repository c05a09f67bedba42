"""File-level checks through the importer: .xlsx only, size and row caps, zip bombs and
XML entities are refused with a clear message, a report, an audit row — and no data."""

import io
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from zhenwu.core.models import AuditEvent
from zhenwu.registry.importer import import_households
from zhenwu.registry.models import Household
from zhenwu.registry.tests.import_workbooks import (
    family,
    isolated_home,  # noqa: F401
    write_workbook,
)

pytestmark = pytest.mark.usefixtures("isolated_home")


def valid_file(households: int = 1) -> bytes:
    rows, members = [], []
    for index in range(households):
        h, m = family(f"LT8{index:03d}", 2)
        rows.append(h)
        members += m
    return write_workbook(None, rows, members)


def refused(source, shadi, actor, fragment: str):
    result = import_households(source, area=shadi, actor=actor)
    assert not result.ok
    assert len(result.errors) == 1 and fragment in result.errors[0].message
    assert result.error_report_path is not None and result.error_report_path.exists()
    assert not Household.objects.filter(number__startswith="LT8").exists()
    assert AuditEvent.objects.filter(event="registry.import", outcome="failure").exists()
    return result


def test_not_an_xlsx_file(shadi, township_officer, tmp_path):
    refused(b"hh,name\n1,2\n", shadi, township_officer, ".xlsx")
    csv = tmp_path / "ledger.csv"
    csv.write_bytes(valid_file())  # even a real workbook under another name
    refused(csv, shadi, township_officer, ".xlsx")


def test_file_too_large(shadi, township_officer, settings, tmp_path):
    settings.IMPORT_MAX_BYTES = 2_000
    path = tmp_path / "big.xlsx"
    path.write_bytes(valid_file())
    refused(path, shadi, township_officer, "文件过大")


def test_too_many_rows(shadi, township_officer, settings):
    settings.IMPORT_MAX_ROWS = 5
    refused(valid_file(households=3), shadi, township_officer, "行数过多")


def _repack(data: bytes, extra: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, extra.pop(info.filename, source.read(info.filename)))
        for name, content in extra.items():
            target.writestr(name, content)
    return out.getvalue()


def test_zip_bomb(shadi, township_officer):
    bomb = _repack(valid_file(), {"xl/media/image1.png": b"\0" * (30 * 1024 * 1024)})
    refused(bomb, shadi, township_officer, "压缩炸弹")


def test_xml_entity(shadi, township_officer):
    data = valid_file()
    workbook_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    evil = workbook_xml.replace(
        b"?>",
        b'?>\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>',
        1,
    )
    refused(_repack(data, {"xl/workbook.xml": evil}), shadi, township_officer, "XML 实体")


def test_the_error_report_lists_problems_with_masked_values(shadi, township_officer):
    h, members = family("LT8500", 2)
    members[0]["身份证号"] = "36072119680305100"  # 17 digits
    members[1]["联系电话"] = "1380797000112345678901"  # too long
    result = import_households(
        write_workbook(None, [h], members), area=shadi, actor=township_officer, filename="x.xlsx"
    )
    book = CalamineWorkbook.from_path(str(result.error_report_path))
    rows = book.get_sheet_by_name("错误清单").to_python()
    assert rows[1] == ["成员信息", 2, "身份证号", "360**********5100", "身份证号应为18位"]
    assert rows[2][:4] == ["成员信息", 3, "联系电话", "138***************8901"]
    summary = dict(row[:2] for row in book.get_sheet_by_name("说明").to_python())
    assert summary["文件"] == "x.xlsx" and summary["问题数"] == 2


def test_cell_values_in_the_report_cannot_become_formulas(shadi, township_officer):
    h, members = family("LT8600", 1)
    h["户类型"] = '=HYPERLINK("http://evil","点我")'
    result = import_households(
        write_workbook(None, [h], members), area=shadi, actor=township_officer
    )
    rows = (
        CalamineWorkbook.from_path(str(result.error_report_path))
        .get_sheet_by_name("错误清单")
        .to_python()
    )
    assert rows[1][3].startswith("'=HYPERLINK")

"""Safe .xlsx input and formula-safe .xlsx output (SECURITY.md 12 and 14).

Reading: an uploaded workbook is checked before python-calamine parses it: ``.xlsx`` only,
a size cap, a zip-bomb check (declared and actual uncompressed sizes, compression ratio,
number of parts) and no DTD or entity declaration in any XML part (defusedxml). Only then
is it opened with calamine, which is about ten times faster than openpyxl.

Writing: every text cell that a spreadsheet could take for a formula (``=``, ``+``, ``-``,
``@``, tab, carriage return) gets a leading ``'``; xlsxwriter is told never to turn strings
into formulas or links.
"""

import datetime
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from django.utils.translation import gettext_lazy as _
from python_calamine import CalamineError, CalamineWorkbook

XLSX_SUFFIX = ".xlsx"
# Real workbooks compress 5-30 times (200 leaves room for sheets of empty styled cells);
# deflate bombs reach about a thousand.
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_MIN_BYTES = 1024 * 1024  # tiny parts may compress extremely well; harmless
MAX_UNCOMPRESSED_BYTES = 768 * 1024 * 1024
MAX_PARTS = 2_000
_CHUNK = 1024 * 1024
_XML_SUFFIXES = (".xml", ".rels")
# Legacy VML drawings are often not well-formed XML; they are scanned, not parsed.
_SCANNED_SUFFIXES = (*_XML_SUFFIXES, ".vml")
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DIMENSION_ROW = re.compile(r"(\d+)$")

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

MESSAGES = {
    "not_xlsx": _("只接受 Excel 2007 及以上版本的 .xlsx 文件。"),
    "too_large": _("文件过大（上限 %(limit)s MB）。"),
    "too_many_rows": _("文件行数过多（上限 %(limit)s 行）。"),
    "zip_bomb": _("文件解压后过大或压缩比异常，已拒绝（疑似压缩炸弹）。"),
    "xml_entities": _("文件包含不允许的 XML 实体或 DTD 声明，已拒绝。"),
    "unreadable": _("文件已损坏或无法读取，请用 Excel 另存为 .xlsx 后重试。"),
}


class XlsxRejected(ValueError):
    """The file is not accepted. ``code`` is stable; ``message`` is translated."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        text = str(MESSAGES[self.code])
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class XlsxInfo:
    size: int
    uncompressed: int
    declared_rows: int | None  # from the worksheets' <dimension>, when every sheet has one


def check_filename(name: str) -> None:
    if not name or not name.lower().endswith(XLSX_SUFFIX):
        raise XlsxRejected("not_xlsx")


def read_bytes(source: str | Path | bytes, *, max_bytes: int) -> bytes:
    """The file's bytes, refusing anything over ``max_bytes`` before reading it."""
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        path = Path(source)
        if path.stat().st_size > max_bytes:
            raise XlsxRejected("too_large", limit=_megabytes(max_bytes))
        data = path.read_bytes()
    if len(data) > max_bytes:
        raise XlsxRejected("too_large", limit=_megabytes(max_bytes))
    return data


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):g}"


def inspect_xlsx(data: bytes, *, max_uncompressed: int = MAX_UNCOMPRESSED_BYTES) -> XlsxInfo:
    """Check the container and every XML part; raise XlsxRejected on anything unsafe."""
    if not data.startswith(b"PK"):
        raise XlsxRejected("not_xlsx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise XlsxRejected("not_xlsx") from None
    names = {part.filename for part in parts}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise XlsxRejected("not_xlsx")
    _check_declared_sizes(parts, max_uncompressed)
    total, rows, all_dimensions = 0, 0, True
    for part in parts:
        actual, dimension = _scan_part(archive, part, max_uncompressed - total)
        total += actual
        if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
            if dimension is None:
                all_dimensions = False
            else:
                rows += dimension
    return XlsxInfo(
        size=len(data), uncompressed=total, declared_rows=rows if all_dimensions else None
    )


def _check_declared_sizes(parts: list[zipfile.ZipInfo], max_uncompressed: int) -> None:
    if len(parts) > MAX_PARTS:
        raise XlsxRejected("zip_bomb")
    if sum(part.file_size for part in parts) > max_uncompressed:
        raise XlsxRejected("zip_bomb")
    for part in parts:
        if part.flag_bits & 0x1:  # encrypted entry
            raise XlsxRejected("not_xlsx")
        if part.file_size >= RATIO_CHECK_MIN_BYTES and part.file_size > MAX_COMPRESSION_RATIO * max(
            part.compress_size, 1
        ):
            raise XlsxRejected("zip_bomb")


def _scan_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo, budget: int):
    """Inflate one part in chunks, never beyond its declared size or the remaining budget.
    XML parts: parse the prolog with defusedxml (no DTD, no entities) and scan every chunk
    for a declaration, so one hidden after the root element is refused too."""
    name = part.filename.lower()
    scanned = name.endswith(_SCANNED_SUFFIXES)
    head = _HeadReader() if name.endswith(_XML_SUFFIXES) else None
    actual, tail = 0, b""
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                actual += len(chunk)
                if actual > part.file_size or actual > budget:
                    raise XlsxRejected("zip_bomb")
                if scanned:
                    if _DECLARATION.search(tail + chunk):
                        raise XlsxRejected("xml_entities")
                    tail = chunk[-16:]
                if head is not None:
                    head.feed(chunk)
    except XlsxRejected:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError):
        raise XlsxRejected("unreadable") from None
    return actual, (head.dimension_rows() if head else None)


class _HeadReader:
    """Feeds the start of an XML part to defusedxml until the sheet data begins."""

    def __init__(self):
        self.done = False
        self.dimension: str | None = None
        self._parser = DefusedXMLParser(target=self, forbid_dtd=True)

    def feed(self, chunk: bytes) -> None:
        if self.done:
            return
        try:
            self._parser.feed(chunk)
        except DefusedXmlException:
            raise XlsxRejected("xml_entities") from None
        except ParseError:
            raise XlsxRejected("unreadable") from None
        self.done = True  # the first chunk holds the prolog of any real part

    # ElementTree target interface
    def start(self, tag, attrib):
        if tag.endswith("}dimension") or tag == "dimension":
            self.dimension = attrib.get("ref")

    def end(self, tag):
        pass

    def data(self, text):
        pass

    def close(self):
        return None

    def dimension_rows(self) -> int | None:
        match = _DIMENSION_ROW.search(self.dimension or "")
        return int(match.group(1)) if match else None


class Workbook:
    """A checked workbook opened with python-calamine. Sheets read as lists of rows whose
    index + 1 is the row number Excel shows."""

    def __init__(self, data: bytes):
        try:
            self._book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        except (CalamineError, ValueError, OSError):
            raise XlsxRejected("unreadable") from None

    @property
    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names)

    def rows(self, sheet_name: str) -> list[list]:
        try:
            sheet = self._book.get_sheet_by_name(sheet_name)
            return sheet.to_python(skip_empty_area=False)
        except (CalamineError, ValueError, OSError):
            raise XlsxRejected("unreadable") from None

    def close(self) -> None:
        self._book.close()


def open_checked(
    source: str | Path | bytes, *, max_bytes: int, max_rows: int
) -> tuple[bytes, XlsxInfo, Workbook]:
    """Read, check and open an uploaded workbook. Returns (bytes, info, workbook)."""
    if isinstance(source, str | Path):
        check_filename(str(source))
    data = read_bytes(source, max_bytes=max_bytes)
    info = inspect_xlsx(data)
    # <dimension> may be missing; the caller checks the real row count after reading.
    if info.declared_rows is not None and info.declared_rows > max_rows + 1_000:
        raise XlsxRejected("too_many_rows", limit=max_rows)
    return data, info, Workbook(data)


# --- writing -------------------------------------------------------------------------------


def escape_formula(text: str) -> str:
    """'=1+1' → "'=1+1": a spreadsheet shows it as text instead of evaluating it."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def unescape_formula(text: str) -> str:
    """Undo escape_formula on re-import, so that an export round-trips unchanged."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


class XlsxWriter:
    """Write workbooks row by row (constant memory). Strings are never formulas or links."""

    def __init__(self, target: str | Path | io.BytesIO):
        self._book = xlsxwriter.Workbook(
            target if isinstance(target, io.BytesIO) else str(target),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "in_memory": isinstance(target, io.BytesIO),
            },
        )
        self.header_format = self._book.add_format({"bold": True, "bg_color": "#DDEBF7"})
        self.date_format = self._book.add_format({"num_format": "yyyy-mm-dd"})
        self.text_format = self._book.add_format({"num_format": "@"})

    @property
    def book(self) -> xlsxwriter.Workbook:
        return self._book

    def add_sheet(self, name: str, headers: list[str], *, widths: list[int] | None = None):
        sheet = SheetWriter(self, self._book.add_worksheet(name))
        for index, width in enumerate(widths or [max(10, len(h) * 2 + 2) for h in headers]):
            sheet.worksheet.set_column(index, index, width)
        if headers:
            sheet.append(headers, cell_format=self.header_format)
            sheet.worksheet.freeze_panes(1, 0)
        return sheet

    def close(self) -> None:
        self._book.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


class SheetWriter:
    def __init__(self, writer: XlsxWriter, worksheet):
        self.writer = writer
        self.worksheet = worksheet
        self.next_row = 0

    def append(self, values, *, cell_format=None) -> None:
        row = self.next_row
        for col, value in enumerate(values):
            write_cell(self.worksheet, row, col, value, self.writer, cell_format)
        self.next_row += 1


def write_cell(worksheet, row: int, col: int, value, writer: XlsxWriter, cell_format=None):
    """One cell, by type. Text is escaped; numbers stay numbers; dates get a date format."""
    if value is None or value == "":
        if cell_format is not None:
            worksheet.write_blank(row, col, None, cell_format)
        return
    if isinstance(value, bool):
        worksheet.write_boolean(row, col, value, cell_format)
    elif isinstance(value, int | float | Decimal):
        worksheet.write_number(row, col, float(value), cell_format)
    elif isinstance(value, datetime.datetime):
        worksheet.write_datetime(row, col, value.replace(tzinfo=None), writer.date_format)
    elif isinstance(value, datetime.date):
        worksheet.write_datetime(row, col, value, cell_format or writer.date_format)
    else:
        worksheet.write_string(row, col, escape_formula(str(value)), cell_format)

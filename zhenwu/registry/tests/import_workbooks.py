"""Workbooks for the import tests, written with plain xlsxwriter so that a test controls
every raw cell (numbers, full-width digits, formulas) exactly as a user's Excel would."""

import datetime
import io
import itertools
from pathlib import Path

import pytest
import xlsxwriter
from django.utils import translation

from zhenwu.lib.ids import build_id_number
from zhenwu.registry.columns import (
    HOUSEHOLD_COLUMNS,
    HOUSEHOLD_SHEET,
    INCOME_COLUMNS,
    INCOME_SHEET,
    MEMBER_COLUMNS,
    MEMBER_SHEET,
)


@pytest.fixture
def isolated_home(settings, tmp_path):
    """Reports and uploads go to a temporary ZHENWU_HOME, never to ./var; messages are
    compared in Chinese, whatever language an earlier test left active."""
    settings.ZHENWU_HOME = tmp_path
    settings.UPLOAD_DIR = tmp_path / "uploads"
    with translation.override("zh-hans"):
        yield tmp_path


@pytest.fixture
def zh_hans():
    """Messages are compared in Chinese, whatever language an earlier test left active."""
    with translation.override("zh-hans"):
        yield


HOUSEHOLD_HEADERS = [c.header for c in HOUSEHOLD_COLUMNS]
MEMBER_HEADERS = [c.header for c in MEMBER_COLUMNS]
INCOME_HEADERS = [c.header for c in INCOME_COLUMNS]

_sequence = itertools.count(1)
_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")


SURNAMES = "刘陈钟曾谢黄李王张赖肖邱温郭罗廖杨朱胡周"
GIVEN = "福禄寿金银财根生发华明林春荣贵水德才兴旺有清长新宝茂祥文忠国桂元秀英兰花珍梅莲凤"


def person_name(index: int) -> str:
    """A plausible name, distinct for the first 32,000 indexes."""
    return SURNAMES[index % 20] + GIVEN[(index // 20) % 40] + GIVEN[(index // 800) % 40]


def cn(value) -> str:
    """Digits as Chinese numerals: names may not contain digits."""
    return str(value).translate(_DIGITS)


def new_id(birth: datetime.date = datetime.date(1980, 5, 17), region: str = "360721") -> str:
    """A valid ID number no other test uses (sequence numbers run up to 999 per birth day)."""
    n = next(_sequence)
    return build_id_number(region, birth + datetime.timedelta(days=n // 900), n % 900 + 1)


def household(number: str, village="螺田村", **cells) -> dict:
    row = {"户编号": number, "行政村": village, "户类型": "一般户"}
    row.update(cells)
    return row


def member(number: str, name: str, id_number: str | None = None, relation="户主", **cells) -> dict:
    row = {
        "户编号": number,
        "姓名": name,
        "身份证号": id_number or new_id(),
        "与户主关系": relation,
    }
    row.update(cells)
    return row


def income(number: str, year=2022, **cells) -> dict:
    row = {"户编号": number, "年度": year, "工资性收入": 30000, "转移性收入": 2000}
    row.update(cells)
    return row


def family(number: str, size: int = 3, village="螺田村", **household_cells):
    """One household row and its members (head, spouse, children)."""
    relations = ["户主", "配偶", "之子", "之女", "之孙子"]
    members = [
        member(number, "测试" + cn(f"{number[-4:]}{i}"), relation=relations[i % len(relations)])
        for i in range(size)
    ]
    return household(number, village, **household_cells), members


def write_workbook(
    target: Path | io.BytesIO | None = None,
    households: list[dict] = (),
    members: list[dict] = (),
    incomes: list[dict] | None = None,
    *,
    household_headers: list[str] = HOUSEHOLD_HEADERS,
    member_headers: list[str] = MEMBER_HEADERS,
    sheets: tuple[str, ...] = (HOUSEHOLD_SHEET, MEMBER_SHEET),
    title_row: str | None = None,
) -> bytes | Path:
    """Write the given rows (dicts keyed by header). Returns the bytes when no path is given."""
    buffer = target if target is not None else io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer if isinstance(buffer, io.BytesIO) else str(buffer),
        {"constant_memory": True, "strings_to_formulas": False, "in_memory": True},
    )
    specs = {
        HOUSEHOLD_SHEET: (household_headers, households),
        MEMBER_SHEET: (member_headers, members),
        INCOME_SHEET: (INCOME_HEADERS, incomes or []),
    }
    if incomes is not None and INCOME_SHEET not in sheets:
        sheets = (*sheets, INCOME_SHEET)
    for name in sheets:
        headers, rows = specs[name]
        sheet = book.add_worksheet(name)
        offset = 0
        if title_row:
            sheet.write_string(0, 0, title_row)
            offset = 1
        sheet.write_row(offset, 0, headers)
        for r, row in enumerate(rows, start=offset + 1):
            for c, header in enumerate(headers):
                value = row.get(header)
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write(r, c, value)
    book.close()
    if isinstance(buffer, io.BytesIO):
        return buffer.getvalue()
    return buffer


def big_workbook(
    households: int, *, members_per_household: int = 4, village="螺田村", bad_member=None
) -> bytes:
    """A large valid file, generated quickly (constant memory, minimal columns). With
    ``bad_member`` (an index into the member rows) that member's check digit is wrong."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    hsheet = book.add_worksheet(HOUSEHOLD_SHEET)
    hsheet.write_row(0, 0, ["户编号", "行政村", "户类型", "联系电话"])
    msheet = book.add_worksheet(MEMBER_SHEET)
    msheet.write_row(0, 0, ["户编号", "姓名", "身份证号", "与户主关系", "健康状况", "劳动技能"])
    relations = ["户主", "配偶", "之子", "之女", "之孙子", "之孙女"]
    base = datetime.date(1950, 1, 1)
    row = 1
    for h in range(households):
        number = f"BIG{h:07d}"
        hsheet.write_row(h + 1, 0, [number, village, "脱贫户" if h % 7 == 0 else "一般户", ""])
        for m in range(members_per_household):
            birth = base + datetime.timedelta(days=(h * members_per_household + m) // 500)
            id_number = build_id_number("360721", birth, (h * members_per_household + m) % 500)
            if row - 1 == bad_member:
                id_number = id_number[:-1] + ("0" if id_number[-1] != "0" else "1")
            msheet.write_row(
                row,
                0,
                [
                    number,
                    person_name(h * members_per_household + m),
                    id_number,
                    relations[m],
                    "健康",
                    "普通劳动力",
                ],
            )
            row += 1
    book.close()
    return buffer.getvalue()

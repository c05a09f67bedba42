"""Cell converters of the household import, table-driven and without the database."""

import datetime
from decimal import Decimal

import pytest

from zhenwu.areas.models import Area, AreaLevel
from zhenwu.lib.ids import build_id_number, check_digit
from zhenwu.registry.columns import HOUSEHOLD_COLUMNS, INCOME_COLUMNS, MEMBER_COLUMNS
from zhenwu.registry.imports.cells import CellError, VillageLookup, build_converter
from zhenwu.registry.imports.issues import shown_value
from zhenwu.registry.imports.sheets import header_key
from zhenwu.registry.models import Household, IncomeRecord, Person
from zhenwu.registry.tests.import_workbooks import zh_hans  # noqa: F401

pytestmark = pytest.mark.usefixtures("zh_hans")

COLUMNS = {c.header: c for c in HOUSEHOLD_COLUMNS + MEMBER_COLUMNS + INCOME_COLUMNS}
VALID_ID = build_id_number("360721", datetime.date(1968, 3, 5), 100)
WRONG_CHECK = VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")
BAD_DATE = "36072119680230100" + check_digit("36072119680230100")  # 30 February
X_ID = next(
    n
    for n in (build_id_number("360721", datetime.date(1990, 1, 1), s) for s in range(300))
    if n.endswith("X")
)


def convert(header, raw, model=Person, villages=None):
    column = COLUMNS[header]
    return build_converter(column, model=model, villages=villages)(raw)


def error_of(header, raw, model=Person, villages=None) -> str:
    with pytest.raises(CellError) as caught:
        convert(header, raw, model, villages)
    return caught.value.message


@pytest.mark.parametrize(
    "raw",
    [
        VALID_ID,
        " " + VALID_ID[:6] + " " + VALID_ID[6:] + " ",
        "".join(chr(ord(c) + 0xFEE0) for c in VALID_ID),  # full-width digits
        VALID_ID[:6] + "\u3000" + VALID_ID[6:],
        "'" + VALID_ID,  # an apostrophe that kept the number as text
    ],
)
def test_messy_id_numbers_are_read(raw):
    assert convert("身份证号", raw).number == VALID_ID


def test_lowercase_x_check_digit_is_read():
    assert convert("身份证号", X_ID.lower()).number == X_ID


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (WRONG_CHECK, "校验位"),
        ("36072119680305100", "18位"),
        ("3607211968030510A4", "格式"),
        (BAD_DATE, "出生日期"),
        (360721196803051004.0, "数字"),  # typed into a number cell: last digits lost
        ("", "必填"),
    ],
)
def test_bad_id_numbers_say_what_is_wrong(raw, fragment):
    assert fragment in error_of("身份证号", raw)


@pytest.mark.parametrize(
    ("header", "raw", "expected"),
    [
        ("与户主关系", "户主", "head"),
        ("与户主关系", "head", "head"),
        ("与户主关系", "子", "son"),  # 之子 without 之
        ("与户主关系", " 之 女 ", "daughter"),
        ("与户主关系", "本人", "head"),
        ("务工区域", "省外", "out_of_province"),
        ("务工区域", "", ""),
        ("文化程度", "文盲", "illiterate"),
        ("基本医疗保险", "居民医保", "resident"),
        ("成员状态", "", "active"),  # model default
    ],
)
def test_choices_accept_labels_values_and_common_words(header, raw, expected):
    assert convert(header, raw) == expected


def test_household_choices_and_monitoring_codes():
    assert convert("户类型", "脱贫户", Household) == "lifted"
    assert convert("监测对象类别", "100A03002", Household) == "100A03002"
    assert convert("监测对象类别", "边缘易致贫户", Household) == "100A03002"
    assert convert("户状态", "", Household) == "active"


def test_unknown_choice_lists_the_allowed_labels():
    message = error_of("与户主关系", "表哥")
    assert "表哥" in message and "户主" in message and "之孙女" in message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("no", False),
        ("", False),
        (1.0, True),
        (True, True),
        ("√", True),
    ],
)
def test_yes_no_cells(raw, expected):
    assert convert("大病保险", raw) is expected


def test_yes_no_rejects_other_words():
    assert "是" in error_of("大病保险", "也许")


@pytest.mark.parametrize(
    "raw", ["2023-03-05", "2023/3/5", "2023年3月5日", 44990, datetime.date(2023, 3, 5)]
)
def test_dates(raw):
    assert convert("识别监测时间", raw, Household) == datetime.date(2023, 3, 5)


def test_bad_and_future_dates():
    assert "2023-03-05" in error_of("识别监测时间", "下个月", Household)
    assert "范围" in error_of("识别监测时间", "2999-01-01", Household)


@pytest.mark.parametrize(
    ("raw", "expected"), [(10, 10), (10.0, 10), ("１０", 10), ("10月", 10), ("", 0)]
)
def test_integers(raw, expected):
    assert convert("务工时间（月）", raw) == expected


@pytest.mark.parametrize(("raw", "fragment"), [(13, "0 到 12"), (2.5, "整数"), ("十", "整数")])
def test_bad_integers(raw, fragment):
    assert fragment in error_of("务工时间（月）", raw)


def test_money():
    assert convert("工资性收入", "36,000.5", IncomeRecord) == Decimal("36000.50")
    assert convert("工资性收入", "", IncomeRecord) == Decimal("0")
    assert "负数" in error_of("工资性收入", -1, IncomeRecord)
    assert "金额" in error_of("工资性收入", "三万", IncomeRecord)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("因病、缺劳动力", ["illness", "lack_of_labour"]),
        ("因病,因学;因残 / 其他", ["illness", "schooling", "disability", "other"]),
        ("因病，因病", ["illness"]),
        ("illness", ["illness"]),
        ("", []),
    ],
)
def test_risks(raw, expected):
    assert convert("风险类型", raw, Household) == expected


def test_risks_bad_value_and_too_many():
    assert "因穷" in error_of("风险类型", "因病、因穷", Household)
    assert "5" in error_of("风险类型", "因病、因学、因残、因意外事故、缺劳动力、其他", Household)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张三丰", "张三丰"),
        ("张  三", "张三"),
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("'=张三", "=张三"),
    ],
)
def test_names(raw, expected):
    if expected.startswith("="):
        assert "姓名" in error_of("姓名", raw)  # the escape is removed, "=" is not a name
    else:
        assert convert("姓名", raw) == expected


@pytest.mark.parametrize("raw", ["张三1", "<b>", "=cmd"])
def test_names_refuse_digits_and_symbols(raw):
    assert "姓名" in error_of("姓名", raw)


def test_codes_drop_inner_spaces_and_numbers_keep_their_digits():
    assert convert("户编号", " LT 0001 ", Household) == "LT0001"
    assert convert("户编号", "'360704101214001", Household) == "360704101214001"
    assert convert("联系电话", 13807970001.0, Household) == "13807970001"
    assert "数字" in error_of("户编号", 360704101214000001.0, Household)


def test_text_length_and_formula_escape_removed():
    assert "50" in error_of("村民小组", "组" * 51, Household)
    assert convert("备注", "'=1+1", Household) == "=1+1"


def _area(pk, code, name, level=AreaLevel.VILLAGE):
    area = Area(code=code, name=name, level=level, path=f"/x/{code}/")
    area.pk = pk
    return area


def test_villages_by_name_short_name_or_code_inside_the_area_only():
    shadi = _area(1, "360704101", "沙地镇", AreaLevel.TOWNSHIP)
    luotian, makou = _area(2, "360704101214", "螺田村"), _area(3, "360704101203", "马口村")
    elsewhere = _area(4, "360704102201", "螺田村")  # same name in another township
    lookup = VillageLookup(shadi, inside=[luotian, makou], everywhere=[luotian, makou, elsewhere])
    assert convert("行政村", "螺田村", Household, lookup) == luotian
    assert convert("行政村", "螺田", Household, lookup) == luotian
    assert convert("行政村", "360704101203", Household, lookup) == makou
    only_luotian = VillageLookup(luotian, inside=[luotian], everywhere=[luotian, makou])
    assert "不在本次导入区域" in error_of("行政村", "马口村", Household, only_luotian)
    assert "未找到" in error_of("行政村", "火星村", Household, lookup)


def test_headers_match_leniently():
    assert header_key(" 户编号* ") == "户编号"
    assert header_key("务工时间(月)") == header_key("务工时间（月）")


def test_shown_values_mask_identifiers():
    assert shown_value("id_number", VALID_ID) == VALID_ID[:3] + "*" * 11 + VALID_ID[-4:]
    assert shown_value("id_number", 360721196803051004.0).startswith("360*")
    assert shown_value("phone", "13807970001") == "138****0001"
    assert shown_value("bank_account", "6217001234567890") == "************7890"
    assert shown_value("name", "张三") == "张三"

"""Bank loan list import: all or nothing, error report naming row and column, idempotent."""

import datetime
import io

import pytest
from python_calamine import CalamineWorkbook

from zhenwu.assistance.loan_import import COLUMNS, import_bank_loans, parse_rate
from zhenwu.assistance.models import Loan
from zhenwu.assistance.tests.support_loans import household_with, load_settings, member
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.lib.xlsx import XlsxWriter

HEADERS = [column.header for column in COLUMNS]


def workbook(rows, *, title=True) -> bytes:
    buffer = io.BytesIO()
    with XlsxWriter(buffer) as writer:
        sheet = writer.add_sheet("放款清单", [])
        if title:
            sheet.append(["赣州农商银行沙地支行脱贫人口小额信贷放款清单"])
        sheet.append(HEADERS)
        for row in rows:
            sheet.append(row)
    return buffer.getvalue()


def row(person, contract, amount=50000, issued=datetime.date(2023, 3, 1), term=36, rate="4.35%"):
    return [
        contract,
        person.name,
        person.id_number,
        "赣州农商银行",
        amount,
        issued,
        term,
        rate,
        "养殖",
    ]


@pytest.fixture
def people(shadi, luotian_household, makou_household):
    load_settings(shadi)
    return luotian_household.head, member(luotian_household, 1), makou_household.head


def report_rows(path) -> list[list]:
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python()


def test_import_creates_loans_and_is_idempotent(township_officer, shadi, people):
    head, spouse, _ = people
    data = workbook([row(head, "HT-1", 20000), row(spouse, "HT-2", 30000, rate=0.0385)])
    result = import_bank_loans(data, actor=township_officer, area=shadi, filename="list.xlsx")
    assert result.ok, result.errors
    assert (result.created, result.unchanged) == (2, 0)
    loan = Loan.objects.get(contract_number="HT-1")
    assert loan.borrower == head and str(loan.annual_rate) == "0.0435"
    assert loan.due_on == datetime.date(2026, 3, 1)
    event = AuditEvent.objects.filter(event="assistance.loan_import").latest("id")
    assert event.data["created"] == 2 and event.outcome == "success"
    again = import_bank_loans(data, actor=township_officer, area=shadi)
    assert again.ok and (again.created, again.unchanged) == (0, 2)
    assert Loan.objects.count() == 2


def test_any_error_imports_nothing_and_reports_row_and_column(township_officer, shadi, people):
    head, spouse, _ = people
    data = workbook(
        [
            row(head, "HT-1", 30000),
            row(spouse, "HT-2", 30000),  # the household would owe 60,000
            row(head, "HT-3", 1000, term=37),
            [
                "HT-4",
                "张三丰",
                "360721196803050000",
                "赣州农商银行",
                "abc",
                "2023-03-01",
                12,
                "x",
                "养殖",
            ],
        ]
    )
    result = import_bank_loans(data, actor=township_officer, area=shadi, filename="bad.xlsx")
    assert not result.ok
    assert not Loan.objects.exists()
    found = {(issue.row, issue.column) for issue in result.errors}
    assert (4, "贷款金额") in found  # row 4 in Excel: title, header, HT-1, HT-2
    assert (5, "期限（月）") in found
    assert (6, "身份证号") in found and (6, "贷款金额") in found
    limit = next(issue for issue in result.errors if issue.row == 4)
    assert "超过户贷款上限50,000.00元" in limit.message
    report = report_rows(result.error_report_path)
    assert report[0][:3] == ["工作表", "行号", "列"]
    assert any(line[1] == 5 and line[2] == "期限（月）" for line in report[1:])
    failure = AuditEvent.objects.filter(event="assistance.loan_import").latest("id")
    assert failure.outcome == "failure" and failure.data["errors"] == result.error_count


def test_borrower_must_be_in_the_area_and_named_alike(township_officer, people, luotian):
    head, _, makou_head = people
    renamed = row(head, "HT-9")
    renamed[1] = "张三"
    result = import_bank_loans(
        workbook([row(makou_head, "HT-8"), renamed]), actor=township_officer, area=luotian
    )
    messages = {(issue.row, issue.column): issue.message for issue in result.errors}
    assert messages[(3, "身份证号")] == "未在本区域的农户档案中找到该身份证号"
    assert messages[(4, "借款人姓名")] == "借款人姓名与农户档案不一致"


def test_eligibility_per_row(township_officer, shadi, people, luotian):
    young = household_with(township_officer, luotian, "LT-Y", [datetime.date(2006, 1, 1)])
    result = import_bank_loans(
        workbook([row(member(young), "HT-Y", 1000)]), actor=township_officer, area=shadi
    )
    assert [(i.row, i.column) for i in result.errors] == [(3, "身份证号")]
    assert "17岁" in result.errors[0].message


def test_dry_run_writes_nothing(township_officer, shadi, people):
    result = import_bank_loans(
        workbook([row(people[0], "HT-1")]), actor=township_officer, area=shadi, dry_run=True
    )
    assert result.ok and result.created == 1
    assert not Loan.objects.exists()


def test_duplicate_contract_in_file_and_missing_column(township_officer, shadi, people):
    head, spouse, _ = people
    result = import_bank_loans(
        workbook([row(head, "HT-1", 1000), row(spouse, "HT-1", 1000)]),
        actor=township_officer,
        area=shadi,
    )
    assert [(i.row, i.column, i.message) for i in result.errors] == [
        (4, "合同编号", "合同编号与第3行重复")
    ]


def test_not_xlsx_and_permission(township_officer, luotian_cadre, shadi, people):
    result = import_bank_loans(b"not a workbook", actor=township_officer, area=shadi)
    assert not result.ok and "xlsx" in result.errors[0].message
    with pytest.raises(DomainError):
        import_bank_loans(workbook([]), actor=luotian_cadre, area=shadi)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("4.35%", "0.0435"), (0.0435, "0.0435"), (4.35, "0.0435"), ("3.85", "0.0385")],
)
def test_parse_rate(raw, expected):
    assert str(parse_rate(raw)) == expected

"""Department data import: validation report, all or nothing, idempotent re-upload, blind
index only, scoping and audit."""

import datetime
import io

import pytest

from zhenwu.core.crypto import blind_index
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.lib.xlsx import XlsxWriter
from zhenwu.monitoring.actions.department import (
    import_department_file,
    import_department_rows,
)
from zhenwu.monitoring.department.spec import TEMPLATES, template_xlsx
from zhenwu.monitoring.models import DepartmentDataset, DepartmentRecord
from zhenwu.registry.selectors import visible_persons
from zhenwu.testing.personas import test_id_number

JUNE = datetime.date(2023, 6, 1)
GOOD_ID = test_id_number(datetime.date(1970, 7, 9))


def workbook(headers, rows) -> bytes:
    buffer = io.BytesIO()
    with XlsxWriter(buffer) as writer:
        sheet = writer.add_sheet("医保", headers)
        for row in rows:
            sheet.append(row)
    return buffer.getvalue()


MEDICAL_HEADERS = TEMPLATES["medical_insurance"].headers


def upload(data, actor, area, *, filename="医保.xlsx", department="medical_insurance"):
    return import_department_file(
        data, department=department, area=area, period=JUNE, actor=actor, filename=filename
    )


def test_a_valid_file_is_stored_by_blind_index(department_clerk, shadi):
    data = workbook(MEDICAL_HEADERS, [[GOOD_ID, "李秀英", "2023-05", 30000, "8000.50"]])
    result = upload(data, department_clerk, shadi)
    assert result.ok and result.counts == {"records": 1}
    record = DepartmentRecord.objects.get()
    assert record.id_hash == blind_index(GOOD_ID)
    assert record.month == datetime.date(2023, 5, 1) and str(record.amount) == "8000.50"
    assert record.kind == "医疗费用" and record.attributes == {"total": "30000.00"}
    assert GOOD_ID not in str(record.attributes) and GOOD_ID not in record.dataset.filename
    event = AuditEvent.objects.get(event="monitoring.department_import")
    assert event.data["rows"] == 1 and GOOD_ID not in str(event.data)


def test_re_uploading_the_same_file_is_idempotent(department_clerk, shadi):
    data = workbook(MEDICAL_HEADERS, [[GOOD_ID, "李秀英", "2023-05", 30000, 8000]])
    first = upload(data, department_clerk, shadi)
    second = upload(data, department_clerk, shadi)
    assert second.ok and second.same_file_as == str(first.dataset.public_id)
    assert DepartmentDataset.objects.count() == 1 and DepartmentRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ([GOOD_ID[:-1] + "0", "李", "2023-05", 1, 1], "身份证号", "校验位"),
        ([GOOD_ID, "李", "2023-13", 1, 1], "月份", "月份"),
        ([GOOD_ID, "李", "2023-07", 1, 1], "月份", "晚于"),
        ([GOOD_ID, "李", "2023-05", 1, -5], "合规自付金额", "不小于0"),
        ([GOOD_ID, "李", "2023-05", 1, "很多"], "合规自付金额", "数字"),
        ([GOOD_ID, "", "2023-05", 1, 1], "姓名", "必填"),
    ],
)
def test_every_bad_row_is_reported_and_nothing_stored(
    department_clerk, shadi, row, column, message
):
    good = [GOOD_ID, "李秀英", "2023-05", 1, 1]
    result = upload(workbook(MEDICAL_HEADERS, [good, row]), department_clerk, shadi)
    assert not result.ok and result.error_count == 1
    [issue] = result.errors
    assert issue.row == 3 and issue.column == column and message in issue.message
    assert result.error_report_path.exists()
    assert not DepartmentDataset.objects.exists() and not DepartmentRecord.objects.exists()
    if column == "身份证号":
        assert GOOD_ID[:-1] not in issue.value  # masked in the report


def test_enum_and_missing_column(department_clerk, shadi):
    headers = TEMPLATES["civil_affairs"].headers
    bad = upload(
        workbook(headers, [[GOOD_ID, "李", "2023-05", "低保取消"]]),
        department_clerk,
        shadi,
        department="civil_affairs",
    )
    assert not bad.ok and "低保退出" in bad.errors[0].message
    missing = upload(
        workbook(headers[:3], [[GOOD_ID, "李", "2023-05"]]),
        department_clerk,
        shadi,
        department="civil_affairs",
    )
    assert not missing.ok and missing.errors[0].column == "事项"


def test_csv_in_gb18030(department_clerk, shadi):
    text = "身份证号（户主）,姓名,月份,灾种,损失金额\n" + f"{GOOD_ID},李秀英,2023年5月,洪涝,12000\n"
    result = upload(
        text.encode("gb18030"), department_clerk, shadi, filename="应急.csv", department="emergency"
    )
    assert result.ok
    record = DepartmentRecord.objects.get()
    assert record.kind == "洪涝" and record.month == datetime.date(2023, 5, 1)


def test_an_xlsx_disguised_file_is_refused(department_clerk, shadi):
    result = upload(b"not a workbook", department_clerk, shadi)
    assert not result.ok and not DepartmentDataset.objects.exists()


def test_api_rows_same_validation_and_idempotent(township_officer, shadi):
    rows = [{"id_number": GOOD_ID, "name": "李秀英", "month": "2023-05", "kind": "C"}]
    first = import_department_rows(
        rows, department="housing", area=shadi, period=JUNE, actor=township_officer
    )
    again = import_department_rows(
        rows, department="housing", area=shadi, period=JUNE, actor=township_officer
    )
    assert first.ok and again.same_file_as == str(first.dataset.public_id)
    bad = import_department_rows(
        [{**rows[0], "kind": "E"}],
        department="housing",
        area=shadi,
        period=JUNE,
        actor=township_officer,
    )
    assert not bad.ok and bad.errors[0].sheet == "API"


def test_a_village_cadre_may_not_upload(luotian_cadre, luotian):
    data = workbook(MEDICAL_HEADERS, [[GOOD_ID, "李秀英", "2023-05", 1, 1]])
    with pytest.raises(DomainError) as raised:
        upload(data, luotian_cadre, luotian)
    assert raised.value.code == "permission_denied"
    assert AuditEvent.objects.filter(
        event="monitoring.department_import", outcome="denied"
    ).exists()


def test_a_clerk_is_scoped_and_sees_no_household(
    department_clerk, luotian, makou, luotian_household
):
    from zhenwu.accounts.actions import do_create_user
    from zhenwu.monitoring.selectors import visible_datasets

    village_clerk = do_create_user(
        username="luotian-clerk",
        password="",
        area=luotian,
        role="department_clerk",
        is_service_account=True,
    )
    data = workbook(MEDICAL_HEADERS, [[GOOD_ID, "李秀英", "2023-05", 1, 1]])
    with pytest.raises(DomainError) as raised:
        upload(data, village_clerk, makou)
    assert raised.value.code == "out_of_scope"
    assert upload(data, department_clerk, makou).ok  # the district clerk may
    assert not visible_datasets(village_clerk).exists()
    assert visible_datasets(department_clerk).count() == 1
    assert not visible_persons(department_clerk).exists()
    assert not visible_persons(village_clerk).exists()


@pytest.mark.parametrize("department", sorted(TEMPLATES))
def test_every_template_downloads_and_round_trips(department, department_clerk, shadi):
    from zhenwu.lib.xlsx import open_checked

    data = template_xlsx(department)
    _d, _i, book = open_checked(data, max_bytes=10**6, max_rows=10)
    assert book.rows(book.sheet_names[0])[0] == TEMPLATES[department].headers

"""小额信贷 pages: ledger with filters and totals, detail actions, issue form, import, scope."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from zhenwu.assistance.actions import loans
from zhenwu.assistance.models import Loan, PaymentBatch
from zhenwu.assistance.tests.support_loans import load_settings, member
from zhenwu.assistance.tests.test_loans_import import row, workbook

D = datetime.date


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def loan(shadi, luotian_household, township_officer):
    load_settings(shadi)
    return loans.do_issue_loan(
        actor=township_officer,
        borrower=luotian_household.head,
        bank="赣州农商银行",
        contract_number="HT-VIEW-1",
        amount=Decimal("30000"),
        issued_on=D(2023, 2, 1),
        term_months=36,
        annual_rate=Decimal("0.0435"),
        purpose="脐橙种植",
    )


def test_ledger_lists_filters_and_totals(client, loan, luotian_cadre):
    client.force_login(luotian_cadre)
    url = reverse("assistance:loan_list")
    html = page(client.get(url))
    assert "HT-VIEW-1" in html and "30000.00" in html
    assert "登记贷款" not in html  # cadres do not manage loans
    assert "HT-VIEW-1" not in page(client.get(url, {"status": "repaid"}))
    assert "HT-VIEW-1" not in page(client.get(url, {"bank": "建设银行"}))
    assert "HT-VIEW-1" in page(client.get(url, {"village": "360704101214", "bank": "农商"}))
    assert "HT-VIEW-1" not in page(client.get(url, {"issued_from": "2023-03-01"}))


def test_makou_cadre_sees_nothing_and_gets_404(client, loan, makou_cadre):
    client.force_login(makou_cadre)
    assert "HT-VIEW-1" not in page(client.get(reverse("assistance:loan_list")))
    detail = reverse("assistance:loan_detail", args=[loan.public_id])
    assert client.get(detail).status_code == 404
    repay = reverse("assistance:loan_repay", args=[loan.public_id])
    assert client.post(repay, {"paid_on": "2023-05-01", "principal": "1"}).status_code == 404


def test_detail_repay_extend_write_off(client, loan, township_officer):
    client.force_login(township_officer)
    detail = reverse("assistance:loan_detail", args=[loan.public_id])
    assert "登记还款" in page(client.get(detail))
    client.post(
        reverse("assistance:loan_repay", args=[loan.public_id]),
        {"paid_on": "2023-05-01", "principal": "30000", "interest": "300"},
    )
    loan.refresh_from_db()
    assert loan.status == "repaid"
    html = page(client.get(detail))
    assert "已结清" in html and "登记还款" not in html


def test_extend_with_stale_version_shows_conflict(client, loan, township_officer):
    client.force_login(township_officer)
    url = reverse("assistance:loan_extend", args=[loan.public_id])
    data = {"version": loan.version + 5, "extended_to": "2026-12-31", "reason": "受灾"}
    response = client.post(url, data, follow=True)
    assert "已被他人修改" in response.content.decode()
    data["version"] = loan.version
    client.post(url, data)
    assert Loan.objects.get(pk=loan.pk).status == "extended"


def test_issue_form_refusal_and_success(client, shadi, luotian_household, township_officer):
    load_settings(shadi)
    client.force_login(township_officer)
    url = reverse("assistance:loan_issue")
    data = {
        "id_number": luotian_household.head.id_number,
        "contract_number": "HT-F-1",
        "bank": "赣州银行",
        "amount": "60000",
        "issued_on": "2023-04-01",
        "term_months": "36",
        "annual_rate": "0.0435",
        "purpose": "养殖",
    }
    assert "超过户贷款上限" in page(client.post(url, data))
    data["amount"] = "50000"
    response = client.post(url, data)
    assert response.status_code == 302
    assert Loan.objects.get(contract_number="HT-F-1").borrower == luotian_household.head


def test_issue_form_cannot_reach_other_areas(client, shadi, makou_household, luotian_cadre):
    client.force_login(luotian_cadre)
    assert client.get(reverse("assistance:loan_issue")).status_code == 403


def test_import_page_shows_errors_and_report(client, shadi, luotian_household, township_officer):
    load_settings(shadi)
    client.force_login(township_officer)
    head = luotian_household.head
    bad = workbook([row(head, "HT-1", term=37)])
    upload = _file(bad)
    html = page(client.post(reverse("assistance:loan_import"), {"file": upload}))
    assert "未导入任何数据" in html and "期限（月）" in html
    report = client.get(reverse("assistance:loan_import_report"))
    assert report.status_code == 200
    good = _file(
        workbook([row(head, "HT-1", 20000), row(member(luotian_household, 1), "HT-2", 20000)])
    )
    html = page(client.post(reverse("assistance:loan_import"), {"file": good}))
    assert "导入完成：新增 2 笔" in html


def _file(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("list.xlsx", data)


def test_subsidy_button_builds_the_batch(client, loan, township_officer):
    client.force_login(township_officer)
    response = client.post(reverse("assistance:loan_subsidy"), {"quarter": "2023Q2"})
    batch = PaymentBatch.objects.get(kind="interest_subsidy", period="2023Q2")
    assert response.status_code == 302 and str(batch.public_id) in response["Location"]
    assert batch.line_count == 1

"""Payment batch pages: list filters, detail buttons by permission, approve / export /
mark-paid / reverse through the pages, 404 outside the scope."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from zhenwu.assistance.actions.payments import do_add_line, do_open_batch
from zhenwu.assistance.choices import BatchStatus, PaymentKind
from zhenwu.assistance.models import PaymentBatch


@pytest.fixture
def batch(township_officer, luotian, luotian_household):
    batch = do_open_batch(
        actor=township_officer, kind=PaymentKind.JOB_PAYROLL, area=luotian, period="2023-06"
    )
    head = luotian_household.members.get(relation="head")
    do_add_line(batch, actor=township_officer, person=head, amount=Decimal("500"))
    return batch


def detail(batch):
    return reverse("assistance:payment_batch_detail", args=[batch.public_id])


def test_list_and_filters(client, batch, township_officer, shadi):
    other = do_open_batch(
        actor=township_officer, kind=PaymentKind.TRANSPORT, area=shadi, period="2023"
    )
    client.force_login(township_officer)
    url = reverse("assistance:payment_batch_list")
    page = client.get(url).content.decode()
    assert detail(batch) in page and detail(other) in page
    page = client.get(url, {"kind": "transport"}).content.decode()
    assert detail(batch) not in page and detail(other) in page
    page = client.get(url, {"period": "2023-06", "status": "draft"}).content.decode()
    assert detail(batch) in page and detail(other) not in page


def test_maker_sees_no_approve_button(client, batch, township_officer, district_officer):
    client.force_login(township_officer)
    page = client.get(detail(batch)).content.decode()
    assert "经办与审核分离" in page
    assert reverse("assistance:payment_batch_approve", args=[batch.public_id]) not in page
    client.post(reverse("assistance:payment_batch_approve", args=[batch.public_id]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAFT
    client.force_login(district_officer)
    page = client.get(detail(batch)).content.decode()
    assert reverse("assistance:payment_batch_approve", args=[batch.public_id]) in page


def test_approve_export_pay_and_reverse(client, batch, township_officer, district_officer):
    client.force_login(district_officer)
    response = client.post(reverse("assistance:payment_batch_approve", args=[batch.public_id]))
    assert response.status_code == 302
    response = client.post(reverse("assistance:payment_batch_export", args=[batch.public_id]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("代发明细")
    assert len(rows.to_python()) == 2
    client.post(
        reverse("assistance:payment_batch_paid", args=[batch.public_id]),
        {"paid_on": datetime.date.today().isoformat()},
    )
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PAID
    client.force_login(township_officer)
    line = batch.lines.get()
    page = client.get(detail(batch)).content.decode()
    assert reverse("assistance:payment_line_reverse", args=[line.public_id]) in page
    response = client.post(
        reverse("assistance:payment_line_reverse", args=[line.public_id]), {"reason": "错发"}
    )
    correction = PaymentBatch.objects.get(period="2023-06R")
    assert response.url == detail(correction)
    assert correction.total_amount == Decimal("-500.00")


def test_cadre_scope_and_404(client, batch, luotian_cadre, makou_cadre):
    client.force_login(makou_cadre)
    assert client.get(detail(batch)).status_code == 404
    assert (
        detail(batch) not in client.get(reverse("assistance:payment_batch_list")).content.decode()
    )
    response = client.post(reverse("assistance:payment_batch_approve", args=[batch.public_id]))
    assert response.status_code == 404
    client.force_login(luotian_cadre)
    page = client.get(detail(batch)).content.decode()
    assert "张三丰" in page and "导出银行代发文件" not in page
    response = client.post(reverse("assistance:payment_batch_approve", args=[batch.public_id]))
    assert response.status_code == 403

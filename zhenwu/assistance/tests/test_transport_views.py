"""交通补贴 pages: list with filters and totals, apply form, decisions, batch, scope."""

import datetime

import pytest
from django.urls import reverse

from zhenwu.assistance.actions import transport as actions
from zhenwu.assistance.models import PaymentBatch, TransportApplication
from zhenwu.assistance.tests.support_loans import load_settings

D = datetime.date


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def application(shadi, luotian_household, luotian_cadre):
    load_settings(shadi)
    return actions.do_apply_transport_subsidy(
        actor=luotian_cadre,
        person=luotian_household.head,
        year=2023,
        destination="in_province",
        employer="赣州某建筑公司",
        months_worked=5,
        evidence="劳动合同",
        applied_on=D(2023, 6, 1),
    )


def test_list_filters_and_totals(client, application, luotian_cadre):
    client.force_login(luotian_cadre)
    url = reverse("assistance:transport_list")
    html = page(client.get(url, {"year": 2023}))
    assert "张三丰" in html and "300.00" in html
    assert "核实" not in html.split("<tbody>")[1]  # cadres do not verify
    assert "张三丰" not in page(client.get(url, {"year": 2023, "destination": "in_county"}))
    assert "张三丰" in page(client.get(url, {"year": 2023, "status": "submitted"}))
    assert "张三丰" not in page(client.get(url, {"year": 2022}))


def test_apply_form_on_a_phone(client, shadi, luotian_household, luotian_cadre):
    load_settings(shadi)
    client.force_login(luotian_cadre)
    url = reverse("assistance:transport_apply")
    data = {
        "id_number": luotian_household.head.id_number,
        "year": "2023",
        "destination": "out_of_province",
        "employer": "东莞某厂",
        "months_worked": "2",
        "applied_on": "2023-06-01",
    }
    assert "务工月数须在3至12个月之间" in page(client.post(url, data))
    data["months_worked"] = "6"
    assert client.post(url, data).status_code == 302
    assert TransportApplication.objects.get().amount == 500
    assert "已申请过" in page(client.post(url, data))


def test_apply_by_person_link_is_scoped(client, shadi, luotian_household, makou_cadre):
    client.force_login(makou_cadre)
    url = reverse("assistance:transport_apply")
    assert client.get(url, {"person": luotian_household.head.public_id}).status_code == 404


def test_verify_approve_from_pages_and_build(
    client, application, township_officer, district_officer
):
    client.force_login(township_officer)
    detail = reverse("assistance:transport_detail", args=[application.public_id])
    assert "核实无误" in page(client.get(detail))
    client.post(
        reverse("assistance:transport_verify", args=[application.public_id]),
        {"version": application.version, "next": "list"},
    )
    html = page(client.get(detail))
    assert "须由其他人审批" in html and "审批通过" not in html
    client.force_login(district_officer)
    application.refresh_from_db()
    client.post(
        reverse("assistance:transport_approve", args=[application.public_id]),
        {"version": application.version},
    )
    assert TransportApplication.objects.get(pk=application.pk).status == "approved"
    client.force_login(township_officer)
    response = client.post(reverse("assistance:transport_build"), {"year": "2023"})
    batch = PaymentBatch.objects.get(kind="transport", period="2023")
    assert response.status_code == 302 and batch.line_count == 1


def test_reject_from_detail(client, application, township_officer):
    client.force_login(township_officer)
    client.post(
        reverse("assistance:transport_reject", args=[application.public_id]),
        {"version": application.version, "reason": "务工证明不全"},
    )
    html = page(client.get(reverse("assistance:transport_detail", args=[application.public_id])))
    assert "不予补贴" in html and "务工证明不全" in html


def test_makou_cadre_sees_nothing(client, application, makou_cadre):
    client.force_login(makou_cadre)
    assert "张三丰" not in page(client.get(reverse("assistance:transport_list"), {"year": 2023}))
    detail = reverse("assistance:transport_detail", args=[application.public_id])
    assert client.get(detail).status_code == 404
    verify = reverse("assistance:transport_verify", args=[application.public_id])
    assert client.post(verify, {"version": 1}).status_code == 404

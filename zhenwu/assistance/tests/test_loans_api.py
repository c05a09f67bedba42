"""/api/v1/assistance/loans: scoped, masked, read-only."""

from decimal import Decimal

from zhenwu.assistance.actions import loans
from zhenwu.assistance.tests.test_loans_views import loan  # noqa: F401 (fixture)

BASE = "/api/v1/assistance/loans"


def test_list_and_detail(client, loan, luotian_cadre):  # noqa: F811
    loans.do_record_repayment(
        loan, actor=loan.created_by, paid_on=loan.issued_on, principal="1000", interest="0"
    )
    client.force_login(luotian_cadre)
    body = client.get(BASE).json()
    assert [item["contract_number"] for item in body["items"]] == ["HT-VIEW-1"]
    item = body["items"][0]
    assert Decimal(item["outstanding"]) == Decimal("29000")
    assert "*" in item["borrower_id_masked"]
    assert "id_number" not in item
    detail = client.get(f"{BASE}/{loan.public_id}").json()
    assert len(detail["repayments"]) == 1
    assert client.get(BASE, {"status": "repaid"}).json()["items"] == []


def test_other_village_gets_nothing(client, loan, makou_cadre):  # noqa: F811
    client.force_login(makou_cadre)
    assert client.get(BASE).json()["items"] == []
    assert client.get(f"{BASE}/{loan.public_id}").status_code == 404

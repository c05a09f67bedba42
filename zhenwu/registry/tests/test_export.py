"""Export of the visible households: scoped, permission-bound, masked by default,
formula-escaped and audited (SECURITY.md 1, 4, 10, 12)."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from zhenwu.accounts.models import Membership, User
from zhenwu.accounts.roles import Role
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.registry.exporter import _member_columns, _Rights, export_households
from zhenwu.registry.importer import import_households
from zhenwu.registry.models import Household
from zhenwu.registry.tests.import_workbooks import isolated_home  # noqa: F401

pytestmark = pytest.mark.usefixtures("isolated_home")
EXPORT = reverse("registry:export_households")


def sheets(content: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def column(rows: list[list], header: str) -> list:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def download(response) -> bytes:
    assert response.status_code == 200, response.content[:500]
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


@pytest.fixture
def both_villages(luotian_household, makou_household):
    Household.objects.filter(pk=luotian_household.pk).update(
        note='=HYPERLINK("http://evil","x")', phone="13807970001"
    )
    return luotian_household, makou_household


def test_township_officer_export_of_luotian_never_contains_makou(
    client, township_officer, both_villages
):
    client.force_login(township_officer)
    content = download(client.post(EXPORT, {"area": "360704101214"}))
    book = sheets(content)
    assert column(book["户信息"], "户编号") == ["LT0001"]
    assert set(column(book["成员信息"], "户编号")) == {"LT0001"}
    assert "MK0001" not in str(book) and "王五" not in str(book)


def test_export_of_the_town_contains_both_villages(township_officer, both_villages, shadi):
    result = export_households(actor=township_officer, area=shadi)
    book = sheets(result.content)
    assert column(book["户信息"], "户编号") == ["MK0001", "LT0001"]  # by village code
    assert result.rows == {"households": 2, "persons": 5, "incomes": 0}


def test_cadres_cannot_export(client, luotian_cadre, both_villages, luotian):
    client.force_login(luotian_cadre)
    assert client.get(EXPORT).status_code == 403
    assert client.post(EXPORT, {"area": "360704101214"}).status_code == 403
    denied = AuditEvent.objects.filter(event="registry.export", outcome="denied")
    assert denied.filter(user=luotian_cadre).count() == 2
    with pytest.raises(DomainError):
        export_households(actor=luotian_cadre, area=luotian)
    assert AuditEvent.objects.filter(event="registry.export", outcome="denied").exists()


def test_an_area_outside_the_scope_is_refused(client, makou, luotian, both_villages):
    officer = User.objects.create(username="makou-officer", must_change_password=False)
    Membership.objects.create(user=officer, area=makou, role=Role.TOWNSHIP_OFFICER)
    with pytest.raises(DomainError) as caught:
        export_households(actor=officer, area=luotian)
    assert caught.value.code == "out_of_scope"
    client.force_login(officer)
    response = client.post(EXPORT, {"area": "360704101214"})  # not among the choices
    assert response.status_code == 200 and "Content-Disposition" not in response
    assert 'value="360704101214"' not in response.content.decode()  # not offered either
    own = download(client.post(EXPORT, {"area": "360704101203"}))
    assert column(sheets(own)["户信息"], "户编号") == ["MK0001"]


def test_identifiers_are_masked_by_default_and_formulas_escaped(
    township_officer, both_villages, luotian
):
    luotian_household, _ = both_villages
    head = luotian_household.members.get(relation="head")
    book = sheets(export_households(actor=township_officer, area=luotian).content)
    ids = column(book["成员信息"], "身份证号")
    assert head.id_masked in ids and head.id_number not in str(book)
    assert all(value[3:14] == "*" * 11 for value in ids)  # no birth digits
    assert column(book["户信息"], "联系电话") == ["138****0001"]
    assert column(book["户信息"], "备注") == ['\'=HYPERLINK("http://evil","x")']
    assert column(book["户信息"], "户类型") == ["脱贫户"]
    assert column(book["成员信息"], "与户主关系") == ["户主", "配偶", "之子"]


def test_export_is_audited_with_rows_and_fields(township_officer, both_villages, luotian):
    export_households(actor=township_officer, area=luotian)
    event = AuditEvent.objects.filter(event="registry.export").latest("id")
    assert event.user == township_officer and event.outcome == "success"
    assert event.data["rows"] == {"households": 1, "persons": 3, "incomes": 0}
    assert "成员信息.身份证号" in event.data["fields"] and event.data["masked"] is True
    assert event.object_id == luotian.code


def test_unmasked_export_needs_a_reason_and_round_trips_through_the_importer(
    client, township_officer, both_villages, luotian
):
    client.force_login(township_officer)
    refused = client.post(EXPORT, {"area": luotian.code, "unmasked": "on", "reason": ""})
    assert refused.status_code == 200 and "原因" in refused.content.decode()
    content = download(
        client.post(EXPORT, {"area": luotian.code, "unmasked": "on", "reason": "核对系统数据"})
    )
    head = both_villages[0].members.get(relation="head")
    assert head.id_number in column(sheets(content)["成员信息"], "身份证号")
    event = AuditEvent.objects.filter(event="registry.export").latest("id")
    assert event.data["masked"] is False and event.data["reason"] == "核对系统数据"
    # What was exported imports back without a single change.
    result = import_households(content, area=luotian, actor=township_officer)
    assert result.ok, result.errors
    assert result.counts["unchanged"] == 4 and result.counts["households_updated"] == 0


def test_protected_columns_are_left_out_for_users_without_the_permission():
    headers = [
        c.header for c in _member_columns(_Rights(sensitive=False, bank=False, unmasked=False))
    ]
    assert "健康状况" not in headers and "残疾类别及等级" not in headers
    assert "银行账号" not in headers and "身份证号" in headers
    full = [c.header for c in _member_columns(_Rights(sensitive=True, bank=True, unmasked=False))]
    assert "健康状况" in full and "银行账号" in full

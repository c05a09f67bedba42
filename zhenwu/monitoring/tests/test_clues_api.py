"""Clue endpoints: scope (404 out of scope), filters, keyset pages, reporting with dedup,
declarations on behalf, no full ID number in any answer."""

import datetime

import pytest
from django.utils import timezone

from zhenwu.api.tests.helpers import all_pages, client_for, get, post
from zhenwu.core.models import AuditEvent
from zhenwu.monitoring.actions.clues import do_report_clue
from zhenwu.monitoring.models import Clue
from zhenwu.testing.personas import test_id_number

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def report(actor, village, household=None, **extra):
    return do_report_clue(
        actor=actor,
        village=village,
        channel="cadre_screening",
        reported_on=extra.pop("reported_on", TODAY),
        household=household,
        **extra,
    )


@pytest.fixture
def two_clues(township_officer, luotian, makou, luotian_household, makou_household):
    return (
        report(township_officer, luotian, luotian_household),
        report(township_officer, makou, makou_household),
    )


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("township_officer", {"LT0001", "MK0001"}),
        ("luotian_cadre", {"LT0001"}),
        ("makou_cadre", {"MK0001"}),
        ("luotian_token", {"LT0001"}),
        ("auditor", set()),
        ("department_clerk", set()),
    ],
)
def test_list_is_scoped(request, two_clues, persona, expected):
    items = all_pages(client_for(request, persona), "/monitoring/clues")
    assert {i["household_number"] for i in items} == expected


def test_anonymous_gets_401(world):
    assert get(client_for(None, "anonymous"), "/monitoring/clues").status_code == 401


def test_out_of_scope_detail_is_404(request, two_clues):
    client = client_for(request, "luotian_cadre")
    makou_clue = two_clues[1]
    response = get(client, f"/monitoring/clues/{makou_clue.public_id}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert get(client, "/monitoring/clues/not-a-uuid").status_code == 404
    own = get(client, f"/monitoring/clues/{two_clues[0].public_id}")
    assert own.status_code == 200 and own.json()["village"]["name"] == "螺田村"
    assert AuditEvent.objects.filter(event="monitoring.clue_viewed").count() == 1


def test_filters_and_keyset_pages(request, township_officer, luotian, makou, two_clues):
    for _ in range(3):
        report(township_officer, luotian, description="无户")
    client = client_for(request, "township_officer")
    page = get(client, "/monitoring/clues", {"limit": 2}).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    assert len(all_pages(client, "/monitoring/clues", {"limit": 2})) == 5
    only_makou = all_pages(client, "/monitoring/clues", {"village": makou.code})
    assert [i["household_number"] for i in only_makou] == ["MK0001"]
    month = TODAY.strftime("%Y-%m")
    assert len(all_pages(client, "/monitoring/clues", {"month": month})) == 5
    assert all_pages(client, "/monitoring/clues", {"month": "1999-01"}) == []
    assert all_pages(client, "/monitoring/clues", {"status": "dismissed"}) == []
    assert get(client, "/monitoring/clues", {"month": "2023-13"}).status_code == 422
    assert get(client, "/monitoring/clues", {"cursor": "forged"}).status_code == 422


def test_report_a_clue_and_dedup(request, luotian, luotian_household):
    client = client_for(request, "luotian_cadre")
    body = {
        "village": luotian.code,
        "household": str(luotian_household.public_id),
        "risk_types": ["illness"],
        "description": "走访发现",
    }
    response = post(client, "/monitoring/clues", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["channel"] == "cadre_screening" and data["household_number"] == "LT0001"
    assert data["deadline_days"] == 15 and data["overdue"] is False
    again = post(client, "/monitoring/clues", body)
    assert again.status_code == 400 and again.json()["code"] == "duplicate_clue"


def test_luotian_cannot_report_for_makou(request, makou, makou_household):
    client = client_for(request, "luotian_cadre")
    response = post(client, "/monitoring/clues", {"village": makou.code})
    assert response.status_code == 403 and response.json()["code"] == "out_of_scope"
    # A 马口村 household is unknown to the 螺田村 cadre, even named under 螺田村.
    response = post(
        client,
        "/monitoring/clues",
        {"village": "360704101214", "household": str(makou_household.public_id)},
    )
    assert response.status_code == 422
    assert not Clue.objects.exists()


def test_unknown_keys_are_refused(request, luotian):
    client = client_for(request, "luotian_cadre")
    response = post(client, "/monitoring/clues", {"village": luotian.code, "status": "dismissed"})
    assert response.status_code == 422 and not Clue.objects.exists()


def test_declaration_on_behalf_never_returns_the_full_id(request, luotian):
    client = client_for(request, "luotian_cadre")
    number = test_id_number(datetime.date(1966, 6, 6))
    response = post(
        client,
        "/monitoring/clues",
        {
            "village": luotian.code,
            "channel": "self_declared",
            "declarant_name": "陈七",
            "declarant_id_number": number,
            "declarant_phone": "13700001111",
            "risk_types": ["disability"],
        },
    )
    assert response.status_code == 201, response.content
    text = response.content.decode()
    assert number not in text and "13700001111" not in text
    assert response.json()["declarant_id_masked"].endswith(number[-4:])
    bad = post(
        client,
        "/monitoring/clues",
        {"village": luotian.code, "channel": "self_declared", "declarant_name": "陈七"},
    )
    assert bad.status_code == 422


def test_clue_endpoints_are_in_the_openapi_document(request):
    document = get(client_for(request, "township_officer"), "/openapi.json").json()
    assert {"/api/v1/monitoring/clues", "/api/v1/monitoring/clues/{public_id}"} <= set(
        document["paths"]
    )
    created = document["paths"]["/api/v1/monitoring/clues"]["post"]
    assert "201" in created["responses"]

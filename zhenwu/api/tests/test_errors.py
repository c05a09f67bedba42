"""The API's error format: ``{"code", "message"}`` with the right status, messages in the
request's language, and 422s that name the field."""

import pytest
from django.utils import translation

from zhenwu.api.errors import DOMAIN_STATUS, field_name
from zhenwu.api.tests.helpers import client_for, error_fields, get, post
from zhenwu.core.errors import MESSAGES

pytestmark = pytest.mark.django_db

MISSING = "/households/00000000-0000-0000-0000-000000000000"


def test_not_found_is_the_same_for_missing_malformed_and_out_of_scope(request, makou_household):
    client = client_for(request, "luotian_cadre")
    bodies = [
        get(client, MISSING),
        get(client, "/households/not-a-uuid"),
        get(client, f"/households/{makou_household.public_id}"),
    ]
    assert {r.status_code for r in bodies} == {404}
    assert len({r.content for r in bodies}) == 1
    assert bodies[0].json() == {"code": "not_found", "message": "记录不存在或无权访问。"}


def test_message_follows_accept_language(request):
    client = client_for(request, "luotian_cadre")
    response = get(client, MISSING, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "en"
    with translation.override("en"):
        assert response.json()["message"] == str(MESSAGES["not_found"])
    assert get(client, MISSING)["Content-Language"] == "zh-hans"


def test_field_messages_are_translated_too(request, luotian_household, luotian):
    """Django's own validation messages exist in both languages."""
    client = client_for(request, "township_officer")
    duplicate = {"village": luotian.code, "number": "LT0001"}
    english = post(client, "/households", duplicate, HTTP_ACCEPT_LANGUAGE="en")
    chinese = post(client, "/households", duplicate)
    assert error_fields(english) == error_fields(chinese) == {"number"}
    assert "already exists" in english.json()["errors"][0]["message"]
    assert "已存在" in chinese.json()["errors"][0]["message"]


def test_domain_error_statuses():
    assert DOMAIN_STATUS == {
        "not_found": 404,
        "permission_denied": 403,
        "out_of_scope": 403,
        "csrf_failed": 403,
        "conflict": 409,
    }


def test_other_domain_errors_are_400(request, shadi):
    response = post(
        client_for(request, "township_officer"),
        "/households",
        {"village": shadi.code, "number": "X"},
    )
    assert response.status_code == 400
    assert response.json() == {"code": "area_level", "message": "所选区域层级不正确。"}


def test_permission_denied_is_403(request, luotian):
    response = post(
        client_for(request, "auditor"), "/households", {"village": luotian.code, "number": "X"}
    )
    assert response.status_code == 403
    assert response.json() == {"code": "permission_denied", "message": "您没有执行此操作的权限。"}


def test_validation_error_lists_every_field(request, luotian):
    response = post(
        client_for(request, "township_officer"),
        "/households",
        {"number": "", "lifted_year": 1900, "risks": ["illness"] * 6},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert error_fields(response) == {"village", "number", "lifted_year", "risks"}
    assert all(e["message"] and e["type"] for e in body["errors"])


def test_malformed_json_is_a_validation_error(request):
    client = client_for(request, "township_officer")
    response = client.post("/api/v1/households", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert "code" in response.json()


@pytest.mark.parametrize(
    ("loc", "name"),
    [
        (("body", "payload", "village"), "village"),
        (("body", "payload", "risks", 0), "risks.0"),
        (("query", "limit"), "limit"),
        (("cursor",), "cursor"),
    ],
)
def test_field_name(loc, name):
    assert field_name(loc) == name

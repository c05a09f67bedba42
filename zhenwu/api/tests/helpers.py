"""Test helpers for API callers: every persona as a django test ``Client``."""

import json

from django.test import Client

BASE = "/api/v1"

# Personas of zhenwu/conftest.py, plus an anonymous caller and the 螺田村 service token.
PERSONAS = [
    "district_officer",
    "township_officer",
    "luotian_cadre",
    "makou_cadre",
    "auditor",
    "system_admin",
    "department_clerk",
    "no_membership_user",
    "anonymous",
    "luotian_token",
]
# Household numbers of the fixtures luotian_household / makou_household each persona sees.
SEES = {
    "district_officer": {"LT0001", "MK0001"},
    "township_officer": {"LT0001", "MK0001"},
    "luotian_cadre": {"LT0001"},
    "makou_cadre": {"MK0001"},
    "auditor": set(),
    "system_admin": set(),
    "department_clerk": set(),
    "no_membership_user": set(),
    "luotian_token": {"LT0001"},
}


def client_for(pytest_request, persona: str) -> Client:
    """A client acting as ``persona`` (session login, bearer token, or nobody)."""
    if persona == "anonymous":
        return Client()
    if persona == "luotian_token":
        token = pytest_request.getfixturevalue("luotian_token")
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client = Client()
    client.force_login(pytest_request.getfixturevalue(persona))
    return client


def user_of(pytest_request, persona: str):
    if persona == "luotian_token":
        pytest_request.getfixturevalue("luotian_token")
        return pytest_request.getfixturevalue("luotian_service_account")
    return pytest_request.getfixturevalue(persona)


def post(client: Client, path: str, data: dict, **extra):
    return client.post(BASE + path, json.dumps(data), content_type="application/json", **extra)


def patch(client: Client, path: str, data: dict, **extra):
    return client.patch(BASE + path, json.dumps(data), content_type="application/json", **extra)


def get(client: Client, path: str, params: dict | None = None, **extra):
    return client.get(BASE + path, params or {}, **extra)


def all_pages(client: Client, path: str, params: dict | None = None) -> list[dict]:
    """Every item of a cursor-paginated list."""
    params = dict(params or {})
    items = []
    while True:
        response = get(client, path, params)
        assert response.status_code == 200, response.content
        body = response.json()
        items.extend(body["items"])
        if not body["next_cursor"]:
            return items
        params["cursor"] = body["next_cursor"]


def error_fields(response) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}

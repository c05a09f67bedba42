"""The OpenAPI document and the docs page: behind a login, offline (no external URL),
and compatible with the content security policy (no inline script)."""

import json
import re

import pytest
from django.test import Client

from zhenwu.api.tests.helpers import BASE, client_for

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", re.IGNORECASE)


def test_docs_page_needs_a_login():
    response = Client().get(BASE + "/docs")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "next=/api/v1/docs" in response["Location"]


def test_openapi_json_needs_a_login_or_a_token():
    response = Client().get(BASE + "/openapi.json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_openapi_json_with_a_token(luotian_token):
    response = Client(HTTP_AUTHORIZATION=f"Bearer {luotian_token}").get(BASE + "/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Zhenwu API"


def test_revoked_token_cannot_read_the_document(luotian_token):
    from zhenwu.accounts.actions import do_revoke_api_token
    from zhenwu.accounts.models import ApiToken

    do_revoke_api_token(ApiToken.objects.get(prefix=luotian_token[:10]))
    response = Client(HTTP_AUTHORIZATION=f"Bearer {luotian_token}").get(BASE + "/openapi.json")
    assert response.status_code == 401


def test_openapi_document_describes_the_registry_and_has_no_external_url(request):
    response = client_for(request, "auditor").get(BASE + "/openapi.json")
    assert response.status_code == 200
    text = response.content.decode()
    assert not EXTERNAL.search(text)
    document = json.loads(text)
    assert set(document["paths"]) >= {
        "/api/v1/households",
        "/api/v1/households/{public_id}",
        "/api/v1/households/{public_id}/persons",
        "/api/v1/persons",
        "/api/v1/persons/{public_id}",
    }
    assert set(document["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    schemas = document["components"]["schemas"]
    # ID numbers are input only.
    assert "id_number" in schemas["PersonCreate"]["properties"]
    assert "id_number" not in schemas["PersonOut"]["properties"]
    assert schemas["PersonCreate"]["additionalProperties"] is False


def test_docs_page_is_offline_and_has_no_inline_script(request):
    response = client_for(request, "luotian_cadre").get(BASE + "/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not EXTERNAL.search(html)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") for a in assets)
    # The only <script> with content carries JSON settings, which the browser does not run.
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL):
        assert not body.strip() or 'type="application/json"' in attributes
    assert "style=" not in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_docs_assets_are_served_by_the_app(request):
    client = client_for(request, "luotian_cadre")
    html = client.get(BASE + "/docs").content.decode()
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        response = client.get(asset)
        assert response.status_code == 200, asset

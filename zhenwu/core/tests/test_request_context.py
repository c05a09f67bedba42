from django.test import RequestFactory

from zhenwu.core.middleware import client_ip


def test_client_ip_is_remote_addr_without_a_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert client_ip(request) == "10.1.2.3"


def test_behind_the_proxy_the_last_forwarded_hop_is_the_client(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.20.30.40"
    )
    assert client_ip(request) == "10.20.30.40"


def test_response_carries_the_request_id(client):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="abc123")
    assert response["X-Request-ID"] == "abc123"

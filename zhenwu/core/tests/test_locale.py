from django.urls import reverse


def test_ui_is_chinese_even_for_an_english_browser(client):
    response = client.get(reverse("core:audit_log"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"


def test_ui_switches_to_english_by_the_language_cookie(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("core:audit_log"))
    assert response["Content-Language"] == "en"


def test_api_honours_accept_language(client):
    response = client.get("/api/v1/does-not-exist", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "en"


def test_a_request_does_not_leave_its_language_active(client, settings):
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get(reverse("core:audit_log"))
    assert translation.get_language() == settings.LANGUAGE_CODE

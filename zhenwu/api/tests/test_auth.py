"""API authentication: tokens of service accounts, UI sessions with CSRF, and 401 for the
rest."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from zhenwu.accounts.actions import do_create_api_token, do_revoke_api_token, do_set_active
from zhenwu.accounts.models import ApiToken
from zhenwu.api.tests.helpers import BASE, get, post

pytestmark = pytest.mark.django_db


def bearer(token: str, **kwargs) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", **kwargs)


def token_row(raw: str) -> ApiToken:
    return ApiToken.objects.get(prefix=raw[:10])


def test_token_acts_with_its_service_accounts_scope(
    luotian_token, luotian_household, makou_household
):
    response = get(bearer(luotian_token), "/households")
    assert response.status_code == 200
    assert [h["number"] for h in response.json()["items"]] == ["LT0001"]
    assert get(bearer(luotian_token), f"/households/{makou_household.public_id}").status_code == 404


def test_revoked_token_is_refused(luotian_token, luotian_household):
    do_revoke_api_token(token_row(luotian_token))
    response = get(bearer(luotian_token), "/households")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_expired_token_is_refused(luotian_service_account, luotian_household):
    raw = do_create_api_token(
        luotian_service_account,
        name="过期",
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    assert get(bearer(raw), "/households").status_code == 401


def test_token_with_a_future_expiry_works(luotian_service_account):
    raw = do_create_api_token(
        luotian_service_account,
        name="一年",
        expires_at=timezone.now() + datetime.timedelta(days=365),
    )
    assert get(bearer(raw), "/households").status_code == 200


def test_token_of_a_deactivated_account_is_refused(luotian_token, luotian_service_account):
    do_set_active(luotian_service_account, active=False)
    assert get(bearer(luotian_token), "/households").status_code == 401


def test_token_stops_working_if_the_account_is_no_longer_a_service_account(
    luotian_token, luotian_service_account
):
    luotian_service_account.is_service_account = False
    luotian_service_account.save(update_fields=["is_service_account"])
    assert get(bearer(luotian_token), "/households").status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer zw_not-a-real-token", "Bearer ", "Token zw_abc", "Basic bHVvdGlhbjp4", "zw_abc"],
)
def test_unknown_or_malformed_credentials_are_401(header):
    response = Client(HTTP_AUTHORIZATION=header).get(BASE + "/households")
    assert response.status_code == 401


def test_token_hash_only_is_stored(luotian_token):
    row = token_row(luotian_token)
    assert luotian_token.startswith("zw_")
    assert row.token_hash != luotian_token and luotian_token not in row.token_hash


def test_last_used_is_written_at_most_once_a_minute(luotian_token):
    row = token_row(luotian_token)
    assert row.last_used_at is None
    get(bearer(luotian_token), "/households")
    first = token_row(luotian_token).last_used_at
    assert first is not None
    get(bearer(luotian_token), "/households")
    assert token_row(luotian_token).last_used_at == first

    long_ago = timezone.now() - datetime.timedelta(minutes=2)
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=long_ago)
    get(bearer(luotian_token), "/households")
    assert token_row(luotian_token).last_used_at > long_ago


def test_token_writes_need_no_csrf(luotian_token, luotian):
    client = bearer(luotian_token, enforce_csrf_checks=True)
    response = post(client, "/households", {"village": luotian.code, "number": "LT0500"})
    assert response.status_code == 201


def test_service_account_cannot_log_in(luotian_service_account):
    assert not luotian_service_account.has_usable_password()
    assert not luotian_service_account.check_password("")


# --- Session (the UI) ---------------------------------------------------------------------------

CSRF = "a" * 32


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies["csrftoken"] = CSRF
    return client


def test_session_post_without_csrf_token_is_refused(luotian_cadre, luotian):
    response = post(
        csrf_client(luotian_cadre), "/households", {"village": luotian.code, "number": "LT0501"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


def test_session_post_with_csrf_token_works(luotian_cadre, luotian):
    response = post(
        csrf_client(luotian_cadre),
        "/households",
        {"village": luotian.code, "number": "LT0502"},
        HTTP_X_CSRFTOKEN=CSRF,
    )
    assert response.status_code == 201


def test_session_reads_need_no_csrf_token(luotian_cadre):
    assert get(csrf_client(luotian_cadre), "/households").status_code == 200


def test_anonymous_write_is_401_not_a_csrf_error(luotian):
    client = Client(enforce_csrf_checks=True)
    response = post(client, "/households", {"village": luotian.code, "number": "LT0503"})
    assert response.status_code == 401


def test_session_that_must_change_its_password_is_refused(luotian_cadre):
    luotian_cadre.must_change_password = True
    luotian_cadre.save(update_fields=["must_change_password"])
    client = Client()
    client.force_login(luotian_cadre)
    assert get(client, "/households").status_code == 401


def test_idle_session_is_refused(luotian_cadre, settings):
    client = Client()
    client.force_login(luotian_cadre)
    session = client.session
    session["zhenwu_last_seen"] = (
        int(timezone.now().timestamp()) - settings.SESSION_IDLE_SECONDS - 5
    )
    session.save()
    assert get(client, "/households").status_code == 401


def test_session_use_of_the_api_counts_as_activity(luotian_cadre):
    client = Client()
    client.force_login(luotian_cadre)
    session = client.session
    session["zhenwu_last_seen"] = int(timezone.now().timestamp()) - 600
    session.save()
    assert get(client, "/households").status_code == 200
    assert client.session["zhenwu_last_seen"] >= int(timezone.now().timestamp()) - 5


def test_session_activity_is_written_at_most_once_a_minute(luotian_cadre):
    client = Client()
    client.force_login(luotian_cadre)
    recent = int(timezone.now().timestamp()) - 10
    session = client.session
    session["zhenwu_last_seen"] = recent
    session.save()
    assert get(client, "/households").status_code == 200
    assert client.session["zhenwu_last_seen"] == recent


def test_body_of_a_401_is_the_error_format():
    response = Client().get(BASE + "/persons")
    assert json.loads(response.content) == {
        "code": "unauthenticated",
        "message": "请先登录，或提供有效的接口令牌。",
    }

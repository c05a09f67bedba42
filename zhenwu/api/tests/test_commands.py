"""The console commands that set up an integration: service account, token, revocation."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from zhenwu.accounts.models import ApiToken, User
from zhenwu.api.tests.helpers import BASE
from zhenwu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_service_account_and_token_end_to_end(luotian, luotian_household, makou_household):
    run(
        "createserviceaccount",
        "--username",
        "yibao",
        "--area",
        luotian.code,
        "--role",
        "village_cadre",
    )
    account = User.objects.get(username="yibao")
    assert account.is_service_account and not account.has_usable_password()
    assert not account.must_change_password
    assert AuditEvent.objects.filter(
        event="accounts.user_created", object_id=str(account.pk)
    ).exists()

    out, err = run("createtoken", "--user", "yibao", "--name", "医保数据交换")
    raw = out.strip()
    assert raw.startswith("zw_") and raw not in err
    assert raw[:10] in err
    token = ApiToken.objects.get(user=account)
    assert token.name == "医保数据交换" and token.expires_at is not None

    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.get(BASE + "/households")
    assert [h["number"] for h in response.json()["items"]] == ["LT0001"]

    run("revoketoken", "--prefix", raw[:10])
    assert client.get(BASE + "/households").status_code == 401
    assert AuditEvent.objects.filter(event="accounts.token_revoked").exists()


def test_token_without_expiry(luotian_service_account):
    out, _err = run("createtoken", "--user", "luotian-app", "--name", "长期", "--expires-days", "0")
    assert ApiToken.objects.get(prefix=out.strip()[:10]).expires_at is None


def test_tokens_only_for_service_accounts(luotian_cadre):
    with pytest.raises(CommandError, match="not a service account"):
        run("createtoken", "--user", luotian_cadre.username, "--name", "x")
    assert not ApiToken.objects.filter(user=luotian_cadre).exists()


def test_no_token_for_an_unknown_user(world):
    with pytest.raises(CommandError, match="no user"):
        run("createtoken", "--user", "ghost", "--name", "x")


def test_service_account_needs_a_current_area_and_a_delegable_role(world):
    with pytest.raises(CommandError, match="no current area"):
        run("createserviceaccount", "--username", "a1", "--area", "999", "--role", "village_cadre")
    with pytest.raises(CommandError):
        run("createserviceaccount", "--username", "a2", "--area", "360704", "--role", "auditor")
    assert not User.objects.filter(username__in=["a1", "a2"]).exists()


def test_service_account_username_must_be_new(luotian_cadre, luotian):
    with pytest.raises(CommandError, match="already exists"):
        run(
            "createserviceaccount",
            "--username",
            luotian_cadre.username,
            "--area",
            luotian.code,
            "--role",
            "village_cadre",
        )


def test_revoking_an_unknown_prefix_fails(world):
    with pytest.raises(CommandError, match="no active token"):
        run("revoketoken", "--prefix", "zw_nothing")

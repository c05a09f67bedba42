"""The public self-declaration page: works without login, field errors in Chinese, the
same "received" page whether or not the ID number is registered, never echoes the ID,
rate limit answered with 429, villages grouped by township."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from zhenwu.core.models import AuditEvent
from zhenwu.monitoring.actions import clues as clue_actions
from zhenwu.monitoring.models import Clue
from zhenwu.testing.personas import test_id_number

pytestmark = pytest.mark.django_db
URL = "/monitoring/declare/"


def without_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def form_data(village, id_number, **extra):
    return {
        "name": "张三丰",
        "id_number": id_number,
        "village": village.code,
        "phone": "13800001234",
        "risk_types": ["illness"],
        "description": "住院",
        **extra,
    }


def test_url_and_anonymous_access(world):
    assert reverse("monitoring:declare") == URL
    response = Client().get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "农户自主申报" in page
    assert '<optgroup label="沙地镇">' in page and "螺田村" in page and "马口村" in page
    assert "因病" in page  # hardship types as checkboxes
    assert 'type="checkbox"' in page


def test_a_user_who_must_change_password_can_still_reach_it(world):
    """accounts.middleware only redirects logged-in users; the public page is unaffected."""
    response = Client().get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200


def test_registered_and_unregistered_ids_get_the_same_answer(luotian, luotian_household):
    registered = luotian_household.members.get(relation="head").id_number
    unknown = test_id_number(datetime.date(1981, 2, 3))
    answers = []
    for number in (registered, unknown):
        response = Client().post(URL, form_data(luotian, number), follow=True)
        assert response.status_code == 200
        page = response.content.decode()
        assert number not in page and number[-4:] not in page
        answers.append(without_tokens(page))
    assert answers[0] == answers[1]
    assert Clue.objects.filter(household=luotian_household).count() == 1
    assert Clue.objects.filter(household=None).count() == 1


def test_a_duplicate_gets_the_same_answer_too(luotian, luotian_household):
    number = luotian_household.members.get(relation="head").id_number
    first = Client().post(URL, form_data(luotian, number), follow=True).content.decode()
    second = Client().post(URL, form_data(luotian, number), follow=True).content.decode()
    first, second = without_tokens(first), without_tokens(second)
    assert first == second and Clue.objects.count() == 1


@pytest.mark.parametrize(
    "bad, message",
    [
        ("12345", "身份证号应为18位"),
        ("36072119800101ABCD", "格式不正确"),
        ("360721198001010012", "校验位不正确"),
    ],
)
def test_invalid_id_shows_a_field_error_and_writes_nothing(luotian, bad, message):
    if bad == "360721198001010012":
        valid = test_id_number(datetime.date(1980, 1, 1))
        bad = valid[:17] + ("0" if valid[17] != "0" else "1")
    audits = AuditEvent.objects.count()
    response = Client().post(URL, form_data(luotian, bad))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "errorlist" in page
    assert not Clue.objects.exists() and AuditEvent.objects.count() == audits


def test_missing_fields_are_reported(world):
    response = Client().post(URL, {})
    page = response.content.decode()
    assert page.count('class="errorlist"') >= 5 and not Clue.objects.exists()


def test_english_error_messages(luotian):
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.post(URL, form_data(luotian, "12345"))
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_rate_limit_is_a_429_with_a_message(luotian):
    client = Client(REMOTE_ADDR="10.3.3.3")
    for _ in range(clue_actions.DECLARATIONS_PER_IP):
        number = test_id_number(datetime.date(1980, 1, 1))
        assert client.post(URL, form_data(luotian, number)).status_code == 302
    response = client.post(URL, form_data(luotian, test_id_number(datetime.date(1980, 1, 1))))
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert Clue.objects.count() == clue_actions.DECLARATIONS_PER_IP


def test_received_page_is_public(world):
    response = Client().get(reverse("monitoring:declare_received"))
    assert response.status_code == 200 and "申报已收到" in response.content.decode()


def test_form_page_is_not_cached(world):
    assert "no-cache" in Client().get(URL)["Cache-Control"]


def test_audit_row_is_web_channel_with_masked_id(luotian):
    number = test_id_number(datetime.date(1980, 1, 1))
    Client(REMOTE_ADDR="10.4.4.4").post(URL, form_data(luotian, number))
    row = AuditEvent.objects.get(event="monitoring.self_declaration_received")
    assert row.channel == "web" and row.ip == "10.4.4.4" and row.username == "public"
    assert number not in str(row.data) and row.data["id_masked"].endswith(number[-4:])

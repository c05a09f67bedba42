"""Clue inbox, detail and its actions, the cadre's report form and the staff's declaration
on a resident's behalf: scoping (螺田村 never sees 马口村), overdue flags, audit."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from zhenwu.core.models import AuditEvent
from zhenwu.monitoring.actions.clues import do_report_clue
from zhenwu.monitoring.models import Clue
from zhenwu.monitoring.selectors import DEFAULT_IDENTIFICATION_DAYS
from zhenwu.testing.personas import test_id_number

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def logged_in(client, user):
    client.force_login(user)
    return client


def report(actor, village, household=None, **extra):
    return do_report_clue(
        actor=actor,
        village=village,
        channel=extra.pop("channel", "cadre_screening"),
        reported_on=extra.pop("reported_on", TODAY),
        household=household,
        **extra,
    )


@pytest.fixture
def two_clues(township_officer, luotian, makou, luotian_household, makou_household):
    return (
        report(township_officer, luotian, luotian_household, description="螺田线索"),
        report(township_officer, makou, makou_household, description="马口线索"),
    )


@pytest.mark.parametrize(
    "persona, sees_luotian, sees_makou",
    [
        ("township_officer", True, True),
        ("district_officer", True, True),
        ("luotian_cadre", True, False),
        ("makou_cadre", False, True),
    ],
)
def test_inbox_is_scoped(client, request, two_clues, persona, sees_luotian, sees_makou):
    logged_in(client, request.getfixturevalue(persona))
    page = client.get(reverse("monitoring:clue_list")).content.decode()
    assert ("LT0001" in page) == sees_luotian
    assert ("MK0001" in page) == sees_makou


@pytest.mark.parametrize("persona", ["auditor", "department_clerk", "no_membership_user"])
def test_inbox_refuses_roles_without_monitoring(client, request, persona):
    logged_in(client, request.getfixturevalue(persona))
    assert client.get(reverse("monitoring:clue_list")).status_code == 403


def test_inbox_needs_login(client):
    response = client.get(reverse("monitoring:clue_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_makou_clue_detail_is_404_for_the_luotian_cadre(client, luotian_cadre, two_clues):
    logged_in(client, luotian_cadre)
    makou_clue = two_clues[1]
    assert (
        client.get(reverse("monitoring:clue_detail", args=[makou_clue.public_id])).status_code
        == 404
    )
    for name in ("clue_start_verifying", "clue_dismiss"):
        url = reverse(f"monitoring:{name}", args=[makou_clue.public_id])
        assert client.post(url, {"reason": "x"}).status_code == 404
    makou_clue.refresh_from_db()
    assert makou_clue.status == "new"


def test_inbox_filters(client, township_officer, two_clues, luotian, makou):
    logged_in(client, township_officer)
    page = client.get(reverse("monitoring:clue_list"), {"village": makou.code}).content.decode()
    assert "MK0001" in page and "LT0001" not in page
    month = TODAY.strftime("%Y-%m")
    page = client.get(reverse("monitoring:clue_list"), {"month": month}).content.decode()
    assert "MK0001" in page and "LT0001" in page
    page = client.get(reverse("monitoring:clue_list"), {"month": "1999-01"}).content.decode()
    assert "MK0001" not in page
    page = client.get(reverse("monitoring:clue_list"), {"channel": "department"}).content.decode()
    assert "MK0001" not in page
    page = client.get(reverse("monitoring:clue_list"), {"status": "new"}).content.decode()
    assert "MK0001" in page


def test_overdue_flag_after_the_identification_deadline(
    client, luotian_cadre, luotian, luotian_household
):
    late = TODAY - datetime.timedelta(days=DEFAULT_IDENTIFICATION_DAYS + 1)
    report(luotian_cadre, luotian, luotian_household, reported_on=late)
    logged_in(client, luotian_cadre)
    page = client.get(reverse("monitoring:clue_list")).content.decode()
    assert "超期" in page
    assert f"{DEFAULT_IDENTIFICATION_DAYS + 1} / {DEFAULT_IDENTIFICATION_DAYS}" in page


def test_no_overdue_flag_within_the_deadline_or_when_dismissed(client, luotian_cadre, luotian):
    report(luotian_cadre, luotian, reported_on=TODAY - datetime.timedelta(days=3))
    logged_in(client, luotian_cadre)
    assert "超期" not in client.get(reverse("monitoring:clue_list")).content.decode()


def test_detail_shows_masked_declarant_data_and_is_audited(client, luotian_cadre, luotian):
    from zhenwu.monitoring.actions.clues import do_submit_self_declaration

    number = test_id_number(datetime.date(1980, 5, 6))
    clue = do_submit_self_declaration(
        name="刘一",
        id_number=number,
        village=luotian,
        phone="13912345678",
        risk_types=["illness"],
        description="病",
        ip="1.1.1.1",
    )
    logged_in(client, luotian_cadre)
    page = client.get(reverse("monitoring:clue_detail", args=[clue.public_id])).content.decode()
    assert "刘一" in page and number not in page and number[-4:] in page
    assert "13912345678" not in page and "5678" in page
    assert AuditEvent.objects.filter(
        event="monitoring.clue_viewed", object_id=str(clue.public_id)
    ).exists()


def test_verify_then_dismiss_through_the_pages(client, luotian_cadre, luotian, luotian_household):
    clue = report(luotian_cadre, luotian, luotian_household)
    logged_in(client, luotian_cadre)
    client.post(reverse("monitoring:clue_start_verifying", args=[clue.public_id]))
    clue.refresh_from_db()
    assert clue.status == "verifying"
    url = reverse("monitoring:clue_dismiss", args=[clue.public_id])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    clue.refresh_from_db()
    assert clue.status == "verifying"
    response = client.post(url, {"reason": "收入稳定，不符合条件"})
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == "dismissed" and clue.dismissed_reason == "收入稳定，不符合条件"


def test_verify_is_post_only(client, luotian_cadre, luotian):
    clue = report(luotian_cadre, luotian)
    logged_in(client, luotian_cadre)
    url = reverse("monitoring:clue_start_verifying", args=[clue.public_id])
    assert client.get(url).status_code == 405


def test_cadre_reports_a_clue_by_household_number(
    client, luotian_cadre, luotian, luotian_household
):
    logged_in(client, luotian_cadre)
    data = {
        "village": luotian.code,
        "household_number": "LT0001",
        "reported_on": TODAY.isoformat(),
        "risk_types": ["illness", "schooling"],
        "description": "走访发现住院",
    }
    response = client.post(reverse("monitoring:clue_report"), data)
    assert response.status_code == 302
    clue = Clue.objects.get()
    assert clue.household == luotian_household and clue.channel == "cadre_screening"
    # A second clue for the same household is a duplicate, shown on the form.
    response = client.post(reverse("monitoring:clue_report"), data)
    assert response.status_code == 200 and "已有未办结" in response.content.decode()
    assert Clue.objects.count() == 1


def test_luotian_cadre_cannot_report_for_makou_through_the_form(
    client, luotian_cadre, makou, makou_household
):
    logged_in(client, luotian_cadre)
    response = client.post(
        reverse("monitoring:clue_report"),
        {
            "village": makou.code,
            "household_number": "MK0001",
            "reported_on": TODAY.isoformat(),
            "description": "x",
        },
    )
    assert response.status_code == 200 and not Clue.objects.exists()
    # 马口村 is not even offered.
    assert "马口村" not in client.get(reverse("monitoring:clue_report")).content.decode()


def test_unknown_household_number_is_a_field_error(client, luotian_cadre, luotian):
    logged_in(client, luotian_cadre)
    response = client.post(
        reverse("monitoring:clue_report"),
        {
            "village": luotian.code,
            "household_number": "NOPE",
            "reported_on": TODAY.isoformat(),
            "description": "x",
        },
    )
    assert "本村没有该户编号" in response.content.decode() and not Clue.objects.exists()


def test_staff_declare_on_behalf(client, luotian_cadre, luotian, luotian_household):
    logged_in(client, luotian_cadre)
    number = luotian_household.members.get(relation="head").id_number
    response = client.post(
        reverse("monitoring:clue_declare_on_behalf"),
        {
            "name": "张三丰",
            "id_number": number,
            "village": luotian.code,
            "phone": "13800001111",
            "risk_types": ["illness"],
            "description": "热线反映",
        },
    )
    clue = Clue.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"{clue.public_id}/")
    assert clue.created_by == luotian_cadre and clue.household == luotian_household
    assert clue.channel == "self_declared"
    row = AuditEvent.objects.get(event="monitoring.self_declaration_received")
    assert row.username == "luotian" and row.data["on_behalf"] is True


def test_open_case_button_only_when_the_case_action_exists(
    client, luotian_cadre, luotian, luotian_household
):
    from zhenwu.monitoring import views_clues

    clue = report(luotian_cadre, luotian, luotian_household)
    logged_in(client, luotian_cadre)
    page = client.get(reverse("monitoring:clue_detail", args=[clue.public_id])).content.decode()
    assert ("启动识别纳入程序" in page) == (views_clues._open_case_action() is not None)


def test_open_identification_case_from_the_clue(client, luotian_cadre, luotian, luotian_household):
    from zhenwu.monitoring.parameters import load_parameters_csv

    load_parameters_csv()
    clue = report(luotian_cadre, luotian, luotian_household, risk_types=["illness"])
    logged_in(client, luotian_cadre)
    page = client.get(reverse("monitoring:clue_detail", args=[clue.public_id])).content.decode()
    assert "启动识别纳入程序" in page
    response = client.post(reverse("monitoring:clue_open_case", args=[clue.public_id]))
    clue.refresh_from_db()
    assert clue.status == "case_opened" and clue.case is not None
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:case_detail", args=[clue.case.public_id])
    page = client.get(reverse("monitoring:clue_detail", args=[clue.public_id])).content.decode()
    assert reverse("monitoring:clue_open_case", args=[clue.public_id]) not in page
    assert reverse("monitoring:case_detail", args=[clue.case.public_id]) in page


def test_makou_cadre_cannot_open_a_case_for_a_luotian_clue(
    client, makou_cadre, luotian_cadre, luotian, luotian_household
):
    clue = report(luotian_cadre, luotian, luotian_household)
    logged_in(client, makou_cadre)
    assert (
        client.post(reverse("monitoring:clue_open_case", args=[clue.public_id])).status_code == 404
    )
    clue.refresh_from_db()
    assert clue.status == "new"


def test_county_deadline_override_shows_in_the_inbox(
    client, district_officer, township_officer, luotian
):
    from zhenwu.areas.models import Area
    from zhenwu.monitoring.parameters import do_set_parameter

    do_set_parameter(
        actor=district_officer,
        area=Area.objects.get(code="360704"),
        key="identification_days",
        value=10,
        valid_from=TODAY - datetime.timedelta(days=400),
    )
    report(township_officer, luotian, reported_on=TODAY - datetime.timedelta(days=11))
    logged_in(client, township_officer)
    page = client.get(reverse("monitoring:clue_list")).content.decode()
    assert "11 / 10" in page and "超期" in page


def test_inbox_query_count_does_not_grow_with_rows(client, township_officer, luotian, makou):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    logged_in(client, township_officer)
    counts = []
    for _ in range(2):
        for village in (luotian, makou, luotian):
            report(township_officer, village, description="无户")
        client.get(reverse("monitoring:clue_list"))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("monitoring:clue_list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] <= 12

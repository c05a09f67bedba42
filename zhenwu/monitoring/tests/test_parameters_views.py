"""The parameters page: readable by monitoring staff, editable by parameter editors only
(the district officer), samples flagged, history shown, edits audited."""

import datetime

import pytest
from django.urls import reverse

from zhenwu.core.models import AuditEvent
from zhenwu.monitoring.models import PolicyParameter
from zhenwu.monitoring.parameters import SAMPLE_CSV, load_parameters_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def samples(world):
    load_parameters_csv(SAMPLE_CSV)


@pytest.mark.parametrize(
    "persona, status, editable",
    [
        ("district_officer", 200, True),
        ("township_officer", 200, False),
        ("luotian_cadre", 200, False),
        ("auditor", 403, False),
        ("no_membership_user", 403, False),
    ],
)
def test_who_sees_and_edits(client, request, samples, persona, status, editable):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("monitoring:parameter_list"))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "防止返贫监测范围" in page and "示例值" in page
        assert (reverse("monitoring:parameter_set") in page) == editable
    edit = client.get(reverse("monitoring:parameter_set"))
    assert edit.status_code == (200 if editable else 403)


def test_page_shows_current_value_and_history(client, township_officer, samples):
    client.force_login(township_officer)
    page = client.get(reverse("monitoring:parameter_list")).content.decode()
    assert "6900" in page or "7200" in page  # the line in force today
    assert "2021-12-31" in page  # a closed row of the history
    assert "江西省" in page


def test_district_officer_sets_a_county_value(client, district_officer, samples):
    client.force_login(district_officer)
    response = client.post(
        reverse("monitoring:parameter_set"),
        {
            "area": "360704",
            "key": "notice_days",
            "value": "7",
            "valid_from": "2023-01-01",
            "source": "赣县区文件",
        },
    )
    assert response.status_code == 302
    row = PolicyParameter.objects.get(area__code="360704", key="notice_days")
    assert row.value == 7 and row.created_by == district_officer and not row.is_sample
    event = AuditEvent.objects.filter(event="monitoring.parameter_set").order_by("id").last()
    assert event.username == "district" and event.channel == "web"


def test_province_is_not_offered_to_the_district_officer(client, district_officer, samples):
    client.force_login(district_officer)
    response = client.post(
        reverse("monitoring:parameter_set"),
        {"area": "360000", "key": "notice_days", "value": "7", "valid_from": "2023-01-01"},
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not PolicyParameter.objects.filter(
        valid_from=datetime.date(2023, 1, 1), key="notice_days"
    ).exists()


def test_end_before_start_is_a_field_error(client, district_officer):
    client.force_login(district_officer)
    response = client.post(
        reverse("monitoring:parameter_set"),
        {
            "area": "360704",
            "key": "notice_days",
            "value": "7",
            "valid_from": "2023-01-01",
            "valid_to": "2022-01-01",
        },
    )
    assert "失效日期不能早于生效日期" in response.content.decode()
    assert not PolicyParameter.objects.filter(area__code="360704").exists()

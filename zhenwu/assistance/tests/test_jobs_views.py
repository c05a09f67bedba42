"""公益性岗位 pages: list per village, assign form with its refusal, attendance sheet,
payroll button, scoping (404 for another village's post)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from zhenwu.assistance.actions.jobs import do_assign_job, do_create_post
from zhenwu.assistance.choices import SettingKey
from zhenwu.assistance.models import AssistanceSetting, Attendance, JobAssignment, PaymentBatch

START = datetime.date(2023, 1, 1)


@pytest.fixture
def job_settings(shadi):
    for key, value in (
        (SettingKey.JOB_MIN_AGE, 16),
        (SettingKey.JOB_MAX_AGE, 60),
        (SettingKey.JOBS_PER_HOUSEHOLD, 2),
    ):
        AssistanceSetting.objects.create(
            area=shadi, key=key, value=Decimal(value), valid_from=datetime.date(2020, 1, 1)
        )


def make_post(actor, village, post_type="保洁员"):
    return do_create_post(
        actor=actor,
        village=village,
        post_type=post_type,
        funding_level="central",
        monthly_subsidy=Decimal("500"),
        capacity=2,
    )


@pytest.fixture
def post(township_officer, luotian, job_settings):
    return make_post(township_officer, luotian)


def test_post_list_is_scoped(client, post, township_officer, makou, luotian_cadre):
    makou_post = make_post(township_officer, makou, "护路员")
    client.force_login(luotian_cadre)
    page = client.get(reverse("assistance:job_post_list")).content.decode()
    assert "保洁员" in page and "护路员" not in page
    assert "设立岗位" not in page  # cadres do not set up posts
    url = reverse("assistance:job_post_detail", args=[makou_post.public_id])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("assistance:job_assign", args=[makou_post.public_id])).status_code == 404
    )


def test_create_post_page(client, township_officer, luotian, job_settings):
    client.force_login(township_officer)
    response = client.post(
        reverse("assistance:job_post_create"),
        {
            "village": luotian.code,
            "post_type": "护林员",
            "funding_level": "district",
            "monthly_subsidy": "600",
            "capacity": "3",
        },
    )
    assert response.status_code == 302
    assert "护林员" in client.get(response.url).content.decode()


def test_assign_form_shows_refusal(client, post, luotian_household, luotian_cadre):
    child = luotian_household.members.get(relation="son")
    head = luotian_household.members.get(relation="head")
    client.force_login(luotian_cadre)
    url = reverse("assistance:job_assign", args=[post.public_id])
    page = client.get(url).content.decode()
    assert head.name in page and child.name in page
    response = client.post(url, {"person": child.public_id, "start_on": "2023-01-01"})
    assert response.status_code == 422
    assert "低于公益性岗位最低年龄" in response.content.decode()
    response = client.post(url, {"person": head.public_id, "start_on": "2023-01-01"})
    assert response.status_code == 302
    assert JobAssignment.objects.filter(person=head, status="active").exists()


def test_cadre_cannot_assign_person_of_another_village(
    client, post, makou_household, luotian_cadre
):
    person = makou_household.members.first()
    client.force_login(luotian_cadre)
    url = reverse("assistance:job_assign", args=[post.public_id])
    response = client.post(url, {"person": person.public_id, "start_on": "2023-01-01"})
    assert response.status_code == 200  # not in the choices: a form error
    assert not JobAssignment.objects.filter(person=person).exists()


def test_attendance_sheet_and_payroll(
    client, post, luotian, luotian_household, luotian_cadre, township_officer
):
    head = luotian_household.members.get(relation="head")
    wife = luotian_household.members.get(relation="spouse")
    a1 = do_assign_job(post, head, actor=luotian_cadre, start_on=START)
    a2 = do_assign_job(post, wife, actor=luotian_cadre, start_on=START)
    client.force_login(luotian_cadre)
    url = reverse("assistance:job_attendance") + f"?village={luotian.code}&month=2023-02"
    page = client.get(url).content.decode()
    assert f"days-{a1.public_id}" in page and f"days-{a2.public_id}" in page
    response = client.post(
        url,
        {f"days-{a1.public_id}": "20", f"ok-{a1.public_id}": "on", f"days-{a2.public_id}": "99"},
    )
    assert response.status_code == 422 and wife.name in response.content.decode()
    assert not Attendance.objects.exists()  # all rows or none
    response = client.post(
        url,
        {
            f"days-{a1.public_id}": "20",
            f"ok-{a1.public_id}": "on",
            f"days-{a2.public_id}": "18",
        },
    )
    assert response.status_code == 302
    assert Attendance.objects.get(assignment=a1).is_qualified
    assert not Attendance.objects.get(assignment=a2).is_qualified
    # Cadres cannot build the payroll; the township can.
    payroll = reverse("assistance:job_payroll")
    assert client.post(payroll, {"area": luotian.code, "month": "2023-02"}).status_code == 403
    client.force_login(township_officer)
    response = client.post(payroll, {"area": luotian.code, "month": "2023-02"})
    batch = PaymentBatch.objects.get(period="2023-02")
    assert response.url == reverse("assistance:payment_batch_detail", args=[batch.public_id])
    assert batch.line_count == 1 and batch.total_amount == Decimal("500.00")
    page = client.get(url).content.decode()
    assert "已生成发放" in page

"""Pages: department uploads, templates, error report; screening runs and their hits;
scoping of both."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhenwu.monitoring.models import Clue, DepartmentDataset, RuleRun
from zhenwu.monitoring.tests.test_department import MEDICAL_HEADERS, workbook
from zhenwu.monitoring.tests.test_engine import department_data, parameters  # noqa: F401
from zhenwu.registry.models import Person
from zhenwu.testing.personas import test_id_number

GOOD_ID = test_id_number(datetime.date(1970, 7, 9))


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def upload_form(data, name="医保.xlsx", area="360704101"):
    return {
        "department": "medical_insurance",
        "area": area,
        "period": "2023-06",
        "file": SimpleUploadedFile(name, data),
    }


def test_clerk_uploads_and_downloads_templates(as_user, department_clerk):
    client = as_user(department_clerk)
    page = client.get(reverse("monitoring:department_list"))
    assert page.status_code == 200 and "医保" in page.content.decode()
    template = client.get(reverse("monitoring:department_template", args=["education"]))
    assert template.status_code == 200 and template.content.startswith(b"PK")
    data = workbook(MEDICAL_HEADERS, [[GOOD_ID, "李秀英", "2023-05", 100, 80]])
    response = client.post(reverse("monitoring:department_list"), upload_form(data))
    assert response.status_code == 302
    assert DepartmentDataset.objects.get().row_count == 1
    listed = client.get(reverse("monitoring:department_list")).content.decode()
    assert "医保.xlsx" in listed


def test_a_bad_upload_shows_errors_and_the_report(as_user, department_clerk):
    client = as_user(department_clerk)
    data = workbook(MEDICAL_HEADERS, [[GOOD_ID[:-1] + "0", "李秀英", "2023-05", 100, 80]])
    response = client.post(reverse("monitoring:department_list"), upload_form(data))
    body = response.content.decode()
    assert response.status_code == 200 and "校验位" in body and GOOD_ID[:-1] not in body
    report = client.get(reverse("monitoring:department_error_report"))
    assert report.status_code == 200
    assert not DepartmentDataset.objects.exists()


def test_upload_pages_refuse_others(as_user, luotian_cadre, client):
    client = as_user(luotian_cadre)
    assert client.get(reverse("monitoring:department_list")).status_code == 403
    assert client.get(reverse("monitoring:department_error_report")).status_code == 404


def test_clerk_cannot_upload_outside_scope(as_user, department_clerk):
    client = as_user(department_clerk)
    data = workbook(MEDICAL_HEADERS, [[GOOD_ID, "李秀英", "2023-05", 100, 80]])
    response = client.post(reverse("monitoring:department_list"), upload_form(data, area="36"))
    assert response.status_code == 200 and not DepartmentDataset.objects.exists()


@pytest.mark.usefixtures("department_data")
def test_officer_runs_screening_and_reads_masked_hits(as_user, township_officer):
    client = as_user(township_officer)
    assert "立即筛查" in client.get(reverse("monitoring:run_list")).content.decode()
    response = client.post(
        reverse("monitoring:run_start"), {"area": "360704101", "period": "2023-06"}
    )
    run = RuleRun.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"{run.public_id}/")
    run.refresh_from_db()
    assert run.status == "succeeded"  # the test task backend runs at once
    body = client.get(response.url).content.decode()
    assert "脱贫人口医疗自付超标" in body and "李*英" in body and "近12个月合规自付" in body
    for person in Person.objects.all():
        assert person.id_number not in body
    clue = Clue.objects.get(household__number="LT0001", channel="department")
    assert reverse("monitoring:clue_detail", args=[clue.public_id]) in body


@pytest.mark.usefixtures("department_data")
def test_runs_are_scoped(as_user, township_officer, luotian_cadre, department_clerk, shadi):
    from zhenwu.monitoring.engine.runner import run_screening

    run = run_screening(shadi, datetime.date(2023, 6, 1), actor=township_officer)
    detail = reverse("monitoring:run_detail", args=[run.public_id])
    cadre = as_user(luotian_cadre)
    page = cadre.get(reverse("monitoring:run_list")).content.decode()
    assert "立即筛查" not in page and detail not in page
    assert cadre.get(detail).status_code == 404
    assert (
        cadre.post(
            reverse("monitoring:run_start"), {"area": "360704101214", "period": "2023-06"}
        ).status_code
        == 403
    )
    clerk = as_user(department_clerk)
    assert clerk.get(reverse("monitoring:run_list")).status_code == 403
    assert clerk.get(detail).status_code == 404


def test_bad_month_is_refused(as_user, township_officer):
    client = as_user(township_officer)
    response = client.post(
        reverse("monitoring:run_start"), {"area": "360704101", "period": "2023-13"}
    )
    assert response.status_code == 400 and not RuleRun.objects.exists()

"""Upload, progress, error report and template pages (login, permission, scope)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from zhenwu.accounts.models import Membership
from zhenwu.accounts.roles import Role
from zhenwu.core.models import AuditEvent
from zhenwu.registry import importer
from zhenwu.registry.models import Household, ImportBatch
from zhenwu.registry.tests.import_workbooks import (
    family,
    isolated_home,  # noqa: F401
    write_workbook,
)

pytestmark = pytest.mark.usefixtures("isolated_home")
UPLOAD = reverse("registry:import_upload")


def workbook_upload(households=1, name="农户.xlsx", broken=False):
    rows, members = [], []
    for index in range(households):
        h, m = family(f"LT9{index:03d}", 2)
        rows.append(h)
        members += m
    if broken:
        members[0]["身份证号"] = "36072119680305100"
    return SimpleUploadedFile(name, write_workbook(None, rows, members))


@pytest.fixture
def officer_client(client, township_officer):
    client.force_login(township_officer)
    return client


def post(client, upload, area="360704101", dry_run=False):
    data = {"file": upload, "area": area}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(UPLOAD, data)


def test_upload_page_offers_areas_in_scope(officer_client):
    response = officer_client.get(UPLOAD)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="360704101"' in body and 'value="360704101214"' in body
    assert reverse("registry:import_template") in body
    assert 'enctype="multipart/form-data"' in body


def test_login_and_permission_are_required(client, luotian_cadre):
    assert client.get(UPLOAD).status_code == 302
    client.force_login(luotian_cadre)
    assert client.get(UPLOAD).status_code == 403
    assert (
        client.post(UPLOAD, {"file": workbook_upload(), "area": "360704101214"}).status_code == 403
    )
    assert client.get(reverse("registry:import_template")).status_code == 403
    assert not ImportBatch.objects.exists()


def test_a_small_file_imports_in_the_request(officer_client, settings):
    response = post(officer_client, workbook_upload(households=2))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:import_status", args=[batch.public_id])
    assert batch.status == "succeeded" and batch.counts["persons_created"] == 4
    assert batch.filename == "农户.xlsx" and batch.stored_path == ""
    assert list(settings.UPLOAD_DIR.iterdir()) == []  # the upload is deleted
    page = officer_client.get(response["Location"]).content.decode()
    assert "导入成功" in page and "hx-trigger" not in page
    assert AuditEvent.objects.filter(event="registry.import").latest("id").channel == "web"


def test_the_upload_is_stored_under_a_random_name(officer_client, monkeypatch, settings):
    seen = []
    original = importer.import_households

    def spy(source, **kwargs):
        seen.append(source)
        return original(source, **kwargs)

    monkeypatch.setattr("zhenwu.registry.tasks.import_households", spy)
    post(officer_client, workbook_upload(name="../../etc/张三 家.xlsx"))
    assert seen[0].parent == settings.UPLOAD_DIR
    assert seen[0].name != "张三 家.xlsx" and len(seen[0].stem) == 32
    assert ImportBatch.objects.get().filename == "张三 家.xlsx"


@pytest.mark.parametrize("name", ["农户.xls", "农户.csv", "农户.xlsx.zip"])
def test_only_xlsx_uploads_are_accepted(officer_client, name):
    response = post(officer_client, workbook_upload(name=name))
    assert response.status_code == 200
    assert ".xlsx" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_too_large_upload_is_refused(officer_client, settings):
    settings.IMPORT_MAX_BYTES = 1_000
    response = post(officer_client, workbook_upload())
    assert response.status_code == 200 and "文件过大" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_with_errors_shows_them_and_offers_the_report(officer_client):
    response = post(officer_client, workbook_upload(households=2, broken=True))
    batch = ImportBatch.objects.get()
    assert batch.status == "failed" and batch.error_count == 1
    page = officer_client.get(response["Location"]).content.decode()
    assert "未导入任何数据" in page and "身份证号应为18位" in page
    report_url = reverse("registry:import_error_report", args=[batch.public_id])
    assert report_url in page
    download = officer_client.get(report_url)
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    content = b"".join(download.streaming_content)
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(content))
        .get_sheet_by_name("错误清单")
        .to_python()
    )
    assert rows[1][:3] == ["成员信息", 2, "身份证号"]
    assert not Household.objects.filter(number__startswith="LT9").exists()


def test_dry_run_from_the_page(officer_client):
    post(officer_client, workbook_upload(), dry_run=True)
    batch = ImportBatch.objects.get()
    assert batch.dry_run and batch.status == "succeeded"
    assert not Household.objects.filter(number__startswith="LT9").exists()


def test_a_large_file_runs_as_a_background_task_with_progress(
    officer_client, settings, monkeypatch
):
    settings.IMPORT_BACKGROUND_ROWS = 5
    monkeypatch.setattr(importer, "PROGRESS_STEP", 4)
    enqueued, seen_progress = [], []
    from zhenwu.registry import tasks, views_import

    class SpyTask:  # Task objects are frozen; wrap instead of patching
        def enqueue(self, *args):
            enqueued.append(args)
            return tasks.import_batch.enqueue(*args)

    original_report = importer._Ticker.report

    def spy_report(self):
        original_report(self)
        seen_progress.append(ImportBatch.objects.get(pk=self.batch.pk).done_rows)

    monkeypatch.setattr(views_import, "import_batch", SpyTask())
    monkeypatch.setattr(importer._Ticker, "report", spy_report)
    response = post(officer_client, workbook_upload(households=6))  # 18 rows
    batch = ImportBatch.objects.get()
    assert enqueued == [(str(batch.public_id),)]
    assert seen_progress == [4, 8, 12, 16, 18]
    assert batch.status == "succeeded" and batch.done_rows == batch.total_rows == 18
    assert AuditEvent.objects.filter(event="registry.import").latest("id").channel == "task"
    assert officer_client.get(response["Location"]).status_code == 200


def test_a_running_import_polls_with_htmx(officer_client, shadi, township_officer):
    batch = ImportBatch.objects.create(
        area=shadi,
        uploaded_by=township_officer,
        filename="x.xlsx",
        status="running",
        total_rows=100,
        done_rows=40,
    )
    url = reverse("registry:import_status", args=[batch.public_id])
    page = officer_client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and f'hx-get="{url}"' in page
    assert '<progress max="100" value="40">' in page
    fragment = officer_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'id="import-progress"' in fragment
    ImportBatch.objects.filter(pk=batch.pk).update(status="succeeded", done_rows=100)
    done = officer_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and "导入成功" in done


def test_batches_outside_the_users_scope_are_404(client, shadi, luotian, makou, township_officer):
    batch = ImportBatch.objects.create(area=luotian, uploaded_by=township_officer, status="failed")
    other = township_officer.__class__.objects.create(
        username="makou-officer", must_change_password=False
    )
    Membership.objects.create(user=other, area=makou, role=Role.TOWNSHIP_OFFICER)
    client.force_login(other)
    assert client.get(reverse("registry:import_status", args=[batch.public_id])).status_code == 404
    assert (
        client.get(reverse("registry:import_error_report", args=[batch.public_id])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("registry:import_status", args=["00000000-0000-0000-0000-000000000000"])
        ).status_code
        == 404
    )


def test_error_report_only_from_the_reports_directory(officer_client, shadi, township_officer):
    batch = ImportBatch.objects.create(
        area=shadi, uploaded_by=township_officer, status="failed", error_report_path="/etc/passwd"
    )
    url = reverse("registry:import_error_report", args=[batch.public_id])
    assert officer_client.get(url).status_code == 404


def test_template_download(officer_client):
    response = officer_client.get(reverse("registry:import_template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheet_names[:4] == ["户信息", "成员信息", "收入信息", "填写说明"]

"""项目库 pages, API and export: list with filters and totals, detail, forms and step
buttons, over-budget refusal through the page, scoping (404 for another village's project),
API read scoped, export scoped and audited."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from zhenwu.core.models import AuditEvent
from zhenwu.projects.actions.projects import do_add_funding, do_record_disbursement
from zhenwu.projects.models import Project
from zhenwu.projects.tests.support_projects import DAY, make_project, walk

API = "/api/v1/projects/projects"


@pytest.fixture
def projects(township_officer, luotian, makou, shadi, world):
    luotian_project = make_project(township_officer, luotian, code="LT-1", name="螺田村板鸭加工厂")
    do_add_funding(
        luotian_project,
        actor=township_officer,
        source="central",
        budget_item="2130505",
        amount="200000",
    )
    luotian_project = walk(luotian_project, world, "in_progress", on=DAY)
    do_record_disbursement(
        luotian_project, actor=township_officer, paid_on=DAY, amount="50000", voucher="记-1"
    )
    makou_project = make_project(
        township_officer,
        makou,
        code="MK-1",
        name="=马口村机耕道",
        project_type="infrastructure",
        year=2022,
    )
    township_project = make_project(township_officer, shadi, code="SD-1", name="沙地镇敬老院")
    return {"luotian": luotian_project, "makou": makou_project, "township": township_project}


def test_list_totals_and_filters(client, projects, township_officer):
    client.force_login(township_officer)
    url = reverse("projects:project_list")
    page = client.get(url).content.decode()
    assert "螺田村板鸭加工厂" in page and "=马口村机耕道" in page and "沙地镇敬老院" in page
    assert 'data-total="budget">200000.00' in page
    assert 'data-total="disbursed">50000.00' in page
    assert "25.0%" in page
    page = client.get(url, {"project_type": "infrastructure"}).content.decode()
    assert "=马口村机耕道" in page and "螺田村板鸭加工厂" not in page
    page = client.get(url, {"year": 2022}).content.decode()
    assert "=马口村机耕道" in page and "沙地镇敬老院" not in page
    page = client.get(url, {"status": "in_progress", "area": "360704101214"}).content.decode()
    assert "螺田村板鸭加工厂" in page and "=马口村机耕道" not in page


def test_village_cadre_sees_own_village_only(client, projects, luotian_cadre):
    client.force_login(luotian_cadre)
    page = client.get(reverse("projects:project_list")).content.decode()
    assert "螺田村板鸭加工厂" in page
    assert "=马口村机耕道" not in page and "沙地镇敬老院" not in page
    detail = reverse("projects:project_detail", args=[projects["makou"].public_id])
    assert client.get(detail).status_code == 404
    own = client.get(reverse("projects:project_detail", args=[projects["luotian"].public_id]))
    assert own.status_code == 200
    assert "登记拨付" not in own.content.decode()  # cadres read, they do not edit


def test_no_permission_is_forbidden(client, projects, no_membership_user):
    client.force_login(no_membership_user)
    assert client.get(reverse("projects:project_list")).status_code == 403
    assert client.get(reverse("projects:home")).status_code == 403


def test_detail_shows_funding_progress_and_timeline(client, projects, township_officer):
    client.force_login(township_officer)
    page = client.get(
        reverse("projects:project_detail", args=[projects["luotian"].public_id])
    ).content.decode()
    assert 'data-total="percent">25.0%' in page
    assert '<progress class="project-progress" max="100" value="25.0">' in page
    assert 'data-step="in_library"' in page and 'data-step="approved"' in page
    assert 'data-step="completed"' in page  # the next step's button for an editor
    assert "style=" not in page


def test_create_and_edit_through_forms(client, township_officer, luotian):
    client.force_login(township_officer)
    response = client.post(
        reverse("projects:project_create"),
        {
            "area": luotian.code,
            "code": "NEW-1",
            "name": "螺田村水果采摘园",
            "project_type": "industry",
            "lead_unit": "沙地镇人民政府",
            "year": 2023,
        },
    )
    project = Project.objects.get(code="NEW-1")
    assert response.status_code == 302 and project.created_by == township_officer
    edit = reverse("projects:project_edit", args=[project.public_id])
    data = {
        "name": "螺田村采摘园",
        "project_type": "industry",
        "lead_unit": "镇政府",
        "year": 2023,
        "version": project.version,
    }
    assert client.post(edit, data).status_code == 302
    assert Project.objects.get(pk=project.pk).name == "螺田村采摘园"
    stale = client.post(edit, {**data, "name": "又改"})  # same (now old) version
    assert "已被他人修改" in stale.content.decode()


def test_step_button_and_maker_checker_on_page(client, township_officer, district_officer, luotian):
    project = make_project(township_officer, luotian)
    client.force_login(township_officer)
    page = client.get(reverse("projects:project_detail", args=[project.public_id])).content.decode()
    assert 'data-step="in_library"' not in page  # 入库 needs projects.approve
    client.force_login(district_officer)
    url = reverse("projects:project_advance", args=[project.public_id])
    client.post(url, {"to_status": "in_library", "on": "2023-03-01", "version": 1})
    project.refresh_from_db()
    assert project.status == "in_library"
    page = client.get(reverse("projects:project_detail", args=[project.public_id])).content.decode()
    assert "须由未经办本项目上一环节的审批人办理" in page
    client.post(url, {"to_status": "approved", "on": "2023-03-01", "version": project.version})
    assert Project.objects.get(pk=project.pk).status == "in_library"


def test_over_budget_through_page(client, projects, township_officer, district_officer):
    project = projects["luotian"]
    url = reverse("projects:project_disbursement_add", args=[project.public_id])
    client.force_login(township_officer)
    data = {"paid_on": "2023-03-01", "amount": "160000", "voucher": "记-2"}
    response = client.post(url, data, follow=True)
    assert "超过项目预算" in response.content.decode()
    client.force_login(district_officer)
    response = client.post(url, {**data, "over_budget_reason": "追加工程量"}, follow=True)
    page = response.content.decode()
    assert "data-over-budget" in page and "追加工程量" in page
    assert AuditEvent.objects.filter(event="projects.disbursement_over_budget").count() == 1


def test_other_village_writes_are_404(client, projects, luotian_cadre):
    client.force_login(luotian_cadre)
    url = reverse("projects:project_funding_add", args=[projects["makou"].public_id])
    assert (
        client.post(url, {"source": "central", "budget_item": "2130505", "amount": "1"}).status_code
        == 404
    )


def test_api_scoped(client, projects, luotian_cadre, township_officer):
    client.force_login(luotian_cadre)
    body = client.get(API).json()
    assert [item["code"] for item in body["items"]] == ["LT-1"]
    item = body["items"][0]
    assert Decimal(item["budget"]) == Decimal("200000")
    assert Decimal(item["disbursement_ratio"]) == Decimal("0.25")
    detail = client.get(f"{API}/{projects['luotian'].public_id}").json()
    assert detail["funding"][0]["source"] == "central"
    assert detail["disbursements"][0]["voucher"] == "记-1"
    assert client.get(f"{API}/{projects['makou'].public_id}").status_code == 404
    client.force_login(township_officer)
    codes = {i["code"] for i in client.get(API, {"year": 2023}).json()["items"]}
    assert codes == {"LT-1", "SD-1"}


def test_export_scoped_escaped_and_audited(client, projects, luotian_cadre, township_officer):
    client.force_login(luotian_cadre)
    response = client.get(reverse("projects:project_export"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["LT-1"]
    assert rows[1][7] == 200000 and rows[1][8] == 50000
    event = AuditEvent.objects.filter(event="projects.export").latest("id")
    assert event.data["rows"] == 1 and event.user == luotian_cadre
    client.force_login(township_officer)
    response = client.get(reverse("projects:project_export"), {"project_type": "infrastructure"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert rows[1][1] == "'=马口村机耕道"  # escaped: text, never a formula

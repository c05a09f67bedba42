"""Work-plan pages: list, detail, task with progress form, attachment download (scoped)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhenwu.workplans.actions import plans
from zhenwu.workplans.models import ProgressUpdate, Task, WorkPlan

PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def task(township_officer, shadi):
    plan = plans.do_create_plan(
        actor=township_officer, area=shadi, period="2023H2", title="沙地镇2023年下半年工作计划"
    )
    plans.do_activate_plan(plan, actor=township_officer)
    section = plans.do_add_section(plan, actor=township_officer, title="（四）民生")
    return plans.do_add_task(
        section,
        actor=township_officer,
        title="沙地中心敬老院开工",
        lead_unit="社会事务办",
        responsible="李四",
        deadline_on=datetime.date(2023, 9, 30),
    )


def test_home_and_list(client, task, luotian_cadre):
    client.force_login(luotian_cadre)
    home = client.get(reverse("workplans:home"))
    assert home.status_code == 200 and reverse("workplans:plan_list") in home.content.decode()
    page = client.get(reverse("workplans:plan_list")).content.decode()
    assert "沙地镇2023年下半年工作计划" in page and "逾期 1 项" in page
    assert "新建工作计划" not in page  # cadres read the township plan only


def test_detail_shows_tasks(client, task, township_officer):
    client.force_login(township_officer)
    url = reverse("workplans:plan_detail", args=[task.section.plan.public_id])
    page = client.get(url).content.decode()
    assert "沙地中心敬老院开工" in page and "社会事务办" in page and "逾期" in page
    assert "添加任务" in page


def test_create_plan_section_and_task_through_forms(client, township_officer):
    client.force_login(township_officer)
    response = client.post(
        reverse("workplans:plan_create"),
        {"area": "360704101214", "period": "2023h2", "title": "螺田村计划"},
    )
    plan = WorkPlan.objects.get(title="螺田村计划")
    assert response.status_code == 302 and plan.period == "2023H2"
    client.post(reverse("workplans:plan_section_add", args=[plan.public_id]), {"title": "民生"})
    section = plan.sections.get()
    client.post(
        reverse("workplans:plan_task_add", args=[plan.public_id]),
        {"section": section.pk, "title": "法律明白人培训", "deadline_on": "2023-11-30"},
    )
    assert Task.objects.get(section=section).deadline_on == datetime.date(2023, 11, 30)


def test_report_progress_with_attachment_and_download(client, task, township_officer, media):
    client.force_login(township_officer)
    url = reverse("workplans:task_detail", args=[task.public_id])
    assert "填报进展" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "reported_on": "2023-08-15",
            "progress": "30",
            "note": "完成选址和规划设计",
            "attachment": SimpleUploadedFile("设计.pdf", PDF),
        },
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(task=task)
    download = client.get(reverse("workplans:progress_attachment", args=[update.public_id]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")


def test_bad_attachment_shows_refusal(client, task, township_officer, media):
    client.force_login(township_officer)
    url = reverse("workplans:task_detail", args=[task.public_id])
    response = client.post(
        url,
        {
            "reported_on": "2023-08-15",
            "progress": "30",
            "note": "x",
            "attachment": SimpleUploadedFile("a.exe", b"MZ"),
        },
    )
    assert response.status_code == 200 and "附件只能是" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_download_out_of_scope_is_404(
    client, township_officer, luotian, makou_cadre, luotian_cadre, media
):
    plan = plans.do_create_plan(actor=township_officer, area=luotian, period="2023H2", title="螺田")
    plans.do_activate_plan(plan, actor=township_officer)
    section = plans.do_add_section(plan, actor=township_officer, title="s")
    task = plans.do_add_task(section, actor=township_officer, title="t")
    update = plans.do_report_progress(
        task,
        actor=luotian_cadre,
        reported_on=datetime.date(2023, 8, 1),
        note="n",
        progress=10,
        attachment=SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n0000"),
    )
    url = reverse("workplans:progress_attachment", args=[update.public_id])
    client.force_login(makou_cadre)
    assert client.get(url).status_code == 404
    assert client.get(reverse("workplans:task_detail", args=[task.public_id])).status_code == 404
    client.force_login(luotian_cadre)
    assert client.get(url).status_code == 200


def test_cadre_cannot_post_progress_on_township_plan(client, task, luotian_cadre):
    client.force_login(luotian_cadre)
    url = reverse("workplans:task_detail", args=[task.public_id])
    page = client.get(url)
    assert page.status_code == 200 and "填报进展" not in page.content.decode()
    response = client.post(url, {"reported_on": "2023-08-15", "progress": "30", "note": "x"})
    assert response.status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_no_membership_gets_403(client, no_membership_user):
    client.force_login(no_membership_user)
    assert client.get(reverse("workplans:plan_list")).status_code == 403


def test_task_links_to_the_indicator_board(client, township_officer, shadi):
    from zhenwu.workplans.actions.indicators import load_indicator_catalogue
    from zhenwu.workplans.models import Indicator

    load_indicator_catalogue()
    plan = plans.do_create_plan(actor=township_officer, area=shadi, period="2023H2", title="计划")
    section = plans.do_add_section(plan, actor=township_officer, title="s")
    plans.do_add_task(
        section,
        actor=township_officer,
        title="生活垃圾清运率100%",
        indicator=Indicator.objects.get(code="garbage_collection_rate"),
    )
    client.force_login(township_officer)
    page = client.get(reverse("workplans:plan_detail", args=[plan.public_id])).content.decode()
    link = f"{reverse('workplans:indicator_board')}?area={shadi.code}&amp;period=2023H2"
    assert link in page and "农村生活垃圾收运率" in page
    assert (
        client.get(
            reverse("workplans:indicator_board"), {"area": shadi.code, "period": "2023H2"}
        ).status_code
        == 200
    )

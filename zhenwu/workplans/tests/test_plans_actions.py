"""Work plans: one per area and period, task lifecycle, progress, attachments, scoping."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhenwu.core.errors import DomainError, NotFound
from zhenwu.core.models import AuditEvent
from zhenwu.workplans import selectors
from zhenwu.workplans.actions import plans
from zhenwu.workplans.choices import PlanStatus, TaskStatus

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def plan(township_officer, shadi):
    plan = plans.do_create_plan(
        actor=township_officer, area=shadi, period="2023h2", title="沙地镇2023年下半年工作计划"
    )
    return plans.do_activate_plan(plan, actor=township_officer)


@pytest.fixture
def task(plan, township_officer):
    section = plans.do_add_section(plan, actor=township_officer, title="（二）绿色发展")
    return plans.do_add_task(
        section,
        actor=township_officer,
        title="生活垃圾清运率100%",
        description="",
        lead_unit="生态环境办",
        responsible="张三",
        deadline_on=datetime.date(2023, 12, 31),
    )


def test_one_plan_per_area_and_period(plan, township_officer, shadi):
    assert plan.period == "2023H2" and plan.status == PlanStatus.ACTIVE
    with pytest.raises(DomainError) as error:
        plans.do_create_plan(actor=township_officer, area=shadi, period="2023H2", title="x")
    assert error.value.code == "workplan_duplicate"
    with pytest.raises(DomainError) as error:
        plans.do_create_plan(actor=township_officer, area=shadi, period="2023H3", title="x")
    assert error.value.code == "invalid_period"
    other = plans.do_create_plan(actor=township_officer, area=shadi, period="2024", title="y")
    assert other.period == "2024"


def test_cadre_cannot_create_or_edit_township_plan(plan, luotian_cadre, luotian, shadi):
    with pytest.raises(DomainError) as error:
        plans.do_create_plan(actor=luotian_cadre, area=luotian, period="2023H2", title="x")
    assert error.value.code == "permission_denied"
    with pytest.raises(DomainError):
        plans.do_add_section(plan, actor=luotian_cadre, title="x")


def test_officer_outside_area_refused(district_officer, township_officer, luotian, makou_cadre):
    luotian_plan = plans.do_create_plan(
        actor=township_officer, area=luotian, period="2023H2", title="螺田村计划"
    )
    with pytest.raises(DomainError) as error:
        plans.do_add_section(luotian_plan, actor=makou_cadre, title="x")
    assert error.value.code == "permission_denied"


def test_task_lifecycle_and_audit(task, township_officer):
    plan = task.section.plan
    update = plans.do_report_progress(
        task,
        actor=township_officer,
        reported_on=datetime.date(2023, 7, 10),
        note="已完成垃圾清运车辆调度",
        progress=40,
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.progress == 40
    assert update.progress == 40 and not update.attachment
    plans.do_set_task_status(task, actor=township_officer, status=TaskStatus.DONE)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.progress == 100
    plans.do_close_plan(plan, actor=township_officer)
    with pytest.raises(DomainError) as error:
        plans.do_report_progress(
            task,
            actor=township_officer,
            reported_on=datetime.date(2023, 7, 11),
            note="x",
            progress=50,
        )
    assert error.value.code == "workplan_closed"
    with pytest.raises(DomainError) as error:
        plans.do_activate_plan(plan, actor=township_officer)
    assert error.value.code == "workplan_illegal_status"
    events = list(
        AuditEvent.objects.filter(event__startswith="workplans.")
        .order_by("id")
        .values_list("event", flat=True)
    )
    assert events == [
        "workplans.plan_created",
        "workplans.plan_activated",
        "workplans.section_added",
        "workplans.task_added",
        "workplans.progress_reported",
        "workplans.task_status",
        "workplans.plan_closed",
    ]


def test_progress_needs_an_active_plan(township_officer, shadi):
    draft = plans.do_create_plan(actor=township_officer, area=shadi, period="2024", title="x")
    section = plans.do_add_section(draft, actor=township_officer, title="s")
    task = plans.do_add_task(section, actor=township_officer, title="t")
    with pytest.raises(DomainError) as error:
        plans.do_report_progress(
            task,
            actor=township_officer,
            reported_on=datetime.date(2023, 7, 1),
            note="n",
            progress=1,
        )
    assert error.value.code == "workplan_not_active"


@pytest.mark.parametrize("value", [-1, 101, "abc", "5.5", True, None])
def test_progress_bounds(task, township_officer, value):
    with pytest.raises(DomainError) as error:
        plans.do_report_progress(
            task,
            actor=township_officer,
            reported_on=datetime.date(2023, 7, 1),
            note="n",
            progress=value,
        )
    assert error.value.code == "invalid_progress"


def test_progress_refusals(task, township_officer, luotian_cadre):
    future = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(DomainError) as error:
        plans.do_report_progress(
            task, actor=township_officer, reported_on=future, note="n", progress=0
        )
    assert error.value.code == "invalid_reported_on"
    with pytest.raises(DomainError) as error:
        plans.do_report_progress(
            task,
            actor=township_officer,
            reported_on=datetime.date(2023, 7, 1),
            note=" ",
            progress=0,
        )
    assert error.value.code == "progress_note_missing"
    # A 螺田村 cadre reads the township plan but cannot report on it.
    with pytest.raises(DomainError) as error:
        plans.do_report_progress(
            task, actor=luotian_cadre, reported_on=datetime.date(2023, 7, 1), note="n", progress=5
        )
    assert error.value.code == "out_of_scope"
    # Cancelling is for planners only.
    with pytest.raises(DomainError) as error:
        plans.do_set_task_status(task, actor=luotian_cadre, status=TaskStatus.CANCELLED)
    assert error.value.code == "permission_denied"
    with pytest.raises(DomainError) as error:
        plans.do_set_task_status(task, actor=township_officer, status="bogus")
    assert error.value.code == "invalid_task_status"
    plans.do_set_task_status(task, actor=township_officer, status=TaskStatus.CANCELLED)
    with pytest.raises(DomainError) as error:
        plans.do_report_progress(
            task,
            actor=township_officer,
            reported_on=datetime.date(2023, 7, 1),
            note="n",
            progress=5,
        )
    assert error.value.code == "task_cancelled"


def test_overdue(task, township_officer):
    assert plans.is_overdue(task, today=datetime.date(2024, 1, 1))
    assert not plans.is_overdue(task, today=datetime.date(2023, 12, 31))
    assert list(selectors.overdue_tasks(township_officer, today=datetime.date(2024, 1, 1))) == [
        task
    ]
    plan = selectors.access_plan(township_officer, task.section.plan.public_id)
    assert plan.task_count == 1 and plan.overdue_count == 1  # today is after 2023
    plans.do_set_task_status(task, actor=township_officer, status=TaskStatus.DONE)
    task.refresh_from_db()
    assert not plans.is_overdue(task, today=datetime.date(2024, 1, 1))
    plan = selectors.access_plan(township_officer, task.section.plan.public_id)
    assert plan.overdue_count == 0 and plan.done_count == 1


def _report(task, actor, upload):
    return plans.do_report_progress(
        task,
        actor=actor,
        reported_on=datetime.date(2023, 8, 1),
        note="见附件",
        progress=60,
        attachment=upload,
    )


def test_attachment_stored_under_generated_name(task, township_officer, media):
    update = _report(task, township_officer, SimpleUploadedFile("../../evil name.PDF", PDF))
    assert update.attachment.name.startswith("workplans/")
    assert update.attachment.name.endswith(".pdf") and "evil" not in update.attachment.name
    assert (media / update.attachment.name).read_bytes() == PDF


@pytest.mark.parametrize(
    "name,content",
    [
        ("run.exe", b"MZ\x90\x00"),
        ("page.html", b"<html>"),
        ("fake.pdf", b"<script>alert(1)</script>"),
        ("photo.png", b"\xff\xd8\xff\xe0 jpeg bytes"),
        ("empty.pdf", b""),
    ],
)
def test_attachment_type_refused(task, township_officer, media, name, content):
    with pytest.raises(DomainError) as error:
        _report(task, township_officer, SimpleUploadedFile(name, content))
    assert error.value.code == "invalid_attachment"


def test_attachment_size_refused(task, township_officer, media, monkeypatch):
    monkeypatch.setattr(plans, "MAX_ATTACHMENT_BYTES", len(PDF) - 1)
    with pytest.raises(DomainError) as error:
        _report(task, township_officer, SimpleUploadedFile("big.pdf", PDF))
    assert error.value.code == "invalid_attachment"


def test_scoping(task, township_officer, luotian_cadre, makou_cadre, luotian, no_membership_user):
    township_plan = task.section.plan
    village_plan = plans.do_create_plan(
        actor=township_officer, area=luotian, period="2023H2", title="螺田村计划"
    )
    # A cadre reads the village's own plan and the township's, not another village's.
    assert set(selectors.visible_plans(luotian_cadre)) == {township_plan, village_plan}
    assert set(selectors.visible_plans(makou_cadre)) == {township_plan}
    with pytest.raises(NotFound):
        selectors.access_plan(makou_cadre, village_plan.public_id)
    assert not selectors.visible_plans(no_membership_user).exists()
    with pytest.raises(NotFound):
        selectors.access_task(no_membership_user, task.public_id)
    with pytest.raises(NotFound):
        selectors.access_plan(township_officer, "not-a-uuid")


def test_cadre_reports_on_the_village_plan(township_officer, luotian_cadre, luotian):
    village_plan = plans.do_create_plan(
        actor=township_officer, area=luotian, period="2023H2", title="螺田村计划"
    )
    plans.do_activate_plan(village_plan, actor=township_officer)
    section = plans.do_add_section(village_plan, actor=township_officer, title="民生")
    task = plans.do_add_task(section, actor=township_officer, title="国家反诈APP安装")
    plans.do_report_progress(
        task,
        actor=luotian_cadre,
        reported_on=datetime.date(2023, 9, 1),
        note="入户宣传",
        progress=70,
    )
    plans.do_set_task_status(task, actor=luotian_cadre, status=TaskStatus.DONE)
    task.refresh_from_db()
    assert task.progress == 100

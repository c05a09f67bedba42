"""The 2023H2 plan demo: built through the actions, the report's structure and targets, a
few tasks done and exactly one overdue."""

import datetime
import io

import pytest

from zhenwu.core.models import AuditEvent
from zhenwu.demo.builder import build_demo
from zhenwu.demo.workplans import OVERDUE_TASK, PLAN_TITLE, build_workplans_demo
from zhenwu.workplans import selectors
from zhenwu.workplans.choices import PlanStatus, TaskStatus
from zhenwu.workplans.models import ProgressUpdate, Task, WorkPlan

TARGETS = [
    "所有村村集体经济收入突破30万元",
    "新建2处村级公墓",
    "螺田、洋村、银村多规合一实用性村庄规划编制",
    "农村无害化卫生厕所全覆盖",
    "生活垃圾清运率保持100%",
    "沙地中心敬老院开工建设",
    "圩镇自来水改造",
    "电子医保凭证激活",
    "国家反诈中心APP安装推广",
    "新时代文明实践站全覆盖",
    "三业提升",
    "危旧房整治清零",
    "饮水安全提升",
    "政策享受落实",
]


@pytest.fixture
def summary(world, township_officer):
    return build_workplans_demo({"township_officer": township_officer}, stdout=io.StringIO())


def test_plan_carries_the_targets(summary, township_officer):
    plan = WorkPlan.objects.get(title=PLAN_TITLE)
    assert plan.period == "2023H2" and plan.area.code == "360704101"
    assert plan.status == PlanStatus.ACTIVE
    assert [s.title[:3] for s in plan.sections.all()] == ["（一）", "（二）", "（三）", "（四）"]
    titles = " ".join(Task.objects.values_list("title", flat=True))
    for target in TARGETS:
        assert target in titles, target
    linked = dict(
        Task.objects.filter(indicator__isnull=False).values_list("indicator__code", "title")
    )
    assert "collective_income" in linked and "garbage_collection_rate" in linked
    assert summary.indicator_links == len(linked) >= 6


def test_progress_dates_done_and_one_overdue(summary, township_officer):
    days = set(ProgressUpdate.objects.values_list("reported_on", flat=True))
    assert min(days) >= datetime.date(2023, 7, 1) and max(days) <= datetime.date(2023, 12, 31)
    done = Task.objects.filter(status=TaskStatus.DONE)
    assert done.exists() and all(t.progress == 100 for t in done)
    assert summary.done == done.count()
    overdue = selectors.overdue_tasks(township_officer)
    assert [t.title for t in overdue] == [OVERDUE_TASK]
    assert summary.overdue == [OVERDUE_TASK]


def test_built_through_the_actions(summary):
    """Every plan, section, task and progress row has its audit row, dated in 2023."""
    counts = {
        event: AuditEvent.objects.filter(event=event).count()
        for event in (
            "workplans.plan_created",
            "workplans.plan_activated",
            "workplans.section_added",
            "workplans.task_added",
            "workplans.progress_reported",
            "workplans.task_status",
        )
    }
    assert counts == {
        "workplans.plan_created": 1,
        "workplans.plan_activated": 1,
        "workplans.section_added": 4,
        "workplans.task_added": Task.objects.count(),
        "workplans.progress_reported": ProgressUpdate.objects.count(),
        "workplans.task_status": summary.done,
    }
    years = {e.at.year for e in AuditEvent.objects.filter(event__startswith="workplans.task")}
    assert years == {2023}


def test_build_demo_hooks_the_plan(db, tmp_path):
    out = io.StringIO()
    build_demo(
        households=20, seed=2023, stdout=out, workdir=tmp_path, monitoring=False, assistance=False
    )
    assert WorkPlan.objects.filter(title=PLAN_TITLE).exists()
    assert PLAN_TITLE in out.getvalue()

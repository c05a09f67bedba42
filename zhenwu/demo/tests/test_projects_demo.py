"""The projects demo, built through the actions on the area tree and the demo accounts (the
projects need no households): statuses reached through transitions, audit rows written,
figures consistent."""

import io
from decimal import Decimal

import pytest
from django.db.models import Sum

from zhenwu.areas.loader import load_areas_csv
from zhenwu.core.models import AuditEvent
from zhenwu.demo.accounts import create_demo_accounts
from zhenwu.demo.generator import AREAS_CSV
from zhenwu.demo.projects import PLANS, build_projects_demo
from zhenwu.projects import selectors
from zhenwu.projects.choices import AssetType, ProjectStatus
from zhenwu.projects.models import Asset, AssetIncome, Disbursement, Enterprise, Industry, Project

PLANTS = [
    "螺田板鸭厂",
    "马口富硒大米加工厂",
    "坳上集中育秧工厂",
    "洋村粮油加工厂",
    "水边粮油加工厂",
]


@pytest.fixture
def demo(db):
    load_areas_csv(AREAS_CSV)
    users = create_demo_accounts()
    out = io.StringIO()
    summary = build_projects_demo(users, 2023, stdout=out)
    return users, summary, out.getvalue()


def test_projects_reach_their_status_through_transitions(demo):
    _users, summary, output = demo
    assert Project.objects.count() == len(PLANS) == summary.projects
    for plan in PLANS:
        project = Project.objects.get(code=plan.code)
        assert project.status == plan.status
        steps = AuditEvent.objects.filter(
            event="projects.project_advanced", object_id=str(project.public_id)
        ).count()
        order = list(ProjectStatus.values)
        assert steps == order.index(plan.status)  # one audited transition per step
    for name in PLANTS:
        plant = Project.objects.get(name=name)
        assert plant.status == ProjectStatus.ASSETS_REGISTERED
        assert plant.accepted_on.year in (2022, 2023)
        assert plant.assets.get().asset_type == AssetType.OPERATING
        assert plant.self_evaluation_score == Decimal("100.0")
    nursing = Project.objects.get(name="沙地敬老院建设项目")
    assert (nursing.status, nursing.started_on.year) == (ProjectStatus.IN_PROGRESS, 2023)
    assert nursing.area.name == "沙地镇"
    assert Project.objects.filter(name__endswith="公墓", status__in=["proposed", "in_library"]).count() == 2  # fmt: skip
    assert Project.objects.filter(name__contains="村庄规划", status="proposed").count() == 3
    assert "项目库" in output


def test_money_and_approvals(demo):
    users, summary, _output = demo
    paid = Disbursement.objects.aggregate(total=Sum("amount"))["total"]
    assert paid == summary.disbursed > 0
    for project in Project.objects.all():
        budget = project.funding_sources.aggregate(total=Sum("amount"))["total"]
        spent = project.disbursements.aggregate(total=Sum("amount"))["total"] or 0
        assert spent <= budget  # never over budget
    assert not Disbursement.objects.exclude(over_budget_reason="").exists()
    approvals = AuditEvent.objects.filter(
        event="projects.project_advanced", data__to__in=["in_library", "approved", "accepted"]
    )
    officers = {users["township_officer"].pk}
    assert approvals.exists() and not approvals.filter(user_id__in=officers).exists()


def test_assets_income_and_industries(demo):
    users, summary, _output = demo
    assert Asset.objects.count() == summary.assets == 6  # five plants and one road
    assert AssetIncome.objects.filter(year=2023).count() == 5
    assert AuditEvent.objects.filter(event="projects.asset_income_recorded").count() == 5
    assert set(Industry.objects.values_list("name", flat=True)) >= {
        "板鸭", "水稻", "油茶", "富硒蔬菜", "水果采摘", "鱼丝", "预制菜"
    }  # fmt: skip
    assert Enterprise.objects.filter(name__in=PLANTS, project__isnull=False).count() == 5
    assert summary.jobs_for_lifted == Enterprise.objects.aggregate(t=Sum("jobs_for_lifted"))["t"]
    luotian = users["luotian_cadre"]
    assert {e.name for e in selectors.visible_enterprises(luotian)} == {"螺田板鸭厂"}
    assert {a.project.name for a in selectors.visible_assets(luotian)} == {"螺田板鸭厂"}

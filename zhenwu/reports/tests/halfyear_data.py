"""Hand-built rows for the half-year report tests: a project, an indicator measurement,
the next half-year's work plan (written directly: the report is under test)."""

import datetime
from decimal import Decimal

from zhenwu.projects.choices import BudgetItem, FundingSourceKind, ProjectStatus, ProjectType
from zhenwu.projects.models import Disbursement, FundingSource, Project
from zhenwu.workplans.actions.indicators import load_indicator_catalogue
from zhenwu.workplans.models import Indicator, Measurement, PlanSection, Task, WorkPlan

D = datetime.date


def add_project(area, code, name, *, budget, paid, kind=ProjectType.INFRASTRUCTURE, year=2023):
    project = Project.objects.create(
        code=code,
        name=name,
        project_type=kind,
        area=area,
        lead_unit="沙地镇村镇建设办",
        status=ProjectStatus.IN_PROGRESS,
        year=year,
        started_on=D(year, 3, 1),
    )
    source = FundingSource.objects.create(
        project=project,
        source=FundingSourceKind.DISTRICT,
        budget_item=BudgetItem.RURAL_INFRASTRUCTURE,
        amount=Decimal(budget),
    )
    Disbursement.objects.create(
        project=project,
        funding_source=source,
        paid_on=D(year, 5, 10),
        amount=Decimal(paid),
        voucher=f"V-{code}",
    )
    # Paid after the half-year: not counted in 2023H1.
    Disbursement.objects.create(
        project=project,
        funding_source=source,
        paid_on=D(year, 8, 1),
        amount=Decimal("1000"),
        voucher=f"V-{code}-2",
    )
    return project


def add_garbage_rate(village, month: str, cleared: int, points: int) -> None:
    load_indicator_catalogue()
    Measurement.objects.create(
        indicator=Indicator.objects.get(code="garbage_collection_rate"),
        area=village,
        period=month,
        numerator=Decimal(cleared),
        denominator=Decimal(points),
        value=Decimal(cleared) * 100 / Decimal(points),
    )


def add_plan(township, period: str = "2023H2") -> WorkPlan:
    plan = WorkPlan.objects.create(area=township, period=period, title=f"沙地镇{period}工作计划")
    first = PlanSection.objects.create(plan=plan, order=1, title="（一）坚持产业主导，推进乡村振兴")
    Task.objects.create(
        section=first,
        order=1,
        title="做优板鸭特色产业",
        description="支持螺田板鸭厂扩产。",
        lead_unit="农业农村办",
        deadline_on=D(2023, 12, 15),
    )
    second = PlanSection.objects.create(plan=plan, order=2, title="坚持绿色发展")
    Task.objects.create(section=second, order=1, title="生活垃圾清运率保持100%")
    return plan

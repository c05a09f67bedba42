"""Helpers of the project-library tests: a second approver and a project walked through
its lifecycle with the real actions."""

import datetime

from zhenwu.accounts.models import Membership, User
from zhenwu.accounts.roles import Role
from zhenwu.projects.actions.projects import do_advance_project, do_create_project
from zhenwu.projects.states import next_status

DAY = datetime.date(2023, 3, 1)


def second_approver(world) -> User:
    user = User.objects.filter(username="district2").first()
    if user is None:
        user = User.objects.create(username="district2", must_change_password=False)
        Membership.objects.create(
            user=user, area=world.areas["district"], role=Role.DISTRICT_OFFICER
        )
    return user


def make_project(actor, area, code="XM-2023-001", **extra):
    data = {
        "name": "螺田村板鸭加工厂",
        "project_type": "industry",
        "lead_unit": "沙地镇人民政府",
        "year": 2023,
    }
    data.update(extra)
    return do_create_project(actor=actor, area=area, code=code, **data)


def walk(project, world, to_status, on=DAY):
    """Advance ``project`` to ``to_status`` with the right people at each step."""
    township = world.users["township_officer"]
    district = world.users["district_officer"]
    people = {
        "in_library": district,
        "approved": second_approver(world),
        "in_progress": township,
        "completed": township,
        "accepted": district,
    }
    while project.status != to_status:
        step = next_status(project.status)
        project = do_advance_project(project, actor=people[step], to_status=step, on=on)
    return project

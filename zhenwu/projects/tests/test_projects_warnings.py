"""project_warnings: each warning alone, and the scoping of the project selectors."""

import datetime

import pytest

from zhenwu.core.errors import NotFound
from zhenwu.projects import selectors
from zhenwu.projects.actions.projects import (
    do_add_funding,
    do_add_milestone,
    do_complete_milestone,
    do_record_disbursement,
    do_set_performance_target,
)
from zhenwu.projects.tests.support_projects import make_project, walk

APPROVED = datetime.date(2023, 1, 10)


def codes(project, on):
    return [w["code"] for w in selectors.project_warnings(project, on)]


@pytest.fixture
def project(township_officer, luotian):
    return make_project(township_officer, luotian)


def _with_target(project, actor):
    do_set_performance_target(
        project, actor=actor, dimension="output_quantity", indicator="厂房", target_value="1"
    )


def test_fresh_project_has_no_warnings(project):
    assert codes(project, APPROVED) == []


def test_overdue_milestone_alone(project, township_officer):
    milestone = do_add_milestone(
        project, actor=township_officer, title="开工", due_on=datetime.date(2023, 2, 1)
    )
    assert codes(project, datetime.date(2023, 2, 1)) == []
    assert codes(project, datetime.date(2023, 2, 2)) == ["overdue_milestone"]
    do_complete_milestone(milestone, actor=township_officer, done_on=datetime.date(2023, 2, 3))
    assert codes(project, datetime.date(2023, 2, 4)) == []


def test_overdue_end_alone(township_officer, luotian, world):
    project = make_project(township_officer, luotian, planned_end_on=datetime.date(2023, 6, 30))
    assert codes(project, datetime.date(2023, 7, 1)) == ["overdue_end"]
    _with_target(project, township_officer)
    project = walk(project, world, "completed", on=APPROVED)
    assert codes(project, datetime.date(2023, 7, 1)) == []


def test_underspent_alone(project, township_officer, world):
    do_add_funding(
        project, actor=township_officer, source="central", budget_item="2130505", amount="100"
    )
    _with_target(project, township_officer)
    project = walk(project, world, "in_progress", on=APPROVED)
    do_record_disbursement(
        project, actor=township_officer, paid_on=APPROVED, amount="49.99", voucher="V"
    )
    late = APPROVED + datetime.timedelta(days=selectors.UNDERSPENT_AFTER_DAYS + 1)
    assert codes(project, APPROVED + datetime.timedelta(days=selectors.UNDERSPENT_AFTER_DAYS)) == []
    assert codes(project, late) == ["underspent"]
    do_record_disbursement(
        project, actor=township_officer, paid_on=APPROVED, amount="0.01", voucher="V"
    )
    assert codes(project, late) == []


def test_over_budget_alone(project, township_officer, district_officer, world):
    do_add_funding(
        project, actor=township_officer, source="central", budget_item="2130505", amount="100"
    )
    _with_target(project, township_officer)
    project = walk(project, world, "in_progress", on=APPROVED)
    do_record_disbursement(
        project,
        actor=district_officer,
        paid_on=APPROVED,
        amount="120",
        voucher="V",
        over_budget_reason="追加",
    )
    assert codes(project, APPROVED) == ["over_budget"]


def test_targets_missing_alone(project, world, township_officer):
    project = walk(project, world, "approved", on=APPROVED)
    due = APPROVED + datetime.timedelta(days=selectors.TARGETS_DUE_DAYS)
    assert codes(project, due) == []
    assert codes(project, due + datetime.timedelta(days=1)) == ["targets_missing"]
    _with_target(project, township_officer)
    assert codes(project, due + datetime.timedelta(days=1)) == []


def test_timeline_from_audit_log(project, world):
    project = walk(project, world, "approved", on=APPROVED)
    steps = selectors.status_timeline(project)
    assert [s["to"] for s in steps] == ["proposed", "in_library", "approved"]
    assert selectors.approved_on(project) == APPROVED


# --- scoping ---------------------------------------------------------------------------


def test_village_cadre_sees_own_village_only(
    township_officer, luotian, makou, shadi, luotian_cadre, makou_cadre
):
    luotian_project = make_project(township_officer, luotian, code="LT-1")
    makou_project = make_project(township_officer, makou, code="MK-1")
    township_project = make_project(township_officer, shadi, code="SD-1")
    assert list(selectors.visible_projects(luotian_cadre)) == [luotian_project]
    assert list(selectors.visible_projects(makou_cadre)) == [makou_project]
    assert set(selectors.visible_projects(township_officer)) == {
        luotian_project,
        makou_project,
        township_project,
    }
    with pytest.raises(NotFound):
        selectors.access_project(luotian_cadre, makou_project.public_id)
    with pytest.raises(NotFound):
        selectors.access_project(luotian_cadre, township_project.public_id)
    with pytest.raises(NotFound):
        selectors.access_project(luotian_cadre, "not-a-uuid")


def test_no_membership_sees_nothing(township_officer, luotian, no_membership_user, system_admin):
    make_project(township_officer, luotian)
    assert not selectors.visible_projects(no_membership_user).exists()
    assert not selectors.visible_projects(system_admin).exists()

"""项目库 actions: lifecycle (every step, illegal ones, permissions, maker ≠ checker, dates,
locking, audit), funding and disbursements (over-budget override), milestones, targets and
self-evaluation score, benefit linkage."""

import datetime
from decimal import Decimal

import pytest

from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.projects.actions.projects import (
    do_add_funding,
    do_add_milestone,
    do_advance_project,
    do_complete_milestone,
    do_record_actual,
    do_record_disbursement,
    do_set_benefit,
    do_set_performance_target,
    do_update_project,
)
from zhenwu.projects.models import Asset, Project
from zhenwu.projects.tests.support_projects import DAY, make_project, second_approver, walk


def events(project, name):
    return AuditEvent.objects.filter(event=name, object_id=str(project.public_id))


@pytest.fixture
def project(township_officer, luotian):
    return make_project(township_officer, luotian)


def test_create_audited_and_duplicate_code_refused(project, township_officer, luotian):
    assert project.status == "proposed"
    assert events(project, "projects.project_created").count() == 1
    with pytest.raises(DomainError) as error:
        make_project(township_officer, luotian)
    assert error.value.code == "project_duplicate_code"


def test_village_cadre_cannot_create(luotian_cadre, luotian):
    with pytest.raises(DomainError) as error:
        make_project(luotian_cadre, luotian)
    assert error.value.code == "permission_denied"


def test_full_lifecycle_records_dates_and_one_audit_row_each(project, world):
    started = datetime.date(2023, 4, 1)
    project = walk(project, world, "approved")
    project = do_advance_project(
        project, actor=world.users["township_officer"], to_status="in_progress", on=started
    )
    assert project.started_on == started
    project = walk(project, world, "accepted", on=started)
    assert project.completed_on == started and project.accepted_on == started
    Asset.objects.create(
        project=project,
        name="板鸭加工厂房",
        asset_type="operating",
        value=Decimal("100"),
        owner="螺田村股份经济合作社",
        registered_on=DAY,
    )
    project = do_advance_project(
        project, actor=world.users["township_officer"], to_status="assets_registered"
    )
    assert project.status == "assets_registered"
    assert events(project, "projects.project_advanced").count() == 6
    assert project.version == 7


def test_assets_registered_needs_an_asset(project, world):
    project = walk(project, world, "accepted")
    with pytest.raises(DomainError) as error:
        do_advance_project(
            project, actor=world.users["township_officer"], to_status="assets_registered"
        )
    assert error.value.code == "no_assets_registered"


@pytest.mark.parametrize(
    "target", ["approved", "in_progress", "proposed", "assets_registered", "x"]
)
def test_illegal_transitions_refused(project, world, target):
    with pytest.raises(DomainError) as error:
        do_advance_project(project, actor=second_approver(world), to_status=target)
    assert error.value.code in {"illegal_transition", "permission_denied"}
    assert Project.objects.get(pk=project.pk).status == "proposed"


def test_no_going_back(project, world):
    project = walk(project, world, "in_progress")
    with pytest.raises(DomainError) as error:
        do_advance_project(project, actor=world.users["district_officer"], to_status="approved")
    assert error.value.code == "illegal_transition"


@pytest.mark.parametrize("step", ["in_library", "approved", "accepted"])
def test_approval_steps_need_approve_permission(project, world, step):
    project = walk(
        project,
        world,
        {"in_library": "proposed", "approved": "in_library", "accepted": "completed"}[step],
    )
    with pytest.raises(DomainError) as error:
        do_advance_project(project, actor=world.users["township_officer"], to_status=step)
    assert error.value.code == "permission_denied"


@pytest.mark.parametrize("step", ["in_progress", "completed"])
def test_edit_steps_refused_to_village_cadre(project, world, step):
    project = walk(project, world, {"in_progress": "approved", "completed": "in_progress"}[step])
    with pytest.raises(DomainError) as error:
        do_advance_project(project, actor=world.users["luotian_cadre"], to_status=step)
    assert error.value.code == "permission_denied"


def test_creator_cannot_approve(world, luotian):
    district = world.users["district_officer"]
    project = make_project(district, luotian)
    with pytest.raises(DomainError) as error:
        do_advance_project(project, actor=district, to_status="in_library")
    assert error.value.code == "maker_is_checker"
    do_advance_project(project, actor=second_approver(world), to_status="in_library")


def test_previous_step_maker_cannot_approve_next(project, world):
    district = world.users["district_officer"]
    project = do_advance_project(project, actor=district, to_status="in_library")
    with pytest.raises(DomainError) as error:
        do_advance_project(project, actor=district, to_status="approved")
    assert error.value.code == "maker_is_checker"
    project = do_advance_project(project, actor=second_approver(world), to_status="approved")
    assert project.status == "approved"


def test_stale_version_conflicts(project, world):
    district = world.users["district_officer"]
    with pytest.raises(DomainError) as error:
        do_advance_project(project, actor=district, to_status="in_library", version=99)
    assert error.value.code == "conflict"
    updated = do_update_project(
        project, actor=world.users["township_officer"], version=1, name="新名称"
    )
    assert updated.version == 2
    with pytest.raises(DomainError):
        do_update_project(project, actor=world.users["township_officer"], version=1, name="x")


def test_dates_in_order(project, world):
    project = walk(project, world, "in_progress", on=datetime.date(2023, 5, 1))
    with pytest.raises(DomainError) as error:
        do_advance_project(
            project,
            actor=world.users["township_officer"],
            to_status="completed",
            on=datetime.date(2023, 4, 1),
        )
    assert error.value.code == "date_order"


def test_out_of_scope_area_refused(world, makou):
    from zhenwu.accounts.models import Membership, User

    other = User.objects.create(username="luotian_officer_like", must_change_password=False)
    Membership.objects.create(user=other, area=world.areas["luotian"], role="township_officer")
    with pytest.raises(DomainError) as error:
        make_project(other, makou)
    assert error.value.code == "out_of_scope"


# --- funding and disbursements -----------------------------------------------------------


@pytest.fixture
def funded(project, world):
    township = world.users["township_officer"]
    do_add_funding(
        project, actor=township, source="central", budget_item="2130505", amount="600000"
    )
    do_add_funding(
        project, actor=township, source="district", budget_item="2130505", amount="400000.50"
    )
    return walk(Project.objects.get(pk=project.pk), world, "in_progress")


def test_disbursement_before_approval_refused(project, township_officer):
    do_add_funding(
        project, actor=township_officer, source="central", budget_item="2130505", amount="10"
    )
    with pytest.raises(DomainError) as error:
        do_record_disbursement(
            project, actor=township_officer, paid_on=DAY, amount="5", voucher="V1"
        )
    assert error.value.code == "project_not_funded"


def test_progress_and_over_budget_refused_without_override(funded, township_officer):
    from zhenwu.projects.selectors import disbursement_progress, progress_percent

    do_record_disbursement(
        funded, actor=township_officer, paid_on=DAY, amount="250000.13", voucher="记-001"
    )
    disbursed, budget, ratio = disbursement_progress(funded)
    assert disbursed == Decimal("250000.13") and budget == Decimal("1000000.50")
    assert isinstance(ratio, Decimal)
    assert progress_percent(ratio) == Decimal("25.0")
    with pytest.raises(DomainError) as error:
        do_record_disbursement(
            funded, actor=township_officer, paid_on=DAY, amount="750000.38", voucher="记-002"
        )
    assert error.value.code == "over_budget"
    # even with a reason: the township officer does not hold projects.approve
    with pytest.raises(DomainError):
        do_record_disbursement(
            funded,
            actor=township_officer,
            paid_on=DAY,
            amount="750000.38",
            voucher="记-002",
            over_budget_reason="材料涨价",
        )
    # exactly up to the budget is fine
    do_record_disbursement(
        funded, actor=township_officer, paid_on=DAY, amount="750000.37", voucher="记-002"
    )
    assert disbursement_progress(funded)[2] == 1


def test_over_budget_with_approver_reason_is_audited(funded, district_officer):
    row = do_record_disbursement(
        funded,
        actor=district_officer,
        paid_on=DAY,
        amount="1000001",
        voucher="记-009",
        over_budget_reason="追加工程量，已报区乡村振兴局同意",
    )
    assert row.over_budget_reason.startswith("追加工程量")
    event = events(funded, "projects.disbursement_over_budget").get()
    assert event.data["over_budget_reason"] == row.over_budget_reason
    assert event.data["budget"] == "1000000.50"


def test_approver_without_reason_refused(funded, district_officer):
    with pytest.raises(DomainError) as error:
        do_record_disbursement(
            funded, actor=district_officer, paid_on=DAY, amount="2000000", voucher="V"
        )
    assert error.value.code == "over_budget"


def test_reason_not_kept_when_within_budget(funded, district_officer):
    row = do_record_disbursement(
        funded, actor=district_officer, paid_on=DAY, amount="1", voucher="V", over_budget_reason="x"
    )
    assert row.over_budget_reason == ""
    assert events(funded, "projects.disbursement_recorded").count() == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"amount": "0", "voucher": "V"},
        {"amount": "10", "voucher": " "},
        {"amount": "-10", "voucher": "V"},
        {"amount": 1.5, "voucher": "V"},
        {"amount": "10", "voucher": "V", "paid_on": datetime.date(2999, 1, 1)},
    ],
)
def test_invalid_disbursement(funded, township_officer, kwargs):
    kwargs.setdefault("paid_on", DAY)
    with pytest.raises(DomainError):
        do_record_disbursement(funded, actor=township_officer, **kwargs)


def test_correction_with_note(funded, township_officer):
    from zhenwu.projects.selectors import disbursement_progress

    do_record_disbursement(funded, actor=township_officer, paid_on=DAY, amount="100", voucher="V1")
    do_record_disbursement(
        funded, actor=township_officer, paid_on=DAY, amount="-40", voucher="V2", note="多付冲减"
    )
    assert disbursement_progress(funded)[0] == Decimal("60.00")
    with pytest.raises(DomainError):
        do_record_disbursement(
            funded, actor=township_officer, paid_on=DAY, amount="-100", voucher="V3", note="x"
        )


def test_funding_source_of_other_project_refused(funded, township_officer, luotian, world):
    other = make_project(township_officer, luotian, code="XM-OTHER")
    source = do_add_funding(
        other, actor=township_officer, source="city", budget_item="2130504", amount="5"
    )
    with pytest.raises(DomainError) as error:
        do_record_disbursement(
            funded,
            actor=township_officer,
            paid_on=DAY,
            amount="1",
            voucher="V",
            funding_source=source,
        )
    assert error.value.code == "funding_source_foreign"


# --- milestones, targets, benefit --------------------------------------------------------


def test_milestones(project, township_officer):
    milestone = do_add_milestone(project, actor=township_officer, title="主体完工", due_on=DAY)
    do_complete_milestone(milestone, actor=township_officer, done_on=DAY)
    with pytest.raises(DomainError) as error:
        do_complete_milestone(milestone, actor=township_officer, done_on=DAY)
    assert error.value.code == "milestone_done"
    with pytest.raises(DomainError):
        do_add_milestone(project, actor=township_officer, title="", due_on=DAY)


def test_targets_and_self_evaluation_score(project, township_officer):
    quantity = do_set_performance_target(
        project,
        actor=township_officer,
        dimension="output_quantity",
        indicator="新建厂房面积",
        target_value="≥800",
        unit="平方米",
        weight="20",
    )
    satisfaction = do_set_performance_target(
        project,
        actor=township_officer,
        dimension="satisfaction",
        indicator="受益群众满意度",
        target_value="≥90",
        unit="%",
        weight="10",
    )
    do_record_actual(quantity, actor=township_officer, actual_value="820", score="20")
    do_record_actual(satisfaction, actor=township_officer, actual_value="88", score="8.5")
    assert Project.objects.get(pk=project.pk).self_evaluation_score == Decimal("28.5")
    with pytest.raises(DomainError) as error:
        do_record_actual(satisfaction, actor=township_officer, actual_value="88", score="11")
    assert error.value.code == "score_invalid"
    with pytest.raises(DomainError) as error:
        do_set_performance_target(
            project, actor=township_officer, dimension="nonsense", indicator="x", target_value="1"
        )
    assert error.value.code == "target_invalid"


def test_benefit(project, township_officer):
    project = do_set_benefit(
        project,
        actor=township_officer,
        households_benefiting=120,
        lifted_households_benefiting=35,
        jobs_for_lifted=12,
        linkage_mechanism="务工+分红",
    )
    assert (project.households_benefiting, project.lifted_households_benefiting) == (120, 35)
    assert events(project, "projects.benefit_set").count() == 1
    with pytest.raises(DomainError):
        do_set_benefit(
            project,
            actor=township_officer,
            households_benefiting=1,
            lifted_households_benefiting=2,
            jobs_for_lifted=0,
        )
    with pytest.raises(DomainError):
        do_set_benefit(
            project,
            actor=township_officer,
            households_benefiting=-1,
            lifted_households_benefiting=0,
            jobs_for_lifted=0,
        )

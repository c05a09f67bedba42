"""Public-welfare jobs: posts, eligibility refusals with their messages, attendance, payroll
(idempotent), scoping and audit."""

import datetime
from decimal import Decimal

import pytest

from zhenwu.assistance import selectors
from zhenwu.assistance.actions.jobs import (
    do_assign_job,
    do_build_payroll,
    do_create_post,
    do_end_job,
    do_record_attendance,
)
from zhenwu.assistance.actions.payments import do_approve_batch
from zhenwu.assistance.choices import JobStatus, PaymentKind, SettingKey
from zhenwu.assistance.models import AssistanceSetting, JobAssignment, PaymentLine
from zhenwu.core.errors import DomainError, NotFound
from zhenwu.core.models import AuditEvent
from zhenwu.registry.models import Household, Person

START = datetime.date(2023, 1, 1)


@pytest.fixture
def job_settings(shadi):
    for key, value in (
        (SettingKey.JOB_MIN_AGE, 16),
        (SettingKey.JOB_MAX_AGE, 60),
        (SettingKey.JOBS_PER_HOUSEHOLD, 2),
    ):
        AssistanceSetting.objects.create(
            area=shadi, key=key, value=Decimal(value), valid_from=datetime.date(2020, 1, 1)
        )


@pytest.fixture
def post(township_officer, luotian, job_settings):
    return do_create_post(
        actor=township_officer,
        village=luotian,
        post_type="保洁员",
        funding_level="central",
        monthly_subsidy=Decimal("500"),
        capacity=3,
    )


@pytest.fixture
def members(luotian_household):
    """张三丰 (1968), 李秀英 (1970), 张小明 (2012)."""
    return list(luotian_household.members.order_by("id"))


def refusal(code_expected, func, *args, **kwargs):
    with pytest.raises(DomainError) as error:
        func(*args, **kwargs)
    assert error.value.code == code_expected
    return error.value.message


def test_create_post_validates_and_audits(township_officer, luotian_cadre, luotian, shadi):
    post = do_create_post(
        actor=township_officer,
        village=luotian,
        post_type=" 护路员 ",
        funding_level="district",
        monthly_subsidy="500.005",
        capacity=2,
    )
    assert post.post_type == "护路员" and post.monthly_subsidy == Decimal("500.01")
    assert AuditEvent.objects.filter(event="assistance.post_created").count() == 1
    base = dict(village=luotian, post_type="x", funding_level="central", capacity=1)
    refusal("invalid_post", do_create_post, actor=township_officer, **base, monthly_subsidy=-1)
    refusal(
        "invalid_post",
        do_create_post,
        actor=township_officer,
        **{**base, "capacity": 0},
        monthly_subsidy=1,
    )
    refusal(
        "area_level",
        do_create_post,
        actor=township_officer,
        **{**base, "village": shadi},
        monthly_subsidy=1,
    )
    # Posts fix money: cadres do not set them up.
    refusal("permission_denied", do_create_post, actor=luotian_cadre, **base, monthly_subsidy=1)


def test_assign_an_eligible_person(post, members, luotian_cadre):
    assignment = do_assign_job(post, members[0], actor=luotian_cadre, start_on=START)
    assert assignment.status == JobStatus.ACTIVE
    assert assignment.household_id == members[0].household_id
    assert AuditEvent.objects.filter(event="assistance.job_assigned").count() == 1


def test_refusal_general_household(township_officer, makou, makou_household, job_settings):
    makou_post = do_create_post(
        actor=township_officer,
        village=makou,
        post_type="保洁员",
        funding_level="central",
        monthly_subsidy=500,
        capacity=1,
    )
    person = makou_household.members.order_by("id").first()
    message = refusal(
        "job_not_eligible_household",
        do_assign_job,
        makou_post,
        person,
        actor=township_officer,
        start_on=START,
    )
    assert "脱贫户或监测户" in message
    # A monitored household is eligible (王五 is 67, so the age rule speaks next).
    Household.objects.filter(pk=makou_household.pk).update(category="monitored")
    person.refresh_from_db()
    message = refusal(
        "job_too_old", do_assign_job, makou_post, person, actor=township_officer, start_on=START
    )
    assert "67" in message and "60" in message


def test_refusal_too_young(post, members, luotian_cadre):
    message = refusal(
        "job_too_young", do_assign_job, post, members[2], actor=luotian_cadre, start_on=START
    )
    assert "10岁" in message and "16岁" in message


def test_max_age_is_configurable_per_area(post, members, luotian_cadre, luotian):
    AssistanceSetting.objects.create(
        area=luotian, key=SettingKey.JOB_MAX_AGE, value=50, valid_from=datetime.date(2022, 1, 1)
    )
    refusal("job_too_old", do_assign_job, post, members[0], actor=luotian_cadre, start_on=START)
    # Before the village override the township's 60 holds.
    assignment = do_assign_job(
        post, members[0], actor=luotian_cadre, start_on=datetime.date(2021, 6, 1)
    )
    assert assignment.pk


def test_missing_setting_is_refused(township_officer, luotian, members, luotian_cadre):
    bare = do_create_post(
        actor=township_officer,
        village=luotian,
        post_type="护林员",
        funding_level="central",
        monthly_subsidy=500,
        capacity=1,
    )
    message = refusal(
        "setting_missing", do_assign_job, bare, members[0], actor=luotian_cadre, start_on=START
    )
    assert "公益岗位最低年龄" in message


def test_refusal_one_post_per_person(post, township_officer, luotian, members, luotian_cadre):
    other = do_create_post(
        actor=township_officer,
        village=luotian,
        post_type="护路员",
        funding_level="central",
        monthly_subsidy=500,
        capacity=1,
    )
    do_assign_job(post, members[0], actor=luotian_cadre, start_on=START)
    refusal(
        "job_already_assigned",
        do_assign_job,
        other,
        members[0],
        actor=luotian_cadre,
        start_on=START,
    )


def test_db_keeps_one_active_post_per_person(post, members, luotian_cadre):
    from django.db import IntegrityError, transaction

    assignment = do_assign_job(post, members[0], actor=luotian_cadre, start_on=START)
    with pytest.raises(IntegrityError), transaction.atomic():
        JobAssignment.objects.create(
            post=post, person=members[0], household=assignment.household, start_on=START
        )


def test_refusal_household_limit(post, members, luotian_cadre, luotian):
    AssistanceSetting.objects.create(
        area=luotian, key=SettingKey.JOBS_PER_HOUSEHOLD, value=1, valid_from=START
    )
    do_assign_job(post, members[0], actor=luotian_cadre, start_on=START)
    message = refusal(
        "job_household_limit", do_assign_job, post, members[1], actor=luotian_cadre, start_on=START
    )
    assert "1人" in message


def test_refusal_post_full_and_freed_by_ending(township_officer, luotian, members, job_settings):
    single = do_create_post(
        actor=township_officer,
        village=luotian,
        post_type="水管员",
        funding_level="township",
        monthly_subsidy=300,
        capacity=1,
    )
    first = do_assign_job(single, members[0], actor=township_officer, start_on=START)
    message = refusal(
        "job_post_full", do_assign_job, single, members[1], actor=township_officer, start_on=START
    )
    assert "1人" in message
    refusal(
        "invalid_end_date",
        do_end_job,
        first,
        actor=township_officer,
        end_on=datetime.date(2022, 1, 1),
    )
    do_end_job(first, actor=township_officer, end_on=datetime.date(2023, 3, 31))
    refusal("job_not_active", do_end_job, first, actor=township_officer, end_on=START)
    assert do_assign_job(
        single, members[1], actor=township_officer, start_on=datetime.date(2023, 4, 1)
    )


def test_refusal_inactive_person(post, members, luotian_cadre):
    Person.objects.filter(pk=members[1].pk).update(status="deceased")
    members[1].refresh_from_db()
    refusal(
        "job_person_inactive", do_assign_job, post, members[1], actor=luotian_cadre, start_on=START
    )


def test_person_from_another_village(post, makou_household, township_officer, luotian_cadre):
    person = makou_household.members.first()
    refusal(
        "job_person_not_in_village",
        do_assign_job,
        post,
        person,
        actor=township_officer,
        start_on=START,
    )
    # A 螺田村 cadre cannot reach a 马口村 person at all.
    refusal("out_of_scope", do_assign_job, post, person, actor=luotian_cadre, start_on=START)


def test_cadre_sees_only_own_village_posts(
    post, township_officer, makou, makou_cadre, luotian_cadre
):
    makou_post = do_create_post(
        actor=township_officer,
        village=makou,
        post_type="保洁员",
        funding_level="central",
        monthly_subsidy=500,
        capacity=1,
    )
    assert list(selectors.visible_posts(luotian_cadre)) == [post]
    assert list(selectors.visible_posts(makou_cadre)) == [makou_post]
    with pytest.raises(NotFound):
        selectors.access_post(luotian_cadre, makou_post.public_id)
    assert set(selectors.visible_posts(township_officer)) == {post, makou_post}


def test_candidates_list_eligible_people(post, members, luotian_cadre):
    do_assign_job(post, members[0], actor=luotian_cadre, start_on=START)
    names = [p.name for p in selectors.job_candidates(luotian_cadre, post)]
    assert names == [members[1].name, members[2].name]


# --- attendance and payroll ------------------------------------------------------------


@pytest.fixture
def two_workers(post, members, luotian_cadre):
    return [
        do_assign_job(post, members[0], actor=luotian_cadre, start_on=START),
        do_assign_job(post, members[1], actor=luotian_cadre, start_on=datetime.date(2023, 2, 15)),
    ]


def test_attendance_rules(two_workers, luotian_cadre, makou_cadre):
    first, second = two_workers
    row = do_record_attendance(first, actor=luotian_cadre, month="2023-01", days_worked=22)
    assert row.month == datetime.date(2023, 1, 1)
    again = do_record_attendance(
        first, actor=luotian_cadre, month=datetime.date(2023, 1, 20), days_worked=20
    )
    assert again.pk == row.pk and again.days_worked == 20
    refusal(
        "invalid_attendance",
        do_record_attendance,
        first,
        actor=luotian_cadre,
        month="2023-02",
        days_worked=29,
    )
    # Not yet on the post in January.
    refusal(
        "invalid_attendance",
        do_record_attendance,
        second,
        actor=luotian_cadre,
        month="2023-01",
        days_worked=5,
    )
    refusal(
        "invalid_month",
        do_record_attendance,
        first,
        actor=luotian_cadre,
        month="2023Q1",
        days_worked=5,
    )
    refusal(
        "out_of_scope",
        do_record_attendance,
        first,
        actor=makou_cadre,
        month="2023-01",
        days_worked=5,
    )
    assert AuditEvent.objects.filter(event="assistance.attendance_recorded").count() == 2


def test_payroll_pays_qualified_attendance_once(
    two_workers, luotian_cadre, township_officer, district_officer, luotian, shadi
):
    first, second = two_workers
    do_record_attendance(first, actor=luotian_cadre, month="2023-02", days_worked=20)
    do_record_attendance(second, actor=luotian_cadre, month="2023-02", days_worked=8)
    batch = do_build_payroll(shadi, "2023-02", actor=township_officer)
    assert batch.kind == PaymentKind.JOB_PAYROLL and batch.period == "2023-02"
    # Full monthly subsidy, no pro-rata for the part month.
    assert batch.line_count == 2 and batch.total_amount == Decimal("1000.00")
    again = do_build_payroll(shadi, datetime.date(2023, 2, 1), actor=township_officer)
    assert again.pk == batch.pk and again.line_count == 2
    assert PaymentLine.objects.filter(period="2023-02").count() == 2
    # A village batch for the same month finds both people already paid.
    village_batch = do_build_payroll(luotian, "2023-02", actor=township_officer)
    assert village_batch.line_count == 0
    # Attendance is frozen once the payroll has a line for it.
    refusal(
        "attendance_paid",
        do_record_attendance,
        first,
        actor=luotian_cadre,
        month="2023-02",
        days_worked=1,
    )
    line = PaymentLine.objects.get(person=first.person, period="2023-02")
    assert line.source_type == "assistance.attendance" and line.note == "保洁员"
    assert AuditEvent.objects.filter(event="assistance.payroll_built").count() == 1
    do_approve_batch(batch, actor=district_officer)
    # Nothing missing: rebuilding an approved batch is a no-op.
    assert do_build_payroll(shadi, "2023-02", actor=township_officer).pk == batch.pk


def test_payroll_skips_unqualified_and_ended(two_workers, luotian_cadre, township_officer, shadi):
    first, second = two_workers
    do_record_attendance(first, actor=luotian_cadre, month="2023-03", days_worked=20)
    do_record_attendance(
        second, actor=luotian_cadre, month="2023-03", days_worked=20, is_qualified=False
    )
    do_end_job(first, actor=luotian_cadre, end_on=datetime.date(2023, 3, 31))
    batch = do_build_payroll(shadi, "2023-03", actor=township_officer)
    assert list(batch.lines.values_list("person_id", flat=True)) == [first.person_id]
    refusal(
        "invalid_attendance",
        do_record_attendance,
        first,
        actor=luotian_cadre,
        month="2023-04",
        days_worked=3,
    )


def test_late_attendance_after_approval_is_refused(
    two_workers, luotian_cadre, township_officer, district_officer, shadi
):
    first, second = two_workers
    do_record_attendance(first, actor=luotian_cadre, month="2023-04", days_worked=20)
    batch = do_build_payroll(shadi, "2023-04", actor=township_officer)
    do_approve_batch(batch, actor=district_officer)
    do_record_attendance(second, actor=luotian_cadre, month="2023-04", days_worked=20)
    refusal("batch_not_draft", do_build_payroll, shadi, "2023-04", actor=township_officer)


def test_cadre_cannot_build_payroll(two_workers, luotian_cadre, luotian):
    refusal("permission_denied", do_build_payroll, luotian, "2023-02", actor=luotian_cadre)

"""公益性岗位: posts, assignments with eligibility, monthly attendance and the payroll.

Decisions (documented in docs/modules/assistance.md):
- a post is set up by the township (it fixes a subsidy): ``Perm.PREPARE_PAYMENTS``;
  assignments and attendance are village work: ``Perm.EDIT_ASSISTANCE``;
- a post is filled from its own village (本村岗位安置本村人): the person's household must be
  in the post's village;
- the payroll pays the post's full monthly subsidy for every month with qualified attendance
  (at least one day worked); no pro-rata for part months.
"""

import calendar
import datetime

from django.db import IntegrityError, transaction

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import AreaLevel
from zhenwu.assistance.actions.payments import add_lines, do_open_batch, money
from zhenwu.assistance.choices import (
    BatchStatus,
    FundingLevel,
    JobStatus,
    PaymentKind,
    SettingKey,
)
from zhenwu.assistance.models import (
    Attendance,
    JobAssignment,
    PaymentLine,
    PublicWelfarePost,
)
from zhenwu.assistance.parameters import setting_value
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.lib.ids import age_on
from zhenwu.lib.periods import PeriodError, month_period, parse_period
from zhenwu.registry.choices import HouseholdCategory, PersonStatus
from zhenwu.registry.models import Household

ELIGIBLE_CATEGORIES = (HouseholdCategory.LIFTED, HouseholdCategory.MONITORED)
ATTENDANCE_SOURCE = "assistance.attendance"
MAX_CAPACITY = 500


def first_of_month(month) -> datetime.date:
    """A date (any day) or text ``2023-06`` → the first day of that month."""
    if isinstance(month, datetime.date):
        return month.replace(day=1)
    try:
        period = parse_period(str(month))
    except PeriodError:
        raise DomainError("invalid_month") from None
    if period.kind != "month":
        raise DomainError("invalid_month")
    return period.start


def month_end(first: datetime.date) -> datetime.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


# --- posts -----------------------------------------------------------------------------


@transaction.atomic
def do_create_post(
    *, actor, village, post_type: str, funding_level: str, monthly_subsidy, capacity: int
) -> PublicWelfarePost:
    """设岗: a post in a village with its monthly subsidy and number of places."""
    require_perm(actor, Perm.PREPARE_PAYMENTS)
    require_area(actor, village, Perm.PREPARE_PAYMENTS)
    if village.level != AreaLevel.VILLAGE:
        raise DomainError("area_level")
    post_type = (post_type or "").strip()
    try:
        subsidy = money(monthly_subsidy)
        capacity = int(capacity)
    except (DomainError, TypeError, ValueError):
        raise DomainError("invalid_post") from None
    if (
        not post_type
        or len(post_type) > 50
        or funding_level not in FundingLevel.values
        or subsidy < 0
        or not 1 <= capacity <= MAX_CAPACITY
    ):
        raise DomainError("invalid_post")
    post = PublicWelfarePost.objects.create(
        village=village,
        post_type=post_type,
        funding_level=funding_level,
        monthly_subsidy=subsidy,
        capacity=capacity,
        created_by=actor,
        updated_by=actor,
    )
    audit.record(
        "assistance.post_created",
        actor=actor,
        obj=post,
        data={
            "village": village.code,
            "post_type": post_type,
            "funding_level": funding_level,
            "monthly_subsidy": str(subsidy),
            "capacity": capacity,
        },
    )
    return post


# --- assignments -----------------------------------------------------------------------


def _active_assignments():
    return JobAssignment.objects.filter(status=JobStatus.ACTIVE)


def check_eligibility(post: PublicWelfarePost, person, start_on: datetime.date) -> None:
    """Every rule of 公益性岗位安置, in the order a cadre would check them. Raises
    DomainError with a message that says what is wrong (shown on the assign form)."""
    household = person.household
    if not post.is_active:
        raise DomainError("post_inactive")
    if household.village_id != post.village_id:
        raise DomainError("job_person_not_in_village")
    if person.status != PersonStatus.ACTIVE:
        raise DomainError("job_person_inactive")
    if household.category not in ELIGIBLE_CATEGORIES:
        raise DomainError("job_not_eligible_household")
    age = age_on(person.birth_date, start_on)
    min_age = int(setting_value(post.village, SettingKey.JOB_MIN_AGE, start_on))
    max_age = int(setting_value(post.village, SettingKey.JOB_MAX_AGE, start_on))
    if age < min_age:
        raise DomainError("job_too_young", age=age, limit=min_age)
    if age > max_age:
        raise DomainError("job_too_old", age=age, limit=max_age)
    if _active_assignments().filter(person=person).exists():
        raise DomainError("job_already_assigned")
    limit = int(setting_value(post.village, SettingKey.JOBS_PER_HOUSEHOLD, start_on))
    in_household = _active_assignments().filter(household=household).count()
    if in_household >= limit:
        raise DomainError("job_household_limit", count=in_household, limit=limit)
    if _active_assignments().filter(post=post).count() >= post.capacity:
        raise DomainError("job_post_full", capacity=post.capacity)


@transaction.atomic
def do_assign_job(post: PublicWelfarePost, person, *, actor, start_on) -> JobAssignment:
    """岗位安置. Locks the post and the household so that capacity and the per-household
    limit hold under concurrent requests; the DB keeps one active post per person."""
    require_perm(actor, Perm.EDIT_ASSISTANCE)
    require_area(actor, post.village, Perm.EDIT_ASSISTANCE)
    require_area(actor, person.household.village, Perm.EDIT_ASSISTANCE)
    if not isinstance(start_on, datetime.date):
        raise DomainError("invalid_start_date")
    post = PublicWelfarePost.objects.select_for_update().select_related("village").get(pk=post.pk)
    Household.objects.select_for_update().filter(pk=person.household_id).first()
    check_eligibility(post, person, start_on)
    try:
        with transaction.atomic():
            assignment = JobAssignment.objects.create(
                post=post,
                person=person,
                household=person.household,
                start_on=start_on,
                created_by=actor,
                updated_by=actor,
            )
    except IntegrityError:
        raise DomainError("job_already_assigned") from None
    audit.record(
        "assistance.job_assigned",
        actor=actor,
        obj=assignment,
        data={
            "post": str(post.public_id),
            "person": person.id_masked,
            "household": person.household.number,
            "start_on": start_on,
        },
    )
    return assignment


@transaction.atomic
def do_end_job(assignment: JobAssignment, *, actor, end_on: datetime.date) -> JobAssignment:
    """离岗: the assignment ends on ``end_on`` (the place becomes free)."""
    require_perm(actor, Perm.EDIT_ASSISTANCE)
    require_area(actor, assignment.post.village, Perm.EDIT_ASSISTANCE)
    locked = JobAssignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.status != JobStatus.ACTIVE:
        raise DomainError("job_not_active")
    if not isinstance(end_on, datetime.date) or end_on < locked.start_on:
        raise DomainError("invalid_end_date")
    locked.status = JobStatus.ENDED
    locked.end_on = end_on
    locked.updated_by = actor
    locked.version += 1
    locked.save(update_fields=["status", "end_on", "updated_by", "version", "updated_at"])
    audit.record("assistance.job_ended", actor=actor, obj=locked, data={"end_on": end_on})
    return locked


# --- attendance ------------------------------------------------------------------------


def active_in_month(assignment: JobAssignment, first: datetime.date) -> bool:
    return assignment.start_on <= month_end(first) and (
        assignment.end_on is None or assignment.end_on >= first
    )


def payroll_line_exists(assignment: JobAssignment, first: datetime.date) -> bool:
    return PaymentLine.objects.filter(
        kind=PaymentKind.JOB_PAYROLL,
        person_id=assignment.person_id,
        period=month_period(first).code,
        reverses__isnull=True,
    ).exists()


def _attendance_days(assignment: JobAssignment, first: datetime.date, days_worked) -> int:
    try:
        days = int(days_worked)
    except (TypeError, ValueError):
        raise DomainError("invalid_attendance") from None
    if not 0 <= days <= month_end(first).day or not active_in_month(assignment, first):
        raise DomainError("invalid_attendance")
    return days


def _write_attendance(row, *, assignment, first, days: int, is_qualified, actor) -> Attendance:
    """Create or change the month's row (``row`` None: none yet) and audit the change."""
    before = None
    if row is None:
        row = Attendance(assignment=assignment, month=first, created_by=actor)
    else:
        before = {"days_worked": row.days_worked, "is_qualified": row.is_qualified}
        if before == {"days_worked": days, "is_qualified": bool(is_qualified)}:
            return row  # nothing changed: no write, no audit row
        row.version += 1
    row.days_worked = days
    row.is_qualified = bool(is_qualified)
    row.updated_by = actor
    row.save()
    audit.record(
        "assistance.attendance_recorded",
        actor=actor,
        obj=row,
        data={
            "assignment": str(assignment.public_id),
            "month": first.strftime("%Y-%m"),
            "before": before,
            "after": {"days_worked": days, "is_qualified": bool(is_qualified)},
        },
    )
    return row


@transaction.atomic
def do_record_attendance(
    assignment: JobAssignment, *, actor, month, days_worked: int, is_qualified: bool = True
) -> Attendance:
    """月度考勤: one row per assignment and month, editable until the payroll has a line."""
    require_perm(actor, Perm.EDIT_ASSISTANCE)
    require_area(actor, assignment.post.village, Perm.EDIT_ASSISTANCE)
    # The caller's object may be stale (ended meanwhile): the dates come from the row.
    assignment = JobAssignment.objects.select_for_update().get(pk=assignment.pk)
    first = first_of_month(month)
    days = _attendance_days(assignment, first, days_worked)
    if payroll_line_exists(assignment, first):
        raise DomainError("attendance_paid")
    row = Attendance.objects.select_for_update().filter(assignment=assignment, month=first).first()
    return _write_attendance(
        row, assignment=assignment, first=first, days=days, is_qualified=is_qualified, actor=actor
    )


@transaction.atomic
def do_record_attendance_sheet(entries, *, actor, month) -> list[Attendance]:
    """月度考勤表: a month's sheet (``entries``: (assignment, days_worked, is_qualified) per
    filled row) saved at once, all rows or none. Each row is checked and audited exactly as
    ``do_record_attendance`` does it; a row whose month is already on a payroll is skipped
    (paid attendance stays as it was), any other refusal raises and saves nothing. The
    assignments, paid lines and existing rows are read once for the sheet, not per row."""
    require_perm(actor, Perm.EDIT_ASSISTANCE)
    entries = list(entries)
    first = first_of_month(month)
    locked = (
        JobAssignment.objects.select_for_update()
        .select_related("post__village")
        .in_bulk([assignment.pk for assignment, _days, _ok in entries])
    )
    paid = set(
        PaymentLine.objects.filter(
            kind=PaymentKind.JOB_PAYROLL,
            person_id__in={a.person_id for a in locked.values()},
            period=month_period(first).code,
            reverses__isnull=True,
        ).values_list("person_id", flat=True)
    )
    rows = {
        row.assignment_id: row
        for row in Attendance.objects.select_for_update().filter(
            assignment_id__in=list(locked), month=first
        )
    }
    saved = []
    for given, days_worked, is_qualified in entries:
        assignment = locked.get(given.pk)
        if assignment is None:
            raise JobAssignment.DoesNotExist
        require_area(actor, assignment.post.village, Perm.EDIT_ASSISTANCE)
        days = _attendance_days(assignment, first, days_worked)
        if assignment.person_id in paid:
            continue
        rows[assignment.pk] = row = _write_attendance(
            rows.get(assignment.pk),
            assignment=assignment,
            first=first,
            days=days,
            is_qualified=is_qualified,
            actor=actor,
        )
        saved.append(row)
    return saved


# --- payroll ---------------------------------------------------------------------------


def payroll_attendance(area, first: datetime.date):
    """Qualified attendance of ``first``'s month for posts under ``area`` whose assignment
    was active that month."""
    return (
        Attendance.objects.filter(
            month=first,
            is_qualified=True,
            days_worked__gt=0,
            assignment__post__village__path__startswith=area.path,
            assignment__start_on__lte=month_end(first),
        )
        .exclude(assignment__end_on__lt=first)
        .select_related("assignment__post", "assignment__person__household__village")
        .order_by("assignment__household__number", "assignment__id")
    )


@transaction.atomic
def do_build_payroll(area, month, *, actor):
    """工资发放批次 of ``month`` for a village or a township: one line of the post's monthly
    subsidy per person with qualified attendance. Running it again adds only missing lines."""
    first = first_of_month(month)
    batch = do_open_batch(
        actor=actor, kind=PaymentKind.JOB_PAYROLL, area=area, period=month_period(first).code
    )
    paid_people = set(
        PaymentLine.objects.filter(
            kind=PaymentKind.JOB_PAYROLL, period=batch.period, reverses__isnull=True
        ).values_list("person_id", flat=True)
    )
    items = [
        {
            "person": row.assignment.person,
            "amount": row.assignment.post.monthly_subsidy,
            "note": row.assignment.post.post_type,
            "source_type": ATTENDANCE_SOURCE,
            "source_id": row.pk,
        }
        for row in payroll_attendance(area, first)
        if row.assignment.person_id not in paid_people
    ]
    if not items:
        return batch
    if batch.status != BatchStatus.DRAFT:
        raise DomainError("batch_not_draft")
    added = add_lines(batch, actor=actor, items=items)
    audit.record(
        "assistance.payroll_built",
        actor=actor,
        obj=batch,
        data={"month": batch.period, "area": area.code, "lines_added": added},
    )
    batch.refresh_from_db()
    return batch

"""The month's attendance sheet saved at once (do_record_attendance_sheet): the same checks and
audit rows as recording cell by cell, all rows or none, paid months left as they were."""

import datetime

import pytest

from zhenwu.assistance.actions.jobs import (
    do_build_payroll,
    do_record_attendance,
    do_record_attendance_sheet,
)
from zhenwu.assistance.models import Attendance
from zhenwu.assistance.tests import test_jobs
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent

MARCH = datetime.date(2023, 3, 1)
# the fixtures of the one-cell tests: a post in 螺田村 and two workers on it
job_settings, post, members = test_jobs.job_settings, test_jobs.post, test_jobs.members
two_workers = test_jobs.two_workers


def _rows():
    return {
        (row.assignment_id, row.month): (row.days_worked, row.is_qualified)
        for row in Attendance.objects.all()
    }


def _audits():
    return list(
        AuditEvent.objects.filter(event="assistance.attendance_recorded")
        .order_by("id")
        .values_list("data", flat=True)
    )


def test_sheet_saves_and_audits_like_one_cell_at_a_time(two_workers, luotian_cadre):
    first, second = two_workers
    do_record_attendance(first, actor=luotian_cadre, month="2023-03", days_worked=20)
    saved = do_record_attendance_sheet(
        [(first, 20, True), (second, "12", False)], actor=luotian_cadre, month="2023-03"
    )
    assert [row.assignment_id for row in saved] == [first.pk, second.pk]
    assert _rows() == {(first.pk, MARCH): (20, True), (second.pk, MARCH): (12, False)}
    # the unchanged cell wrote no second audit row; the new one wrote one
    assert [data["after"] for data in _audits()] == [
        {"days_worked": 20, "is_qualified": True},
        {"days_worked": 12, "is_qualified": False},
    ]
    do_record_attendance_sheet([(first, 18, True)], actor=luotian_cadre, month=MARCH)
    changed = _audits()[-1]
    assert changed["before"] == {"days_worked": 20, "is_qualified": True}
    assert changed["after"] == {"days_worked": 18, "is_qualified": True}
    assert Attendance.objects.get(assignment=first, month=MARCH).version == 2


@pytest.mark.parametrize(
    "entries, code",
    [
        (lambda a, b: [(a, 20, True), (b, 40, True)], "invalid_attendance"),
        (lambda a, b: [(a, 20, True), (b, "viele", True)], "invalid_attendance"),
        # the second worker starts on 15 February: no attendance in January
        (lambda a, b: [(a, 20, True), (b, 5, True)], "invalid_attendance_january"),
    ],
)
def test_one_refused_row_saves_nothing(two_workers, luotian_cadre, entries, code):
    month = "2023-01" if code.endswith("january") else "2023-03"
    with pytest.raises(DomainError) as error:
        do_record_attendance_sheet(entries(*two_workers), actor=luotian_cadre, month=month)
    assert error.value.code == "invalid_attendance"
    assert _rows() == {} and _audits() == []


def test_out_of_scope_cadre_saves_nothing(two_workers, makou_cadre):
    first, second = two_workers
    with pytest.raises(DomainError) as error:
        do_record_attendance_sheet(
            [(first, 20, True), (second, 20, True)], actor=makou_cadre, month="2023-03"
        )
    assert error.value.code == "out_of_scope"
    assert _rows() == {} and _audits() == []


def test_paid_month_rows_are_skipped(two_workers, luotian_cadre, township_officer, shadi):
    first, second = two_workers
    do_record_attendance(first, actor=luotian_cadre, month="2023-03", days_worked=20)
    do_build_payroll(shadi, "2023-03", actor=township_officer)
    saved = do_record_attendance_sheet(
        [(first, 3, True), (second, 9, True)], actor=luotian_cadre, month="2023-03"
    )
    assert [row.assignment_id for row in saved] == [second.pk]
    assert _rows() == {(first.pk, MARCH): (20, True), (second.pk, MARCH): (9, True)}

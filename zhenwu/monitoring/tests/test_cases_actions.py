"""识别纳入 / 风险消除 through the review chain: every transition (legal and illegal), reasons,
maker ≠ checker, verifiers, notice period, deadlines, one open case, approval, scoping,
optimistic locking and audit rows."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.monitoring import selectors
from zhenwu.monitoring.actions import cases
from zhenwu.monitoring.models import CaseEvent, MonitoringCase
from zhenwu.monitoring.tests.cases_helpers import REPORTED, D, make_clue, parameters, run_to

pytestmark = pytest.mark.django_db
__all__ = ["parameters"]


@pytest.fixture
def people(luotian_cadre, township_officer, district_officer):
    return {"cadre": luotian_cadre, "township": township_officer, "district": district_officer}


@pytest.fixture
def case(parameters, luotian_household, luotian_cadre):
    clue = make_clue(luotian_household)
    return cases.do_open_identification_case(clue, actor=luotian_cadre, risk_types=["illness"])


def code_of(call) -> str:
    with pytest.raises(DomainError) as raised:
        call()
    return raised.value.code


# --- opening -----------------------------------------------------------------------------


def test_open_case_from_clue(case, luotian_household):
    assert case.status == "draft" and case.kind == "identification"
    assert case.started_on == REPORTED
    assert case.deadline_on == REPORTED + datetime.timedelta(days=15)
    assert case.category == "100A03001"  # a 脱贫户 defaults to 脱贫不稳定户
    clue = case.clues.get()
    assert clue.status == "case_opened" and clue.household == luotian_household
    assert AuditEvent.objects.filter(event="monitoring.case_opened", object_id=str(case.public_id))
    assert case.events.get().action == "open"


def test_one_open_case_per_household(case, luotian_household, luotian_cadre):
    second = make_clue(luotian_household)
    assert (
        code_of(lambda: cases.do_open_identification_case(second, actor=luotian_cadre))
        == "open_case_exists"
    )


def test_database_backs_one_open_case(case, luotian_household):
    with pytest.raises(IntegrityError), transaction.atomic():
        MonitoringCase.objects.create(
            kind="identification",
            household=luotian_household,
            started_on=REPORTED,
            deadline_on=REPORTED,
        )


def test_clue_must_be_matched_and_open(parameters, luotian, luotian_household, luotian_cadre):
    unmatched = make_clue(luotian_household)
    unmatched.household = None
    assert (
        code_of(lambda: cases.do_open_identification_case(unmatched, actor=luotian_cadre))
        == "clue_not_ready"
    )
    dismissed = make_clue(luotian_household, status="dismissed")
    assert (
        code_of(lambda: cases.do_open_identification_case(dismissed, actor=luotian_cadre))
        == "clue_not_ready"
    )


def test_at_most_five_risk_types(parameters, luotian_household, luotian_cadre):
    clue = make_clue(luotian_household)
    six = ["illness", "schooling", "disability", "accident", "other", "unsafe_water"]
    assert (
        code_of(
            lambda: cases.do_open_identification_case(clue, actor=luotian_cadre, risk_types=six)
        )
        == "too_many_risk_types"
    )


def test_missing_deadline_parameter_is_reported(luotian_household, luotian_cadre):
    clue = make_clue(luotian_household)
    assert (
        code_of(lambda: cases.do_open_identification_case(clue, actor=luotian_cadre))
        == "parameter_missing"
    )


# --- the chain ---------------------------------------------------------------------------


def test_full_chain_makes_the_household_monitored(case, people, luotian_household):
    run_to(case, "approved", **people)
    household = luotian_household.__class__.objects.get(pk=luotian_household.pk)
    assert household.category == "monitored"
    assert household.monitoring_category == "100A03001"
    assert household.monitoring_since == D(2023, 3, 1)  # first day of the approval month
    assert household.risk_status == "unresolved"
    assert household.risks == ["illness"]
    assert household.version == luotian_household.version + 1
    steps = list(case.events.values_list("action", "from_status", "to_status"))
    assert steps[-1] == ("advance", "township_reviewed", "approved")
    assert len(steps) == 6
    case_rows = AuditEvent.objects.filter(object_id=str(case.public_id))
    assert case_rows.filter(event="monitoring.case_advance").count() == 5
    decided = AuditEvent.objects.get(event="registry.household_monitoring_decided")
    assert decided.data["changes"]["risk_status"] == ["", "unresolved"]


def test_each_step_records_its_data(case, people):
    run_to(case, "notice_posted", **people)
    assert case.verifiers == ["刘一", "陈二"] and case.verified_on == D(2023, 3, 2)
    assert (case.review_attendees, case.votes_for, case.votes_against) == (12, 11, 1)
    assert case.notice_posted_on == D(2023, 3, 4)
    assert case.notice_ends_on == D(2023, 3, 9)


@pytest.mark.parametrize(
    "status, step",
    [
        ("draft", "notice"),
        ("draft", "review"),
        ("draft", "approve"),
        ("home_verified", "verify"),
        ("home_verified", "notice"),
        ("village_reviewed", "township"),
        ("notice_posted", "approve"),
        ("township_reviewed", "notice"),
        ("approved", "approve"),
        ("approved", "verify"),
    ],
)
def test_illegal_transitions(case, people, status, step):
    run_to(case, status, **people)
    calls = {
        "verify": lambda: cases.do_record_home_verification(
            case, actor=people["cadre"], verified_on=D(2023, 3, 2), verifiers=["a", "b"]
        ),
        "review": lambda: cases.do_record_village_review(
            case,
            actor=people["cadre"],
            meeting_on=D(2023, 3, 3),
            attendees=3,
            votes_for=3,
            votes_against=0,
        ),
        "notice": lambda: cases.do_post_notice(
            case, actor=people["cadre"], posted_on=D(2023, 3, 4)
        ),
        "township": lambda: cases.do_township_review(
            case, actor=people["township"], reviewed_on=D(2023, 3, 20)
        ),
        "approve": lambda: cases.do_approve_case(
            case, actor=people["district"], approved_on=D(2023, 3, 20)
        ),
    }
    assert code_of(calls[step]) == "illegal_transition"
    assert MonitoringCase.objects.get(pk=case.pk).status == status


@pytest.mark.parametrize("verifiers", [[], ["刘一"], ["刘一", "刘一"], ["刘一", "  "]])
def test_home_verification_needs_two_people(case, luotian_cadre, verifiers):
    assert (
        code_of(
            lambda: cases.do_record_home_verification(
                case, actor=luotian_cadre, verified_on=D(2023, 3, 2), verifiers=verifiers
            )
        )
        == "too_few_verifiers"
    )
    assert MonitoringCase.objects.get(pk=case.pk).status == "draft"


def test_village_review_without_majority_rejects(case, people):
    run_to(case, "home_verified", **people)
    cases.do_record_village_review(
        case,
        actor=people["cadre"],
        meeting_on=D(2023, 3, 3),
        attendees=10,
        votes_for=5,
        votes_against=5,
        minutes="意见不一",
    )
    assert case.status == "rejected" and case.closing_reason.startswith("village_review_failed")
    assert case.review_minutes == "意见不一"
    assert case.events.last().action == "reject"


def test_votes_cannot_exceed_attendees(case, people):
    run_to(case, "home_verified", **people)
    assert (
        code_of(
            lambda: cases.do_record_village_review(
                case,
                actor=people["cadre"],
                meeting_on=D(2023, 3, 3),
                attendees=3,
                votes_for=3,
                votes_against=1,
            )
        )
        == "votes_invalid"
    )


@pytest.mark.parametrize(
    "reviewed_on, allowed",
    [(D(2023, 3, 4), False), (D(2023, 3, 8), False), (D(2023, 3, 9), True), (D(2023, 4, 1), True)],
)
def test_notice_must_run_five_days(case, people, reviewed_on, allowed):
    run_to(case, "notice_posted", **people)  # posted 2023-03-04, ends 2023-03-09
    call = lambda: cases.do_township_review(  # noqa: E731
        case, actor=people["township"], reviewed_on=reviewed_on
    )
    if allowed:
        call()
        assert case.status == "township_reviewed"
    else:
        assert code_of(call) == "notice_too_short"


def test_reviewer_differs_from_previous_step(case, people, township_officer):
    run_to(case, "village_reviewed", **people)
    cases.do_post_notice(case, actor=township_officer, posted_on=D(2023, 3, 4))
    assert (
        code_of(
            lambda: cases.do_township_review(
                case, actor=township_officer, reviewed_on=D(2023, 3, 9)
            )
        )
        == "maker_is_checker"
    )


def test_nobody_approves_a_case_they_opened(parameters, luotian_household, people):
    clue = make_clue(luotian_household)
    case = cases.do_open_identification_case(clue, actor=people["district"])
    run_to(case, "township_reviewed", **people)
    assert (
        code_of(
            lambda: cases.do_approve_case(
                case, actor=people["district"], approved_on=D(2023, 3, 20)
            )
        )
        == "maker_is_checker"
    )


def test_approver_differs_from_township_reviewer(case, people):
    run_to(case, "notice_posted", **people)
    cases.do_township_review(case, actor=people["district"], reviewed_on=D(2023, 3, 9))
    assert (
        code_of(
            lambda: cases.do_approve_case(
                case, actor=people["district"], approved_on=D(2023, 3, 10)
            )
        )
        == "maker_is_checker"
    )


# --- return and reject ---------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_return_and_reject_need_a_reason(case, people, reason):
    run_to(case, "notice_posted", **people)
    returned = lambda: cases.do_return_case(  # noqa: E731
        case, actor=people["township"], reason=reason
    )
    assert code_of(returned) == "reason_missing"
    rejected = lambda: cases.do_reject_case(case, actor=people["township"], reason=reason)  # noqa: E731
    assert code_of(rejected) == "reason_missing"


def test_return_goes_one_step_back_and_clears_it(case, people):
    run_to(case, "notice_posted", **people)
    cases.do_return_case(case, actor=people["township"], reason="公示照片缺失")
    assert case.status == "village_reviewed"
    assert case.notice_posted_on is None and case.notice_ends_on is None
    event = case.events.last()
    assert (event.action, event.reason) == ("return", "公示照片缺失")
    assert AuditEvent.objects.filter(event="monitoring.case_return").count() == 1
    cases.do_post_notice(case, actor=people["cadre"], posted_on=D(2023, 3, 6))
    assert case.notice_ends_on == D(2023, 3, 11)


def test_return_from_draft_is_illegal(case, luotian_cadre):
    assert (
        code_of(lambda: cases.do_return_case(case, actor=luotian_cadre, reason="x"))
        == "illegal_transition"
    )


def test_return_needs_the_next_steps_permission(case, people):
    run_to(case, "notice_posted", **people)  # the township reviews next, not the cadre
    assert (
        code_of(lambda: cases.do_return_case(case, actor=people["cadre"], reason="x"))
        == "permission_denied"
    )


def test_reject_closes_and_keeps_the_clue(case, people, luotian_household):
    run_to(case, "township_reviewed", **people)
    cases.do_reject_case(case, actor=people["district"], reason="收入高于监测范围")
    assert case.status == "rejected" and case.closing_reason == "收入高于监测范围"
    assert case.clues.get().status == "case_opened"
    assert (
        code_of(lambda: cases.do_reject_case(case, actor=people["district"], reason="again"))
        == "illegal_transition"
    )
    # Closed: a new clue may open a new case.
    again = cases.do_open_identification_case(make_clue(luotian_household), actor=people["cadre"])
    assert again.status == "draft"


# --- deadlines, scope, locking -------------------------------------------------------------


def test_overdue_after_the_deadline(case, luotian_cadre):
    assert not case.is_overdue(today=D(2023, 3, 16))
    assert case.is_overdue(today=D(2023, 3, 17))
    assert list(selectors.overdue_cases(luotian_cadre, today=D(2023, 3, 17))) == [case]
    assert not selectors.overdue_cases(luotian_cadre, today=D(2023, 3, 16)).exists()


def test_approved_case_is_not_overdue(case, people):
    run_to(case, "approved", **people)
    assert not case.is_overdue(today=D(2023, 5, 1))
    assert not selectors.overdue_cases(people["cadre"], today=D(2023, 5, 1)).exists()


def test_other_village_cadre_cannot_act(case, makou_cadre):
    assert (
        code_of(
            lambda: cases.do_record_home_verification(
                case, actor=makou_cadre, verified_on=D(2023, 3, 2), verifiers=["a", "b"]
            )
        )
        == "out_of_scope"
    )
    assert not selectors.visible_cases(makou_cadre).exists()
    with pytest.raises(DomainError):
        selectors.access_case(makou_cadre, case.public_id)


def test_cadre_cannot_approve(case, people):
    run_to(case, "township_reviewed", **people)
    assert (
        code_of(
            lambda: cases.do_approve_case(case, actor=people["cadre"], approved_on=D(2023, 3, 20))
        )
        == "permission_denied"
    )


def test_stale_version_conflicts(case, luotian_cadre):
    stale = MonitoringCase.objects.get(pk=case.pk)
    cases.do_record_home_verification(
        case, actor=luotian_cadre, verified_on=D(2023, 3, 2), verifiers=["a", "b"]
    )
    assert (
        code_of(lambda: cases.do_reject_case(stale, actor=luotian_cadre, reason="x")) == "conflict"
    )
    assert (
        code_of(
            lambda: cases.do_reject_case(
                case, actor=luotian_cadre, reason="x", expected_version=case.version - 1
            )
        )
        == "conflict"
    )


def test_failed_step_writes_nothing(case, luotian_cadre):
    events, audits = CaseEvent.objects.count(), AuditEvent.objects.count()
    with pytest.raises(DomainError):
        cases.do_record_home_verification(
            case, actor=luotian_cadre, verified_on=D(2023, 3, 2), verifiers=["a"]
        )
    assert (CaseEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)
    assert MonitoringCase.objects.get(pk=case.pk).version == case.version


def test_already_monitored_household_cannot_be_identified_again(case, people, luotian_household):
    run_to(case, "approved", **people)
    clue = make_clue(luotian_household)
    assert (
        code_of(lambda: cases.do_open_identification_case(clue, actor=people["cadre"]))
        == "already_monitored"
    )

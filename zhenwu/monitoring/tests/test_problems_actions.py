"""动态清零: opening, the status chain, maker ≠ checker on verification, overdue, scope."""

import pytest

from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.monitoring import selectors
from zhenwu.monitoring.actions.problems import (
    do_advance_problem,
    do_open_problem,
    do_update_problem,
    is_overdue,
)
from zhenwu.monitoring.tests.cases_helpers import D

pytestmark = pytest.mark.django_db


@pytest.fixture
def problem(luotian_household, luotian_cadre):
    return do_open_problem(
        luotian_household,
        actor=luotian_cadre,
        kind="water",
        description="自来水断供",
        owner="刘一",
        found_on=D(2023, 3, 1),
        deadline_on=D(2023, 3, 31),
    )


def code_of(call) -> str:
    with pytest.raises(DomainError) as raised:
        call()
    return raised.value.code


def test_open_is_audited(problem):
    assert problem.status == "open"
    assert AuditEvent.objects.filter(
        event="monitoring.problem_opened", object_id=str(problem.public_id)
    ).exists()


def test_full_chain_with_another_verifier(problem, luotian_cadre, township_officer):
    do_advance_problem(problem, actor=luotian_cadre, status="in_progress", on=D(2023, 3, 5))
    do_advance_problem(
        problem, actor=luotian_cadre, status="fixed", on=D(2023, 3, 20), resolution="已接通"
    )
    assert problem.fixed_on == D(2023, 3, 20) and problem.fixed_by == luotian_cadre
    do_advance_problem(problem, actor=township_officer, status="verified", on=D(2023, 3, 22))
    assert problem.status == "verified" and problem.verified_on == D(2023, 3, 22)
    assert AuditEvent.objects.filter(event="monitoring.problem_advanced").count() == 3


def test_fixer_cannot_verify(problem, luotian_cadre):
    do_advance_problem(problem, actor=luotian_cadre, status="fixed", on=D(2023, 3, 20))
    assert (
        code_of(
            lambda: do_advance_problem(
                problem, actor=luotian_cadre, status="verified", on=D(2023, 3, 21)
            )
        )
        == "maker_is_checker"
    )


def test_failed_check_sends_back_to_work(problem, luotian_cadre, township_officer):
    do_advance_problem(problem, actor=luotian_cadre, status="fixed", on=D(2023, 3, 20))
    do_advance_problem(problem, actor=township_officer, status="in_progress", on=D(2023, 3, 21))
    assert problem.status == "in_progress" and problem.fixed_on is None


@pytest.mark.parametrize(
    "path, target",
    [([], "verified"), (["in_progress"], "open"), (["fixed"], "open"), (["in_progress"], "x")],
)
def test_illegal_transitions(problem, luotian_cadre, path, target):
    for status in path:
        do_advance_problem(problem, actor=luotian_cadre, status=status, on=D(2023, 3, 20))
    assert (
        code_of(
            lambda: do_advance_problem(
                problem, actor=luotian_cadre, status=target, on=D(2023, 3, 21)
            )
        )
        == "illegal_transition"
    )


def test_overdue_only_while_not_fixed(problem, luotian_cadre, township_officer):
    assert not is_overdue(problem, D(2023, 3, 31))
    assert is_overdue(problem, D(2023, 4, 1))
    overdue = selectors.filter_problems(
        selectors.visible_problems(luotian_cadre), {"overdue": True}, today=D(2023, 4, 1)
    )
    assert list(overdue) == [problem]
    do_advance_problem(problem, actor=luotian_cadre, status="fixed", on=D(2023, 4, 3))
    assert not is_overdue(problem, D(2023, 4, 5))


def test_deadline_before_found_is_refused(luotian_household, luotian_cadre):
    assert (
        code_of(
            lambda: do_open_problem(
                luotian_household,
                actor=luotian_cadre,
                kind="housing",
                description="x",
                owner="y",
                found_on=D(2023, 3, 2),
                deadline_on=D(2023, 3, 1),
            )
        )
        == "date_order"
    )


def test_edit_while_open(problem, luotian_cadre):
    do_update_problem(problem, actor=luotian_cadre, changes={"deadline_on": D(2023, 4, 15)})
    assert problem.deadline_on == D(2023, 4, 15)
    assert AuditEvent.objects.get(event="monitoring.problem_updated").data["changes"]


def test_other_village_cadre_cannot_touch(problem, makou_cadre):
    assert (
        code_of(
            lambda: do_advance_problem(problem, actor=makou_cadre, status="fixed", on=D(2023, 3, 9))
        )
        == "out_of_scope"
    )
    assert not selectors.visible_problems(makou_cadre).exists()

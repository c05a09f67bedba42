"""Clue actions: report (scope, village, dedup against open clues and cases), start
verifying, dismiss (reason required), illegal transitions, audit rows."""

import datetime

import pytest

from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.monitoring.actions.clues import do_dismiss_clue, do_report_clue, do_start_verifying
from zhenwu.monitoring.models import Clue, MonitoringCase

pytestmark = pytest.mark.django_db
D = datetime.date


def report(actor, village, household=None, **extra):
    return do_report_clue(
        actor=actor,
        village=village,
        channel=extra.pop("channel", "cadre_screening"),
        reported_on=extra.pop("reported_on", D(2023, 3, 1)),
        household=household,
        **extra,
    )


def test_cadre_reports_a_clue_for_a_household_of_the_village(
    luotian_cadre, luotian, luotian_household
):
    clue = report(
        luotian_cadre, luotian, luotian_household, risk_types=["illness"], description=" 住院 "
    )
    assert clue.status == "new" and clue.description == "住院"
    assert clue.risk_types == ["illness"] and clue.created_by == luotian_cadre
    row = AuditEvent.objects.get(event="monitoring.clue_reported", object_id=str(clue.public_id))
    assert row.username == "luotian"
    assert row.data["household"] == str(luotian_household.public_id)


def test_luotian_cadre_cannot_report_for_makou(luotian_cadre, makou, makou_household):
    with pytest.raises(DomainError) as error:
        report(luotian_cadre, makou, makou_household)
    assert error.value.code == "out_of_scope"
    assert not Clue.objects.exists()


def test_household_must_belong_to_the_village(
    luotian_cadre, township_officer, luotian, makou_household
):
    # Even the township officer, who may act in both villages.
    with pytest.raises(DomainError) as error:
        report(township_officer, luotian, makou_household)
    assert error.value.code == "household_not_in_village"


@pytest.mark.parametrize("persona", ["auditor", "department_clerk", "no_membership_user"])
def test_roles_without_clue_permission_are_refused(request, persona, luotian):
    with pytest.raises(DomainError) as error:
        report(request.getfixturevalue(persona), luotian)
    assert error.value.code == "permission_denied"


def test_an_open_clue_blocks_a_second(luotian_cadre, luotian, luotian_household):
    report(luotian_cadre, luotian, luotian_household)
    with pytest.raises(DomainError) as error:
        report(luotian_cadre, luotian, luotian_household, channel="department")
    assert error.value.code == "duplicate_clue"
    assert Clue.objects.count() == 1


def test_a_verifying_clue_also_blocks(luotian_cadre, luotian, luotian_household):
    do_start_verifying(report(luotian_cadre, luotian, luotian_household), actor=luotian_cadre)
    with pytest.raises(DomainError):
        report(luotian_cadre, luotian, luotian_household)


def test_a_dismissed_clue_does_not_block(luotian_cadre, luotian, luotian_household):
    do_dismiss_clue(
        report(luotian_cadre, luotian, luotian_household), actor=luotian_cadre, reason="收入稳定"
    )
    assert report(luotian_cadre, luotian, luotian_household).status == "new"


def test_an_open_case_blocks_a_clue(luotian_cadre, luotian, luotian_household):
    MonitoringCase.objects.create(
        kind="identification",
        household=luotian_household,
        started_on=D(2023, 2, 1),
        deadline_on=D(2023, 2, 16),
    )
    with pytest.raises(DomainError) as error:
        report(luotian_cadre, luotian, luotian_household)
    assert error.value.code == "duplicate_clue"


def test_a_closed_case_does_not_block(luotian_cadre, luotian, luotian_household):
    MonitoringCase.objects.create(
        kind="identification",
        household=luotian_household,
        status="approved",
        started_on=D(2022, 2, 1),
        deadline_on=D(2022, 2, 16),
    )
    assert report(luotian_cadre, luotian, luotian_household).pk


def test_a_village_clue_without_household_is_allowed_twice(luotian_cadre, luotian):
    report(luotian_cadre, luotian, description="村民反映")
    report(luotian_cadre, luotian, description="村民反映")
    assert Clue.objects.filter(household=None).count() == 2


@pytest.mark.parametrize("risk_types", [["nonsense"], ["illness"] * 1 + ["a", "b", "c", "d", "e"]])
def test_invalid_risk_types_are_refused(luotian_cadre, luotian, risk_types):
    with pytest.raises(DomainError) as error:
        report(luotian_cadre, luotian, risk_types=risk_types)
    assert error.value.code == "invalid_risk_types"


def test_start_verifying_then_dismiss_with_reason(luotian_cadre, luotian, luotian_household):
    clue = report(luotian_cadre, luotian, luotian_household)
    do_start_verifying(clue, actor=luotian_cadre)
    assert clue.status == "verifying" and clue.version == 2
    do_dismiss_clue(clue, actor=luotian_cadre, reason="  经核实收入高于监测范围 ")
    clue.refresh_from_db()
    assert clue.status == "dismissed" and clue.dismissed_reason == "经核实收入高于监测范围"
    row = AuditEvent.objects.get(event="monitoring.clue_dismissed")
    assert row.data["status"] == ["verifying", "dismissed"]
    assert row.data["dismissed_reason"] == "经核实收入高于监测范围"


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_dismissal_needs_a_reason(luotian_cadre, luotian, reason):
    clue = report(luotian_cadre, luotian)
    with pytest.raises(DomainError) as error:
        do_dismiss_clue(clue, actor=luotian_cadre, reason=reason)
    assert error.value.code == "reason_missing"
    clue.refresh_from_db()
    assert clue.status == "new"


def test_illegal_transitions_raise(luotian_cadre, luotian):
    clue = report(luotian_cadre, luotian)
    do_start_verifying(clue, actor=luotian_cadre)
    with pytest.raises(DomainError) as error:
        do_start_verifying(clue, actor=luotian_cadre)
    assert error.value.code == "illegal_transition"
    do_dismiss_clue(clue, actor=luotian_cadre, reason="重复")
    for action in (
        lambda: do_start_verifying(clue, actor=luotian_cadre),
        lambda: do_dismiss_clue(clue, actor=luotian_cadre, reason="再次"),
    ):
        with pytest.raises(DomainError) as error:
            action()
        assert error.value.code == "illegal_transition"


def test_stale_object_cannot_skip_the_table(luotian_cadre, luotian):
    """The transition is checked against the locked row, not the caller's copy."""
    clue = report(luotian_cadre, luotian)
    stale = Clue.objects.get(pk=clue.pk)
    do_dismiss_clue(clue, actor=luotian_cadre, reason="不符合")
    with pytest.raises(DomainError) as error:
        do_start_verifying(stale, actor=luotian_cadre)
    assert error.value.code == "illegal_transition"


def test_makou_cadre_cannot_dismiss_a_luotian_clue(luotian_cadre, makou_cadre, luotian):
    clue = report(luotian_cadre, luotian)
    with pytest.raises(DomainError) as error:
        do_dismiss_clue(clue, actor=makou_cadre, reason="x")
    assert error.value.code == "out_of_scope"

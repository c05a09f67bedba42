"""交通补贴: eligibility, amount by destination, one per person-year, maker ≠ checker, batch."""

import datetime
from decimal import Decimal

import pytest

from zhenwu.assistance import selectors
from zhenwu.assistance.actions import payments
from zhenwu.assistance.actions import transport as actions
from zhenwu.assistance.choices import ApplicationStatus, PaymentKind
from zhenwu.assistance.models import PaymentLine, TransportApplication
from zhenwu.assistance.tests.support_loans import household_with, load_settings, member
from zhenwu.core.errors import DomainError, NotFound
from zhenwu.core.models import AuditEvent

D = datetime.date


@pytest.fixture
def worker(shadi, luotian_household):
    load_settings(shadi)
    return luotian_household.head


def apply(actor, person, **overrides):
    values = {
        "year": 2023,
        "destination": "out_of_province",
        "employer": "东莞某电子厂",
        "months_worked": 6,
        "evidence": "劳动合同、工资流水",
        "applied_on": D(2023, 6, 10),
    }
    values.update(overrides)
    return actions.do_apply_transport_subsidy(actor=actor, person=person, **values)


def refusal(actor, person, **overrides) -> DomainError:
    with pytest.raises(DomainError) as caught:
        apply(actor, person, **overrides)
    return caught.value


@pytest.mark.parametrize(
    ("destination", "amount"),
    [("in_county", "200.00"), ("in_province", "300.00"), ("out_of_province", "500.00")],
)
def test_amount_by_destination(luotian_cadre, worker, destination, amount):
    application = apply(luotian_cadre, worker, destination=destination)
    assert application.amount == Decimal(amount)
    assert application.status == ApplicationStatus.SUBMITTED
    event = AuditEvent.objects.filter(event="assistance.transport_applied").latest("id")
    assert event.object_id == str(application.public_id)


def test_one_application_per_person_and_year(luotian_cadre, worker):
    apply(luotian_cadre, worker)
    error = refusal(luotian_cadre, worker, destination="in_county")
    assert error.code == "transport_duplicate"
    assert "2023年已申请过" in error.message
    assert apply(luotian_cadre, worker, year=2022).year == 2022
    assert TransportApplication.objects.filter(person=worker).count() == 2


def test_months_and_household_category(luotian_cadre, worker, township_officer, luotian):
    error = refusal(luotian_cadre, worker, months_worked=2)
    assert error.code == "transport_months" and "3至12个月" in error.message
    general = household_with(township_officer, luotian, "LT-G", [D(1990, 1, 1)], category="general")
    error = refusal(luotian_cadre, member(general))
    assert error.code == "transport_ineligible"
    monitored = household_with(
        township_officer, luotian, "LT-M", [D(1990, 1, 1)], category="monitored"
    )
    assert apply(luotian_cadre, member(monitored)).pk


def test_scope_of_applicant(makou_cadre, worker):
    assert refusal(makou_cadre, worker).code == "out_of_scope"


def test_verify_approve_maker_is_not_checker(
    luotian_cadre, township_officer, district_officer, worker
):
    application = apply(luotian_cadre, worker)
    with pytest.raises(DomainError) as early:
        actions.do_approve_application(application, actor=district_officer)
    assert early.value.code == "illegal_transition"
    with pytest.raises(DomainError) as cadre:
        actions.do_verify_application(application, actor=luotian_cadre)
    assert cadre.value.code == "permission_denied"
    actions.do_verify_application(application, actor=township_officer)
    with pytest.raises(DomainError) as same:
        actions.do_approve_application(application, actor=township_officer)
    assert same.value.code == "maker_is_checker"
    actions.do_approve_application(application, actor=district_officer)
    assert TransportApplication.objects.get(pk=application.pk).status == "approved"
    events = AuditEvent.objects.filter(object_id=str(application.public_id))
    assert {"assistance.transport_verified", "assistance.transport_approved"} <= set(
        events.values_list("event", flat=True)
    )


def test_reject_needs_reason(luotian_cadre, township_officer, worker):
    application = apply(luotian_cadre, worker)
    with pytest.raises(DomainError) as caught:
        actions.do_reject_application(application, actor=township_officer, reason=" ")
    assert caught.value.code == "reason_missing"
    actions.do_reject_application(application, actor=township_officer, reason="务工证明不实")
    stored = TransportApplication.objects.get(pk=application.pk)
    assert (stored.status, stored.rejection_reason) == ("rejected", "务工证明不实")


def test_stale_version_conflicts(luotian_cadre, township_officer, worker):
    application = apply(luotian_cadre, worker)
    with pytest.raises(DomainError) as caught:
        actions.do_verify_application(
            application, actor=township_officer, expected_version=application.version + 1
        )
    assert caught.value.code == "conflict"


def approved(person, cadre, preparer, approver, **overrides):
    application = apply(cadre, person, **overrides)
    actions.do_verify_application(application, actor=preparer)
    actions.do_approve_application(application, actor=approver)
    return application


def test_batch_one_line_per_approved_application_and_paid_is_derived(
    luotian_cadre, township_officer, district_officer, worker, shadi
):
    first = approved(worker, luotian_cadre, township_officer, district_officer)
    spouse = member(worker.household, 1)
    pending = apply(luotian_cadre, spouse, destination="in_province")
    batch = actions.do_build_transport_batch(shadi, 2023, actor=township_officer)
    assert (batch.kind, batch.period, batch.line_count) == (PaymentKind.TRANSPORT, "2023", 1)
    assert batch.total_amount == Decimal("500.00")
    actions.do_verify_application(pending, actor=township_officer)
    actions.do_approve_application(pending, actor=district_officer)
    again = actions.do_build_transport_batch(shadi, 2023, actor=township_officer)
    assert again.pk == batch.pk and again.line_count == 2
    assert again.total_amount == Decimal("800.00")
    third = actions.do_build_transport_batch(shadi, 2023, actor=township_officer)
    assert third.line_count == 2
    line = PaymentLine.objects.get(source_id=first.pk)
    assert line.source_type == actions.TRANSPORT_SOURCE

    row = selectors.visible_transport_applications(township_officer).get(pk=first.pk)
    assert not row.is_paid
    payments.do_approve_batch(batch, actor=district_officer)
    payments.export_bank_file(batch, actor=district_officer)
    batch.refresh_from_db()
    payments.do_mark_paid(batch, actor=district_officer, paid_on=datetime.date.today())
    row = selectors.visible_transport_applications(township_officer).get(pk=first.pk)
    assert row.is_paid


def test_makou_cadre_sees_no_luotian_applications(luotian_cadre, makou_cadre, worker):
    application = apply(luotian_cadre, worker)
    assert selectors.visible_transport_applications(luotian_cadre).count() == 1
    assert not selectors.visible_transport_applications(makou_cadre).exists()
    with pytest.raises(NotFound):
        selectors.access_transport_application(makou_cadre, application.public_id)

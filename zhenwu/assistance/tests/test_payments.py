"""Payment batches: idempotent lines, Decimal money, transitions, maker ≠ checker, bank file,
reversal, scoping and audit."""

import datetime
import io
import threading
from decimal import Decimal

import pytest
from django.db import connection
from python_calamine import CalamineWorkbook

from zhenwu.assistance.actions import payments
from zhenwu.assistance.actions.payments import (
    do_add_line,
    do_approve_batch,
    do_mark_paid,
    do_open_batch,
    do_reverse_line,
    export_bank_file,
)
from zhenwu.assistance.choices import BatchStatus, PaymentKind
from zhenwu.assistance.models import PaymentBatch
from zhenwu.assistance.states import BATCH_TRANSITIONS, check_batch_transition
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent

KIND = PaymentKind.JOB_PAYROLL


def codes(excinfo):
    return excinfo.value.code


@pytest.fixture
def batch(township_officer, luotian):
    return do_open_batch(actor=township_officer, kind=KIND, area=luotian, period="2023-06")


@pytest.fixture
def head(luotian_household):
    return luotian_household.members.get(relation="head")


def paid_batch(batch, head, township_officer, district_officer):
    do_add_line(batch, actor=township_officer, person=head, amount=Decimal("500"))
    do_approve_batch(batch, actor=district_officer)
    export_bank_file(batch, actor=district_officer)
    return do_mark_paid(batch, actor=district_officer, paid_on=datetime.date.today())


def test_open_batch_returns_the_existing_one(batch, township_officer, luotian):
    again = do_open_batch(actor=township_officer, kind=KIND, area=luotian, period="2023-6")
    assert again.pk == batch.pk and batch.period == "2023-06"
    assert PaymentBatch.objects.filter(kind=KIND, area=luotian).count() == 1
    assert AuditEvent.objects.filter(event="assistance.batch_opened").count() == 1


def test_open_batch_refuses_bad_input_and_scope(township_officer, luotian_cadre, luotian, makou):
    with pytest.raises(DomainError) as error:
        do_open_batch(actor=township_officer, kind=KIND, area=luotian, period="June")
    assert codes(error) == "invalid_period"
    with pytest.raises(DomainError) as error:
        do_open_batch(actor=township_officer, kind="cash", area=luotian, period="2023-06")
    assert codes(error) == "invalid_payment_kind"
    # Cadres do not prepare payments.
    with pytest.raises(DomainError) as error:
        do_open_batch(actor=luotian_cadre, kind=KIND, area=luotian, period="2023-06")
    assert codes(error) == "permission_denied"


def test_same_person_twice_yields_one_line(batch, head, township_officer):
    first = do_add_line(batch, actor=township_officer, person=head, amount=Decimal("500"))
    second = do_add_line(batch, actor=township_officer, person=head, amount=Decimal("600"))
    assert first.pk == second.pk and second.amount == Decimal("500.00")
    batch.refresh_from_db()
    assert batch.line_count == 1 and batch.total_amount == Decimal("500.00")
    assert AuditEvent.objects.filter(event="assistance.payment_line_added").count() == 1


def test_amounts_are_decimal_rounded_half_up(batch, luotian_household, township_officer):
    members = list(luotian_household.members.order_by("id"))
    do_add_line(batch, actor=township_officer, person=members[0], amount="0.005")
    do_add_line(batch, actor=township_officer, person=members[1], amount=Decimal("333.335"))
    do_add_line(batch, actor=township_officer, person=members[2], amount=1)
    batch.refresh_from_db()
    amounts = sorted(batch.lines.values_list("amount", flat=True))
    assert amounts == [Decimal("0.01"), Decimal("1.00"), Decimal("333.34")]
    assert batch.total_amount == Decimal("334.35") and batch.line_count == 3


@pytest.mark.parametrize("amount", [-1, 0.1, "abc", None, "NaN"])
def test_bad_amounts_are_refused(batch, head, township_officer, amount):
    with pytest.raises(DomainError) as error:
        do_add_line(batch, actor=township_officer, person=head, amount=amount)
    assert codes(error) == "invalid_amount"


def test_person_outside_batch_area_is_refused(batch, makou_household, township_officer):
    person = makou_household.members.first()
    with pytest.raises(DomainError) as error:
        do_add_line(batch, actor=township_officer, person=person, amount=Decimal("1"))
    assert codes(error) == "person_not_in_area"


def test_transition_table_and_illegal_moves(batch, head, township_officer, district_officer):
    assert BATCH_TRANSITIONS[BatchStatus.PAID] == set()
    with pytest.raises(DomainError):
        check_batch_transition(BatchStatus.DRAFT, BatchStatus.PAID)
    do_add_line(batch, actor=township_officer, person=head, amount=Decimal("500"))
    for illegal in (export_bank_file, lambda b, actor: do_mark_paid(b, actor=actor, paid_on=None)):
        with pytest.raises(DomainError) as error:
            illegal(batch, actor=district_officer)
        assert codes(error) == "illegal_transition"
    do_approve_batch(batch, actor=district_officer)
    with pytest.raises(DomainError) as error:
        do_add_line(batch, actor=township_officer, person=head, amount=Decimal("1"))
    assert codes(error) == "batch_not_draft"
    with pytest.raises(DomainError) as error:
        do_mark_paid(batch, actor=district_officer, paid_on=datetime.date.today())
    assert codes(error) == "illegal_transition"
    export_bank_file(batch, actor=district_officer)
    export_bank_file(batch, actor=district_officer)  # re-export allowed
    with pytest.raises(DomainError) as error:
        do_mark_paid(batch, actor=district_officer, paid_on=datetime.date(2999, 1, 1))
    assert codes(error) == "invalid_paid_on"
    # Back-filled ledgers record a past payment day.
    batch = do_mark_paid(batch, actor=district_officer, paid_on=datetime.date(2023, 7, 10))
    assert batch.status == BatchStatus.PAID and batch.paid_on == datetime.date(2023, 7, 10)
    with pytest.raises(DomainError) as error:
        export_bank_file(batch, actor=district_officer)
    assert codes(error) == "illegal_transition"
    events = list(
        AuditEvent.objects.filter(event__startswith="assistance.batch_").values_list(
            "event", flat=True
        )
    )
    assert events.count("assistance.batch_exported") == 2
    assert "assistance.batch_paid" in events and "assistance.batch_approved" in events


def test_maker_is_not_checker(batch, head, township_officer, district_officer):
    with pytest.raises(DomainError) as error:
        do_approve_batch(batch, actor=district_officer)
    assert codes(error) == "batch_empty"
    do_add_line(batch, actor=township_officer, person=head, amount=Decimal("500"))
    with pytest.raises(DomainError) as error:
        do_approve_batch(batch, actor=township_officer)
    assert codes(error) == "maker_is_checker"
    assert payments.can_approve(batch, district_officer)
    assert not payments.can_approve(batch, township_officer)


def test_second_approval_with_a_stale_object_fails(batch, head, township_officer, district_officer):
    do_add_line(batch, actor=township_officer, person=head, amount=Decimal("500"))
    stale_a = PaymentBatch.objects.get(pk=batch.pk)
    stale_b = PaymentBatch.objects.get(pk=batch.pk)
    do_approve_batch(stale_a, actor=district_officer)
    assert stale_b.status == BatchStatus.DRAFT
    with pytest.raises(DomainError) as error:
        do_approve_batch(stale_b, actor=district_officer)
    assert codes(error) == "illegal_transition"
    assert AuditEvent.objects.filter(event="assistance.batch_approved").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_one_wins(world):
    from zhenwu.testing import personas

    township, district = world.users["township_officer"], world.users["district_officer"]
    household = personas.make_household(
        township,
        world.areas["luotian"],
        "LTC001",
        [("并发测", datetime.date(1970, 1, 1), "head")],
        category="lifted",
    )
    batch = do_open_batch(actor=township, kind=KIND, area=world.areas["luotian"], period="2023-07")
    do_add_line(batch, actor=township, person=household.members.get(), amount=Decimal("500"))
    barrier = threading.Barrier(2)
    results = []

    def approve():
        stale = PaymentBatch.objects.get(pk=batch.pk)
        barrier.wait()
        try:
            do_approve_batch(stale, actor=district)
            results.append("ok")
        except DomainError as error:
            results.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["illegal_transition", "ok"]


def test_bank_file_has_the_rows(batch, luotian_household, township_officer, district_officer):
    from zhenwu.registry.models import Person

    members = list(luotian_household.members.order_by("id"))
    Person.objects.filter(pk=members[0].pk).update(bank_account="")
    members[1].bank_account = "=HYPERLINK(1)"  # formula text must stay text
    members[1].save(update_fields=["bank_account"])
    for member in members[:2]:
        do_add_line(batch, actor=township_officer, person=member, amount=Decimal("500.50"))
    do_approve_batch(batch, actor=district_officer)
    data = export_bank_file(batch, actor=district_officer)
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = book.get_sheet_by_name("代发明细").to_python()
    assert rows[0] == ["序号", "姓名", "身份证号", "银行账号", "金额", "摘要"]
    assert len(rows) == 3
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name[members[0].name][2] == members[0].id_number  # full ID for the bank
    assert by_name[members[0].name][3] == ""
    assert by_name[members[1].name][3] == "'=HYPERLINK(1)"
    assert by_name[members[1].name][4] == 500.5
    notes = [row[0] for row in book.get_sheet_by_name("核对提示").to_python()]
    assert any("缺少银行账号" in note and members[0].name in note for note in notes)
    event = AuditEvent.objects.get(event="assistance.batch_exported")
    assert event.data["rows"] == 2 and event.data["missing_accounts"] == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED and batch.exported_at


def test_cadre_cannot_export(batch, head, township_officer, district_officer, luotian_cadre):
    do_add_line(batch, actor=township_officer, person=head, amount=Decimal("500"))
    do_approve_batch(batch, actor=district_officer)
    with pytest.raises(DomainError) as error:
        export_bank_file(batch, actor=luotian_cadre)
    assert codes(error) == "permission_denied"


def test_reversal(batch, head, township_officer, district_officer):
    paid_batch(batch, head, township_officer, district_officer)
    line = batch.lines.get()
    with pytest.raises(DomainError) as error:
        do_reverse_line(line, actor=township_officer, reason=" ")
    assert codes(error) == "reason_missing"
    reversal = do_reverse_line(line, actor=township_officer, reason="重复发放")
    assert reversal.amount == Decimal("-500.00") and reversal.reverses_id == line.pk
    assert reversal.kind == line.kind and reversal.period == "2023-06"
    correction = PaymentBatch.objects.get(pk=reversal.batch_id)
    assert correction.period == "2023-06R" and correction.status == BatchStatus.DRAFT
    assert correction.total_amount == Decimal("-500.00") and correction.line_count == 1
    with pytest.raises(DomainError) as error:
        do_reverse_line(line, actor=township_officer, reason="again")
    assert codes(error) == "already_reversed"
    with pytest.raises(DomainError) as error:
        do_reverse_line(reversal, actor=township_officer, reason="again")
    assert codes(error) == "reverse_not_paid"
    assert AuditEvent.objects.filter(event="assistance.payment_line_reversed").count() == 1
    # The correction batch goes through the same chain.
    do_approve_batch(correction, actor=district_officer)
    data = export_bank_file(correction, actor=district_officer)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("代发明细")
    assert rows.to_python()[1][4] == -500.0


def test_reverse_only_paid_lines(batch, head, township_officer):
    line = do_add_line(batch, actor=township_officer, person=head, amount=Decimal("500"))
    with pytest.raises(DomainError) as error:
        do_reverse_line(line, actor=township_officer, reason="x")
    assert codes(error) == "reverse_not_paid"


def test_next_correction_batch_when_the_first_has_left_draft(
    batch, luotian_household, township_officer, district_officer
):
    first, second = list(luotian_household.members.order_by("id"))[:2]
    do_add_line(batch, actor=township_officer, person=second, amount=Decimal("10"))
    paid_batch(batch, first, township_officer, district_officer)
    lines = list(batch.lines.order_by("id"))
    reversal = do_reverse_line(lines[0], actor=township_officer, reason="错发")
    do_approve_batch(reversal.batch, actor=district_officer)
    again = do_reverse_line(lines[1], actor=township_officer, reason="错发")
    assert again.batch.period == "2023-06R2"
    assert payments.correction_periods("2023-06R2")[0] == "2023-06R"


def test_reverse_needs_the_prepare_permission(
    batch, head, township_officer, district_officer, luotian_cadre
):
    paid_batch(batch, head, township_officer, district_officer)
    with pytest.raises(DomainError) as error:
        do_reverse_line(batch.lines.get(), actor=luotian_cadre, reason="x")
    assert codes(error) == "permission_denied"

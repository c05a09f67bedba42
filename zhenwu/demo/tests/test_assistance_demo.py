"""The assistance demo on a small town: the figures come out of the ledgers written by the
actions (issue, assign, attend, build, approve, export, pay), never typed in.

The full targets (105 borrowers / 5,120,000 yuan; 288 job holders; 615 transport recipients,
215,900 yuan) need about 6,000 households; a test town of HOUSEHOLDS has enough 脱贫户 for
the loan target exactly (asserted) and cuts the job and transport targets to what it has
(``DemoTargets.fit``): those figures are asserted against the cut targets."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from zhenwu.areas.models import Area
from zhenwu.assistance.choices import BatchStatus, PaymentKind
from zhenwu.assistance.models import Attendance, Loan, PaymentBatch
from zhenwu.assistance.stats import assistance_figures
from zhenwu.core.models import AuditEvent
from zhenwu.demo.assistance import DemoTargets, transport_mix
from zhenwu.demo.builder import build_demo
from zhenwu.demo.generator import TOWNSHIP_CODE
from zhenwu.lib.periods import parse_period

HOUSEHOLDS = 1000  # the smallest town with 105 eligible borrowers (seed 2023)


def _build(tmp_path):
    out = io.StringIO()
    summary = build_demo(
        households=HOUSEHOLDS, seed=2023, stdout=out, workdir=tmp_path, monitoring=False
    )
    return summary, out.getvalue()


def _figures() -> dict:
    township = Area.objects.get(code=TOWNSHIP_CODE)
    figures = assistance_figures(township, parse_period("2023H1"))
    return {key: item["value"] for key, item in figures["figures"].items()}


def test_demo_figures_come_from_the_ledgers(db, tmp_path):
    summary, output = _build(tmp_path)
    demo = summary.assistance
    targets = demo.targets
    got = _figures()

    assert targets.borrowers == 105  # the loan target is met exactly at this size
    assert (got["loan_borrowers"], got["loan_amount"]) == (105, Decimal("5120000.00"))
    assert Loan.objects.filter(amount=Decimal("24000")).count() == 5

    assert got["job_people"] == targets.job_people == demo.job_people > 0
    assert got["job_paid"] == targets.job_rate * 6 * targets.job_people
    assert got["transport_people"] == targets.transport_people == demo.transport_people > 0
    assert got["transport_amount"] == demo.transport_total

    payrolls = PaymentBatch.objects.filter(kind=PaymentKind.JOB_PAYROLL).order_by("period")
    assert [b.period for b in payrolls] == [f"2023-0{m}" for m in range(1, 7)]
    for batch in payrolls:
        assert batch.status == BatchStatus.PAID
        assert batch.approved_by_id != batch.created_by_id  # maker ≠ checker
        assert batch.exported_at is not None
        assert batch.paid_on == datetime.date(2023, int(batch.period[-1]) + 1, 10)
    assert Attendance.objects.count() == 6 * targets.job_people

    # every step went through an action: one audit row each
    assert AuditEvent.objects.filter(event="assistance.loan_issued").count() == 105
    assert AuditEvent.objects.filter(event="assistance.batch_paid").count() == 7
    assert AuditEvent.objects.filter(event="assistance.transport_approved").count() == (
        targets.transport_people
    )
    assert "帮扶演示：发放贷款 105 笔，5,120,000.00 元" in output

    report = io.StringIO()
    call_command("report", "assistance", "--area", "沙地镇", "--period", "2023H1", stdout=report)
    assert "产业振兴信贷通：发放贷款 105 人，金额 512.00 万元" in report.getvalue()


def test_full_targets_add_up():
    targets = DemoTargets()
    assert targets.loan_total == Decimal("5120000")
    assert len(targets.loan_amounts) == 105
    assert targets.job_rate * 6 * targets.job_people == Decimal("864000")


@pytest.mark.parametrize(
    ("pools", "expected"),
    [
        ({"in_county": 0, "in_province": 500, "out_of_province": 800}, (0, 458, 157)),
        (
            {"in_county": 100, "in_province": 402, "out_of_province": 720},
            (38, 401, 176),
        ),  # 7,600 + 120,300 + 88,000
        ({"in_county": 0, "in_province": 100, "out_of_province": 100}, None),
    ],
)
def test_transport_mix_hits_215900(pools, expected):
    amounts = {
        "in_county": Decimal("200"),
        "in_province": Decimal("300"),
        "out_of_province": Decimal("500"),
    }
    mix = transport_mix(pools, amounts, 615, Decimal("215900"))
    if expected is None:
        assert mix is None
        return
    assert tuple(mix.values()) == expected
    assert sum(mix.values()) == 615
    assert sum(amounts[k] * n for k, n in mix.items()) == Decimal("215900")

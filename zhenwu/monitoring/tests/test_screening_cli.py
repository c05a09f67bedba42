"""zhenwu open_rounds: every village under the area, idempotent, audited as the console."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from zhenwu.areas.selectors import villages_under
from zhenwu.core.models import AuditEvent
from zhenwu.monitoring.models import ScreeningRound

pytestmark = pytest.mark.django_db

JUNE = datetime.date(2023, 6, 1)


def run(*args) -> str:
    out = StringIO()
    call_command("open_rounds", *args, stdout=out)
    return out.getvalue()


def test_opens_every_village_once(shadi, luotian, luotian_household, makou_household):
    output = run("--area", "沙地镇", "--month", "2023-06")
    villages = villages_under(shadi).count()
    assert ScreeningRound.objects.filter(month=JUNE).count() == villages
    luotian_round = ScreeningRound.objects.get(village=luotian, month=JUNE)
    assert list(luotian_round.target_households.values_list("number", flat=True)) == ["LT0001"]
    assert "螺田村: 排查对象 1 户" in output

    run("--area", "360704101", "--month", "2023-06")
    assert ScreeningRound.objects.filter(month=JUNE).count() == villages
    assert luotian_round.target_households.count() == 1
    opened = AuditEvent.objects.filter(
        event="monitoring.round_opened", object_id=str(luotian_round.public_id)
    ).get()
    assert opened.username.startswith("console") and opened.channel == "cli"
    assert (
        AuditEvent.objects.filter(
            event="monitoring.round_refreshed", object_id=str(luotian_round.public_id)
        ).count()
        == 1
    )


def test_groups_option(luotian, luotian_household):
    run("--area", luotian.code, "--month", "2023-06", "--groups", "monitored")
    assert ScreeningRound.objects.get(village=luotian, month=JUNE).target_households.count() == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--area", "火星", "--month", "2023-06"], "找不到区域"),
        (["--area", "沙地镇", "--month", "2023/6x"], "月份格式不正确"),
        (["--area", "沙地镇", "--month", "2023-06", "--groups", "rich"], "排查对象类型不正确"),
    ],
)
def test_errors(shadi, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)

"""The indicators demo: targets and H1 2023 values entered by the village cadres; the
township's H1 garbage collection rate comes out at exactly 100% through aggregation."""

import io
from decimal import Decimal

import pytest

from zhenwu.areas.loader import load_areas_csv
from zhenwu.areas.models import Area
from zhenwu.areas.selectors import villages_under
from zhenwu.core.models import AuditEvent
from zhenwu.demo.accounts import create_demo_accounts
from zhenwu.demo.generator import AREAS_CSV, TOWNSHIP_CODE
from zhenwu.demo.indicators import INCOME_BEHIND_VILLAGES, build_indicators_demo
from zhenwu.workplans.figures import BEHIND, MET, indicator_value, target_status
from zhenwu.workplans.models import Indicator, Measurement

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_areas_csv(AREAS_CSV)
    users = create_demo_accounts()
    summary = build_indicators_demo(users, 2023, stdout=io.StringIO())
    return summary, Area.objects.get(code=TOWNSHIP_CODE)


def test_township_garbage_rate_is_100_in_2023h1(demo):
    summary, township = demo
    garbage = Indicator.objects.get(code="garbage_collection_rate")
    villages = list(villages_under(township))
    assert Measurement.objects.filter(indicator=garbage, area__in=villages).count() == 6 * len(
        villages
    )
    assert not Measurement.objects.filter(area=township).exists()  # only villages enter
    assert indicator_value(garbage, township, "2023H1") == Decimal(100)
    assert summary.garbage_rate == Decimal(100)
    assert target_status(garbage, township, "2023H1").status == MET


def test_values_are_entered_by_each_village_cadre_and_audited(demo):
    _, township = demo
    rows = Measurement.objects.select_related("area", "created_by")
    assert rows.exists()
    for row in rows:
        memberships = list(row.created_by.memberships.all())
        assert [m.area_id for m in memberships] == [row.area_id]
    assert AuditEvent.objects.filter(event="workplans.measurement_recorded").count() == rows.count()
    first = AuditEvent.objects.filter(event="workplans.measurement_recorded").order_by("at").first()
    assert first.at.date().isoformat() == "2023-02-03"


def test_toilets_and_income_show_gaps(demo):
    summary, township = demo
    toilets = Indicator.objects.get(code="sanitary_toilet_coverage")
    income = Indicator.objects.get(code="collective_income")
    assert Decimal(95) < summary.toilet_rate < Decimal(100)
    statuses = [target_status(income, v, "2023H1").status for v in villages_under(township)]
    assert statuses.count(BEHIND) == INCOME_BEHIND_VILLAGES
    assert MET in statuses
    short = [
        v for v in villages_under(township) if target_status(toilets, v, "2023H1").status == BEHIND
    ]
    assert len(short) == 3

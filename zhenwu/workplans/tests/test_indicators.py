"""Catalogue, targets, measurements (validation, scoping, locking, audit), values and
target status."""

from decimal import Decimal as D

import pytest

from zhenwu.areas.selectors import villages_under
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.workplans.actions.indicators import (
    do_record_measurement,
    do_set_target,
    load_indicator_catalogue,
)
from zhenwu.workplans.figures import (
    BEHIND,
    COMPUTED,
    MET,
    NO_DATA,
    NO_TARGET,
    ON_TRACK,
    board_data,
    indicator_value,
    target_status,
)
from zhenwu.workplans.models import Indicator, Measurement

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(world):
    load_indicator_catalogue()
    return {i.code: i for i in Indicator.objects.all()}


@pytest.fixture
def garbage(catalogue):
    return catalogue["garbage_collection_rate"]


@pytest.fixture
def income(catalogue):
    return catalogue["collective_income"]


def test_catalogue_ships_the_reports_indicators_and_loads_idempotently(catalogue):
    for code in (
        "collective_income",
        "garbage_collection_rate",
        "sanitary_toilet_coverage",
        "medical_card_activation",
        "antifraud_app_installs",
        "civilisation_station_coverage",
        "grain_sown_area_early_rice",
        "grain_output",
    ):
        assert code in catalogue
    assert catalogue["garbage_collection_rate"].aggregation == "ratio"
    assert catalogue["collective_income"].aggregation == "sum"
    computed = [i for i in catalogue.values() if i.source == "computed"]
    assert computed and all(i.computed_key in COMPUTED for i in computed)
    assert load_indicator_catalogue() == {"created": 0, "updated": 0, "unchanged": len(catalogue)}


def test_ratio_needs_numerator_and_denominator(garbage, luotian_cadre, luotian):
    with pytest.raises(DomainError) as error:
        do_record_measurement(
            actor=luotian_cadre, indicator=garbage, area=luotian, period="2023-01", value="100"
        )
    assert error.value.code == "measurement_ratio_required"
    for numerator, denominator in (("11", "10"), ("1", "0"), ("-1", "5")):
        with pytest.raises(DomainError) as error:
            do_record_measurement(
                actor=luotian_cadre,
                indicator=garbage,
                area=luotian,
                period="2023-01",
                numerator=numerator,
                denominator=denominator,
            )
        assert error.value.code == "measurement_ratio_invalid"
    row = do_record_measurement(
        actor=luotian_cadre,
        indicator=garbage,
        area=luotian,
        period="2023-1",
        numerator="9",
        denominator="10",
    )
    assert (row.period, row.value, row.numerator, row.denominator) == (
        "2023-01",
        D("90.0000"),
        D(9),
        D(10),
    )


def test_sum_needs_a_value_and_refuses_floats_and_bad_periods(income, luotian_cadre, luotian):
    for kwargs, code in (
        ({"period": "2023-01"}, "measurement_value_required"),
        ({"period": "2023-01", "value": 1.5}, "invalid_value"),
        ({"period": "2023-13", "value": "5"}, "invalid_period"),
        ({"period": "2023-01", "value": "-5"}, "invalid_value"),
    ):
        with pytest.raises(DomainError) as error:
            do_record_measurement(actor=luotian_cadre, indicator=income, area=luotian, **kwargs)
        assert error.value.code == code


def test_reentry_updates_the_row_with_optimistic_locking_and_audit(income, luotian_cadre, luotian):
    first = do_record_measurement(
        actor=luotian_cadre, indicator=income, area=luotian, period="2023H1", value="120000"
    )
    second = do_record_measurement(
        actor=luotian_cadre,
        indicator=income,
        area=luotian,
        period="2023H1",
        value="130000",
        expected_version=first.version,
    )
    assert second.pk == first.pk and second.value == D(130000) and second.version == 2
    with pytest.raises(DomainError) as error:
        do_record_measurement(
            actor=luotian_cadre,
            indicator=income,
            area=luotian,
            period="2023H1",
            value="140000",
            expected_version=first.version,
        )
    assert error.value.code == "conflict"
    assert Measurement.objects.get(pk=first.pk).value == D(130000)
    events = AuditEvent.objects.filter(event="workplans.measurement_recorded")
    assert events.count() == 2
    assert events.order_by("id").last().data["previous"]["value"] == "120000.0000"


def test_cadre_enters_only_own_village(income, luotian_cadre, makou, shadi, no_membership_user):
    for area in (makou, shadi):
        with pytest.raises(DomainError) as error:
            do_record_measurement(
                actor=luotian_cadre, indicator=income, area=area, period="2023-01", value="1"
            )
        assert error.value.code == "out_of_scope"
    with pytest.raises(DomainError) as error:
        do_record_measurement(
            actor=no_membership_user, indicator=income, area=makou, period="2023-01", value="1"
        )
    assert error.value.code == "permission_denied"
    assert not Measurement.objects.exists()


def test_computed_indicator_cannot_be_entered(catalogue, township_officer, shadi):
    with pytest.raises(DomainError) as error:
        do_record_measurement(
            actor=township_officer,
            indicator=catalogue["loan_borrowers"],
            area=shadi,
            period="2023H1",
            value="5",
        )
    assert error.value.code == "indicator_computed"


def test_targets_need_edit_permission(income, luotian_cadre, township_officer, luotian):
    with pytest.raises(DomainError) as error:
        do_set_target(
            actor=luotian_cadre, indicator=income, area=luotian, period="2023", value="300000"
        )
    assert error.value.code == "permission_denied"
    target = do_set_target(
        actor=township_officer, indicator=income, area=luotian, period="2023", value="300000"
    )
    again = do_set_target(
        actor=township_officer, indicator=income, area=luotian, period="2023", value="320000"
    )
    assert again.pk == target.pk and again.value == D(320000)
    assert AuditEvent.objects.filter(event="workplans.target_set").count() == 2


def _enter(actor, indicator, area, period, **kwargs):
    return do_record_measurement(
        actor=actor, indicator=indicator, area=area, period=period, **kwargs
    )


def test_township_ratio_is_summed_not_averaged(garbage, township_officer, luotian, makou, shadi):
    _enter(township_officer, garbage, luotian, "2023-06", numerator="9", denominator="10")
    _enter(township_officer, garbage, makou, "2023-06", numerator="1", denominator="100")
    assert indicator_value(garbage, shadi, "2023-06") == D("9.0909")
    # the township's own entry wins over the aggregate of its villages
    _enter(township_officer, garbage, shadi, "2023-06", numerator="5", denominator="10")
    assert indicator_value(garbage, shadi, "2023-06") == D(50)


def test_half_year_aggregates_months(catalogue, township_officer, luotian, makou, shadi):
    garbage, income = catalogue["garbage_collection_rate"], catalogue["collective_income"]
    for month in range(1, 7):
        _enter(
            township_officer, garbage, luotian, f"2023-{month:02d}", numerator="4", denominator="4"
        )
        _enter(township_officer, income, luotian, f"2023-{month:02d}", value="1000")
    _enter(township_officer, garbage, makou, "2023-03", numerator="1", denominator="2")
    assert indicator_value(garbage, luotian, "2023H1") == D(100)
    assert indicator_value(garbage, shadi, "2023H1") == (D(25) / D(26) * 100).quantize(D("0.0001"))
    assert indicator_value(income, luotian, "2023H1") == D(6000)
    assert indicator_value(income, shadi, "2023") == D(6000)
    assert indicator_value(income, makou, "2023H1") is None


def test_target_status_cases(catalogue, township_officer, luotian, makou, shadi):
    income = catalogue["collective_income"]
    garbage = catalogue["garbage_collection_rate"]
    for village in (luotian, makou):
        do_set_target(
            actor=township_officer, indicator=income, area=village, period="2023", value="300000"
        )
    assert target_status(income, luotian, "2023").status == NO_DATA
    _enter(township_officer, income, luotian, "2023", value="310000")
    _enter(township_officer, income, makou, "2023", value="200000")
    met = target_status(income, luotian, "2023")
    assert (met.status, met.actual, met.target) == (MET, D(310000), D(300000))
    assert target_status(income, makou, "2023").status == BEHIND
    # half a year measured against the year's target: on track from half of it
    _enter(township_officer, income, luotian, "2023H1", value="160000")
    _enter(township_officer, income, makou, "2023H1", value="90000")
    assert target_status(income, luotian, "2023H1").status == ON_TRACK
    assert target_status(income, makou, "2023H1").status == BEHIND
    assert target_status(income, shadi, "2023").status == NO_TARGET
    # lower is better: met when at or below the target
    garbage.direction = "lower"
    garbage.save()
    do_set_target(
        actor=township_officer, indicator=garbage, area=makou, period="2023-06", value="50"
    )
    _enter(township_officer, garbage, makou, "2023-06", numerator="4", denominator="10")
    assert target_status(garbage, makou, "2023-06").status == MET


def test_board_columns_are_area_then_villages(garbage, township_officer, luotian, shadi):
    _enter(township_officer, garbage, luotian, "2023-06", numerator="3", denominator="3")
    data = board_data(shadi, "2023-06", [garbage])
    assert data["columns"][0] == shadi
    assert {a.pk for a in data["columns"][1:]} == set(
        villages_under(shadi).values_list("pk", flat=True)
    )
    cells = {c["area"].code: c for c in data["rows"][0]["cells"]}
    assert cells[luotian.code]["actual"] == "100.00%"
    assert cells[shadi.code]["actual"] == "100.00%"


def test_load_indicators_command(world):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("load_indicators", stdout=out)
    assert "新增 13" in out.getvalue()
    call_command("load_indicators", stdout=out)
    assert "未变 13" in out.getvalue()
    assert AuditEvent.objects.filter(event="workplans.indicator_catalogue_loaded").count() == 1

"""帮扶政策参数: resolution by area and date, writes, the sample CSV and the command."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from zhenwu.areas.models import Area
from zhenwu.assistance.models import AssistanceSetting
from zhenwu.assistance.parameters import do_set_setting, load_sample_settings, setting_value
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent

D = datetime.date


@pytest.fixture
def samples(world):
    load_sample_settings()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "on", "expected"),
    [
        ("loan_limit", D(2023, 3, 1), "50000"),
        ("loan_max_term_months", D(2023, 3, 1), "36"),
        ("interest_subsidy_ratio", D(2023, 12, 31), "1.0"),
        ("interest_subsidy_ratio", D(2024, 1, 1), "0.7"),
        ("job_max_age", D(2023, 6, 1), "65"),
        ("transport_out_of_province", D(2023, 6, 1), "500"),
    ],
)
def test_sample_values_resolve_for_a_village(samples, luotian, key, on, expected):
    assert setting_value(luotian, key, on) == Decimal(expected)


@pytest.mark.django_db
def test_missing_before_valid_from_and_unknown_key(samples, luotian):
    with pytest.raises(DomainError) as error:
        setting_value(luotian, "loan_limit", D(2020, 12, 31))
    assert error.value.code == "setting_missing"
    assert "小额信贷" in error.value.message
    with pytest.raises(DomainError):
        setting_value(luotian, "no_such_key", D(2023, 1, 1))


@pytest.mark.django_db
def test_most_specific_area_wins_then_latest(samples, district_officer, shadi, luotian, makou):
    county = Area.objects.get(code="360704")
    do_set_setting(
        actor=district_officer,
        area=county,
        key="loan_limit",
        value="40000",
        valid_from=D(2022, 1, 1),
    )
    do_set_setting(
        actor=district_officer,
        area=shadi,
        key="loan_limit",
        value="30000",
        valid_from=D(2023, 1, 1),
    )
    assert setting_value(luotian, "loan_limit", D(2021, 6, 1)) == Decimal("50000")
    assert setting_value(luotian, "loan_limit", D(2022, 6, 1)) == Decimal("40000")
    assert setting_value(makou, "loan_limit", D(2023, 6, 1)) == Decimal("30000")
    # A newer row of the same area closes the previous one the day before.
    do_set_setting(
        actor=district_officer,
        area=shadi,
        key="loan_limit",
        value="35000",
        valid_from=D(2023, 7, 1),
    )
    first = AssistanceSetting.objects.get(area=shadi, key="loan_limit", valid_from=D(2023, 1, 1))
    assert first.valid_to == D(2023, 6, 30)
    assert setting_value(luotian, "loan_limit", D(2023, 6, 30)) == Decimal("30000")
    assert setting_value(luotian, "loan_limit", D(2023, 7, 1)) == Decimal("35000")
    assert (
        AuditEvent.objects.filter(event="assistance.setting_set", user=district_officer).count()
        == 3
    )


@pytest.mark.django_db
def test_only_district_officers_set_settings(world, township_officer, luotian_cadre, shadi):
    for user in (township_officer, luotian_cadre):
        with pytest.raises(DomainError) as error:
            do_set_setting(
                actor=user, area=shadi, key="loan_limit", value=1, valid_from=D(2023, 1, 1)
            )
        assert error.value.code == "permission_denied"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("area_key", "key", "value", "code"),
    [
        ("luotian", "loan_limit", "1", "area_level"),
        ("shadi", "bogus", "1", "parameter_invalid"),
        ("shadi", "loan_limit", "-5", "parameter_invalid"),
        ("shadi", "loan_limit", "abc", "parameter_invalid"),
    ],
)
def test_invalid_writes_are_refused(world, district_officer, area_key, key, value, code):
    with pytest.raises(DomainError) as error:
        do_set_setting(
            actor=district_officer,
            area=world.areas[area_key],
            key=key,
            value=value,
            valid_from=D(2023, 1, 1),
        )
    assert error.value.code == code


@pytest.mark.django_db
def test_sample_load_is_marked_idempotent_and_audited(world):
    first = load_sample_settings()
    assert first.created == 13
    assert AssistanceSetting.objects.filter(is_sample=False).count() == 0
    again = load_sample_settings()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 13)
    assert AuditEvent.objects.filter(event="assistance.setting_set").count() == 13


@pytest.mark.django_db
def test_bad_csv_loads_nothing(world):
    text = (
        "area_code,key,value,valid_from,valid_to,is_sample,source\n"
        "360000,loan_limit,50000,2021-01-01,,1,x\n"
        "999999,loan_limit,50000,2021-01-01,,1,x\n"
    )
    with pytest.raises(ValueError):
        load_sample_settings(io.StringIO(text))
    assert not AssistanceSetting.objects.exists()


@pytest.mark.django_db
def test_command_loads_the_samples(world):
    out = io.StringIO()
    call_command("load_assistance_settings", stdout=out)
    assert "新增 13" in out.getvalue()
    assert (
        AuditEvent.objects.filter(event="assistance.setting_set")
        .first()
        .username.startswith("console")
    )

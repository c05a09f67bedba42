"""政策参数: resolution (most specific area, dates, missing), do_set_parameter (permission,
scope, audit, closing the previous row) and the idempotent CSV load."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from zhenwu.areas.models import Area
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.monitoring.models import PolicyParameter
from zhenwu.monitoring.parameters import (
    SAMPLE_CSV,
    do_set_parameter,
    load_parameters_csv,
    parameter_value,
    parameters_on,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def jiangxi(world):
    return Area.objects.get(code="360000")


@pytest.fixture
def county(world):
    return Area.objects.get(code="360704")


@pytest.fixture
def samples(world):
    return load_parameters_csv(SAMPLE_CSV)


def test_sample_values_resolve_for_a_village_by_year(samples, luotian):
    assert parameter_value(luotian, "income_line", D(2022, 6, 1)) == Decimal("6600")
    assert parameter_value(luotian, "income_line", D(2023, 1, 1)) == Decimal("6900")
    assert parameter_value(luotian, "income_line", D(2022, 12, 31)) == Decimal("6600")
    assert parameter_value(luotian, "identification_days", D(2023, 6, 1)) == 15
    assert parameter_value(luotian, "medical_ratio_lifted", D(2023, 6, 1)) == Decimal("0.5")


def test_samples_are_marked_and_periods_closed(samples, jiangxi):
    rows = PolicyParameter.objects.filter(area=jiangxi)
    assert rows.count() == 14 and all(r.is_sample for r in rows)
    first = rows.get(key="income_line", valid_from=D(2021, 1, 1))
    assert first.valid_to == D(2021, 12, 31)
    assert rows.get(key="income_line", valid_from=D(2024, 1, 1)).valid_to is None


def test_loading_twice_changes_nothing(samples, jiangxi):
    events = AuditEvent.objects.filter(event="monitoring.parameter_set").count()
    again = load_parameters_csv(SAMPLE_CSV)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 14)
    assert AuditEvent.objects.filter(event="monitoring.parameter_set").count() == events
    assert PolicyParameter.objects.filter(area=jiangxi).count() == 14


def test_console_load_is_audited_as_console(samples):
    row = AuditEvent.objects.filter(event="monitoring.parameter_set").order_by("id").last()
    assert row.user is None and row.username.startswith("console")
    assert row.data["key"] and row.data["after"]["is_sample"] is True


def test_command_loads_a_file_and_reports_counts(world, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "area_code,key,value,valid_from,valid_to,is_sample,source\n"
        "360000,notice_days,7,2020-01-01,,0,省文件\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("load_parameters", str(path), stdout=out)
    assert "新增 1" in out.getvalue()
    call_command("load_parameters", str(path), stdout=out)
    assert "无变化 1" in out.getvalue()


def test_most_specific_area_beats_the_province(samples, county, luotian, makou, district_officer):
    do_set_parameter(
        actor=district_officer,
        area=county,
        key="income_line",
        value="7100",
        valid_from=D(2023, 1, 1),
    )
    assert parameter_value(luotian, "income_line", D(2023, 3, 1)) == Decimal("7100")
    assert parameter_value(makou, "income_line", D(2023, 3, 1)) == Decimal("7100")
    # Before the county row starts, the province's value holds.
    assert parameter_value(luotian, "income_line", D(2022, 3, 1)) == Decimal("6600")


def test_valid_to_ends_a_value(world, county, luotian, district_officer):
    do_set_parameter(
        actor=district_officer,
        area=county,
        key="notice_days",
        value=5,
        valid_from=D(2023, 1, 1),
        valid_to=D(2023, 6, 30),
    )
    assert parameter_value(luotian, "notice_days", D(2023, 6, 30)) == 5
    with pytest.raises(DomainError) as error:
        parameter_value(luotian, "notice_days", D(2023, 7, 1))
    assert error.value.code == "parameter_missing"


def test_missing_parameter_names_the_key(world, luotian):
    with pytest.raises(DomainError) as error:
        parameter_value(luotian, "income_line", D(1999, 1, 1))
    assert error.value.code == "parameter_missing"
    assert "防止返贫监测范围" in error.value.message


def test_set_parameter_closes_the_previous_row_and_audits(world, county, district_officer):
    first = do_set_parameter(
        actor=district_officer, area=county, key="income_line", value=7000, valid_from=D(2023, 1, 1)
    )
    do_set_parameter(
        actor=district_officer,
        area=county,
        key="income_line",
        value="7300.5",
        valid_from=D(2023, 7, 1),
        source="赣县区文件",
    )
    first.refresh_from_db()
    assert first.valid_to == D(2023, 6, 30)
    row = AuditEvent.objects.filter(event="monitoring.parameter_set").order_by("id").last()
    assert row.username == "district" and row.channel in {"system", "web"}
    assert row.data["after"]["value"] == "7300.5"
    assert row.data["closed"] == {"valid_from": "2023-01-01", "valid_to": "2023-06-30"}
    assert parameters_on(county, D(2023, 7, 1))["income_line"] == Decimal("7300.5")


def test_an_earlier_row_inserted_later_stops_before_the_next(world, county, district_officer):
    do_set_parameter(
        actor=district_officer, area=county, key="notice_days", value=6, valid_from=D(2023, 1, 1)
    )
    earlier = do_set_parameter(
        actor=district_officer, area=county, key="notice_days", value=5, valid_from=D(2022, 1, 1)
    )
    assert earlier.valid_to == D(2022, 12, 31)


@pytest.mark.parametrize("persona", ["township_officer", "luotian_cadre", "auditor"])
def test_only_parameter_editors_may_set(request, persona, world, county):
    with pytest.raises(DomainError) as error:
        do_set_parameter(
            actor=request.getfixturevalue(persona),
            area=county,
            key="income_line",
            value=1,
            valid_from=D(2023, 1, 1),
        )
    assert error.value.code == "permission_denied"
    assert not PolicyParameter.objects.filter(area=county).exists()


def test_district_officer_cannot_set_the_province(district_officer, jiangxi):
    with pytest.raises(DomainError) as error:
        do_set_parameter(
            actor=district_officer,
            area=jiangxi,
            key="income_line",
            value=1,
            valid_from=D(2030, 1, 1),
        )
    assert error.value.code == "out_of_scope"


@pytest.mark.parametrize(
    "changes, code",
    [
        ({"key": "nonsense"}, "parameter_invalid"),
        ({"value": "-1"}, "parameter_invalid"),
        ({"value": "abc"}, "parameter_invalid"),
        ({"valid_to": D(2022, 1, 1)}, "parameter_dates"),
    ],
)
def test_invalid_input_is_refused(district_officer, county, changes, code):
    arguments = {"key": "income_line", "value": 1, "valid_from": D(2023, 1, 1), **changes}
    with pytest.raises(DomainError) as error:
        do_set_parameter(actor=district_officer, area=county, **arguments)
    assert error.value.code == code


def test_villages_cannot_carry_parameters(district_officer, luotian):
    with pytest.raises(DomainError) as error:
        do_set_parameter(
            actor=district_officer,
            area=luotian,
            key="income_line",
            value=1,
            valid_from=D(2023, 1, 1),
        )
    assert error.value.code == "area_level"


def test_parameter_table_resolves_like_parameter_value(
    samples, county, luotian, makou, district_officer
):
    from zhenwu.monitoring.parameters import ParameterTable

    do_set_parameter(
        actor=district_officer, area=county, key="income_line", value=7100, valid_from=D(2023, 7, 1)
    )
    table = ParameterTable("income_line", [luotian, makou])
    for day in (D(2021, 5, 1), D(2022, 12, 31), D(2023, 6, 30), D(2023, 7, 1), D(2025, 1, 1)):
        for village in (luotian, makou):
            assert table.value(village, day) == parameter_value(village, "income_line", day)
    assert table.value(luotian, D(1999, 1, 1), "none") == "none"

import datetime

import pytest

from zhenwu.lib.periods import parse_period
from zhenwu.monitoring.figures import figure_value, monthly_figures, period_figures
from zhenwu.monitoring.tests.test_analysis_data import build_june

D = datetime.date


@pytest.fixture
def june(world):
    return build_june(world)


def _rows(table):
    return {row["key"]: row["value"] for row in table}


def test_june_figures_are_exact(june, shadi):
    figures = monthly_figures(shadi, D(2023, 6, 15))
    assert figures["period"]["code"] == "2023-06"
    expected = {
        "clues": 3,
        "open_identification": 2,
        "overdue_identification": 1,
        "new_households": 1,
        "new_people": 3,
        "eliminated_households": 1,
        "open_problems": 1,
        "fixed_problems": 1,
        "screening_targets": 3,
        "screening_visits": 2,
        "rule_runs": 1,
        "rule_hits": 2,
    }
    assert {key: figure_value(figures, key) for key in expected} == expected
    assert _rows(figures["clues_by_channel"]) == {
        "self_declared": 1,
        "cadre_screening": 1,
        "department": 1,
    }
    by_village = _rows(figures["clues_by_village"])
    assert by_village["360704101214"] == 2 and by_village["360704101203"] == 1
    assert sum(by_village.values()) == 3
    stages = _rows(figures["cases_by_stage"])
    assert stages["village_reviewed"] == 1 and stages["draft"] == 1
    assert sum(stages.values()) == 2
    assert _rows(figures["rule_hits_by_rule"]) == {"income_below_line": 1, "house_grade_cd": 1}


def test_screening_completion_per_village(june, shadi):
    rows = {r["key"]: r for r in monthly_figures(shadi, D(2023, 6, 1))["screening_by_village"]}
    luotian, makou = rows["360704101214"], rows["360704101203"]
    assert (luotian["targets"], luotian["visits"], luotian["rate"]) == (3, 2, 66.7)
    assert luotian["has_data"] is True
    assert (makou["targets"], makou["rate"], makou["has_data"]) == (0, None, False)


def test_every_figure_carries_its_list_filter(june, shadi):
    figures = monthly_figures(shadi, D(2023, 6, 1))
    for item in figures["summary"]:
        assert item["filter"]["list"] and item["filter"]["township"] == "360704101"
    channel = figures["clues_by_channel"][0]["filter"]
    assert channel == {
        "list": "clues",
        "township": "360704101",
        "from": "2023-06-01",
        "to": "2023-06-30",
        "channel": "self_declared",
    }


def test_half_year_and_empty_month(june, shadi):
    half = period_figures(shadi, parse_period("2023H1"))
    assert figure_value(half, "clues") == 4
    assert figure_value(half, "new_households") == 1
    empty = monthly_figures(shadi, D(2022, 1, 1))
    assert all(item["value"] == 0 for item in empty["summary"])
    flags = {item["key"]: item["has_data"] for item in empty["summary"]}
    assert flags["screening_visits"] is False and flags["rule_hits"] is False


def test_july_sees_case_two_approved(june, shadi):
    july = monthly_figures(shadi, D(2023, 7, 1))
    assert figure_value(july, "new_households") == 1
    assert figure_value(july, "new_people") == 2
    # Case 3 (draft, deadline 10 July) is open and overdue on 31 July.
    assert figure_value(july, "open_identification") == 1
    assert figure_value(july, "overdue_identification") == 1
    assert figure_value(july, "open_problems") == 2  # B's water and C's July medical problem


def test_figures_are_json(june, shadi):
    import json

    json.dumps(monthly_figures(shadi, D(2023, 6, 1)), ensure_ascii=False)

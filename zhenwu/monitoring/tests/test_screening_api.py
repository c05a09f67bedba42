"""每月一排查 API: scoped rounds and targets, visit entry with the form's validation, edit
with version, problems and clue, 404 out of scope, audit rows."""

import datetime

import pytest

from zhenwu.api.tests.helpers import client_for, error_fields, get, post
from zhenwu.core.models import AuditEvent
from zhenwu.monitoring.actions.screening import do_open_round
from zhenwu.monitoring.models import Clue, Problem, ScreeningVisit

pytestmark = pytest.mark.django_db

JUNE = datetime.date(2023, 6, 1)


@pytest.fixture
def rounds(luotian_household, makou_household, luotian, makou, luotian_cadre, makou_cadre):
    luotian_round = do_open_round(luotian, JUNE, actor=luotian_cadre)
    makou_round = do_open_round(makou, JUNE, actor=makou_cadre)
    makou_round.target_households.add(makou_household)
    return luotian_round, makou_round


def body(household, **overrides) -> dict:
    data = {
        "household": str(household.public_id),
        "visited_on": "2023-06-10",
        "visitors": ["螺田村干部", "驻村队员"],
        "checks": {"housing": False},
        "income_change": "stable",
        "rigid_spending": "150.00",
        "notes": "墙体开裂",
    }
    data.update(overrides)
    return data


def visits_path(round_) -> str:
    return f"/monitoring/rounds/{round_.public_id}/visits"


@pytest.mark.parametrize(
    "persona, villages",
    [
        ("township_officer", {"螺田村", "马口村"}),
        ("luotian_cadre", {"螺田村"}),
        ("luotian_token", {"螺田村"}),
        ("makou_cadre", {"马口村"}),
        ("auditor", set()),
        ("no_membership_user", set()),
    ],
)
def test_rounds_are_scoped(request, rounds, persona, villages):
    response = get(client_for(request, persona), "/monitoring/rounds", {"month": "2023-06"})
    assert response.status_code == 200
    assert {r["village_name"] for r in response.json()["items"]} == villages


def test_anonymous_is_401(request, rounds):
    assert get(client_for(request, "anonymous"), "/monitoring/rounds").status_code == 401


def test_round_figures(request, rounds):
    items = get(client_for(request, "luotian_cadre"), "/monitoring/rounds").json()["items"]
    assert items[0]["month"] == "2023-06"
    assert (items[0]["targets"], items[0]["visited"], items[0]["rate"]) == (1, 0, 0.0)


def test_targets_of_an_out_of_scope_round_are_404(request, rounds):
    _, makou_round = rounds
    client = client_for(request, "luotian_cadre")
    assert get(client, f"/monitoring/rounds/{makou_round.public_id}/targets").status_code == 404
    assert get(client, "/monitoring/rounds/not-a-uuid/targets").status_code == 404


def test_targets_list_and_search(request, rounds):
    luotian_round, _ = rounds
    client = client_for(request, "luotian_cadre")
    items = get(client, f"/monitoring/rounds/{luotian_round.public_id}/targets").json()["items"]
    assert [(i["number"], i["head_name"], i["visited"], i["visit"]) for i in items] == [
        ("LT0001", "张三丰", False, None)
    ]
    found = get(client, f"/monitoring/rounds/{luotian_round.public_id}/targets", {"q": "zhangsan"})
    assert [i["number"] for i in found.json()["items"]] == ["LT0001"]
    assert AuditEvent.objects.filter(event="monitoring.round_search").last().data["count"] == 1


def test_post_visit_creates_then_updates_with_version(request, rounds, luotian_household):
    luotian_round, _ = rounds
    client = client_for(request, "luotian_token")
    response = post(client, visits_path(luotian_round), body(luotian_household))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["has_problem"] is True and created["version"] == 1
    visit = ScreeningVisit.objects.get(public_id=created["id"])
    assert visit.housing_ok is False and visit.food_ok is True
    assert str(visit.rigid_spending) == "150.00"
    assert AuditEvent.objects.filter(
        event="monitoring.visit_recorded", object_id=created["id"]
    ).exists()

    again = post(client, visits_path(luotian_round), body(luotian_household))
    assert again.status_code == 400 and again.json()["code"] == "duplicate_visit"
    stale = post(client, visits_path(luotian_round), body(luotian_household, version=9))
    assert stale.status_code == 409
    updated = post(
        client, visits_path(luotian_round), body(luotian_household, version=1, checks={})
    )
    assert updated.status_code == 200 and updated.json()["version"] == 2
    assert updated.json()["has_problem"] is False
    assert ScreeningVisit.objects.count() == 1
    targets = get(client, f"/monitoring/rounds/{luotian_round.public_id}/targets").json()
    assert targets["items"][0]["visit"]["version"] == 2


def test_luotian_cadre_cannot_post_a_makou_visit(request, rounds, makou_household):
    _, makou_round = rounds
    response = post(
        client_for(request, "luotian_cadre"), visits_path(makou_round), body(makou_household)
    )
    assert response.status_code == 404
    assert not ScreeningVisit.objects.exists()


def test_household_of_another_round_is_not_a_target(request, rounds, makou_household):
    luotian_round, _ = rounds
    response = post(
        client_for(request, "township_officer"), visits_path(luotian_round), body(makou_household)
    )
    assert response.status_code == 400 and response.json()["code"] == "not_a_target"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"visitors": []}, "visitors"),
        ({"checks": {"wifi": True}}, "checks.wifi"),
        ({"rigid_spending": "-1"}, "rigid_spending"),
        ({"income_change": "doubled"}, "income_change"),
        ({"risk_types": ["bad_luck"]}, "risk_types.0"),
        (
            {
                "problems": [
                    {"kind": "roof", "description": "x", "owner": "y", "deadline_on": "2023-07-01"}
                ]
            },
            "problems.0.kind",
        ),
        ({"created_by": 1}, "created_by"),
    ],
)
def test_schema_validation_names_the_field(request, rounds, luotian_household, overrides, field):
    luotian_round, _ = rounds
    response = post(
        client_for(request, "luotian_cadre"),
        visits_path(luotian_round),
        body(luotian_household, **overrides),
    )
    assert response.status_code == 422
    assert field in error_fields(response)


def test_action_validation_is_a_400_with_its_code(request, rounds, luotian_household):
    luotian_round, _ = rounds
    client = client_for(request, "luotian_cadre")
    response = post(client, visits_path(luotian_round), body(luotian_household, visitors=["  "]))
    assert response.status_code == 400 and response.json()["code"] == "visitors_required"
    response = post(
        client, visits_path(luotian_round), body(luotian_household, visited_on="2023-05-01")
    )
    assert response.json()["code"] == "invalid_visit_date"


def test_visit_with_problems_and_clue(request, rounds, luotian_household):
    luotian_round, _ = rounds
    problems = [
        {
            "kind": "housing",
            "description": "墙体开裂",
            "owner": "村建设专干",
            "deadline_on": "2023-08-31",
        }
    ]
    response = post(
        client_for(request, "luotian_cadre"),
        visits_path(luotian_round),
        body(luotian_household, report_clue=True, risk_types=["unsafe_housing"], problems=problems),
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert Problem.objects.get(public_id=data["problems"][0]).visit.public_id.hex == data[
        "id"
    ].replace("-", "")
    clue = Clue.objects.get(public_id=data["clue"])
    assert clue.channel == "cadre_screening" and clue.risk_types == ["unsafe_housing"]
    assert data["clue_duplicate"] is False

"""每月一排查 actions: round targets per group, idempotent re-open, completion rate, one
visit per household and round, problems and clues from a visit, scoping, audit rows."""

import datetime
import importlib.util

import pytest

from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditEvent
from zhenwu.monitoring.actions.screening import (
    DEFAULT_TARGET_GROUPS,
    do_close_round,
    do_open_round,
    do_record_visit,
)
from zhenwu.monitoring.models import Clue, Problem, ScreeningRound, ScreeningVisit
from zhenwu.monitoring.selectors import round_progress, round_targets, screening_overview
from zhenwu.registry.actions import do_update_household, do_update_person
from zhenwu.testing.personas import make_household

pytestmark = pytest.mark.django_db

JUNE = datetime.date(2023, 6, 1)
VISITED = datetime.date(2023, 6, 12)
ALL_OK = {k: True for k in ("food", "clothing", "education", "medical", "housing", "water")}


def has_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


needs_clues = pytest.mark.skipif(
    not has_module("zhenwu.monitoring.actions.clues"), reason="clues actions not written yet"
)
needs_problems = pytest.mark.skipif(
    not has_module("zhenwu.monitoring.actions.problems"),
    reason="problems actions not written yet",
)


def household(actor, village, number, **data):
    return make_household(
        actor, village, number, [("户主" + number, datetime.date(1970, 1, 1), "head")], **data
    )


@pytest.fixture
def luotian_set(township_officer, luotian, luotian_household):
    """One household per group plus one that is in none."""
    monitored = household(township_officer, luotian, "LT0002", category="monitored")
    dibao = household(township_officer, luotian, "LT0003", category="general")
    head = dibao.members.get()
    do_update_person(
        head,
        actor=township_officer,
        expected_version=head.version,
        changes={"receives_dibao": True},
    )
    general = household(township_officer, luotian, "LT0004", category="general")
    return {"lifted": luotian_household, "monitored": monitored, "dibao": dibao, "general": general}


def visit(round_, hh, actor, **kwargs):
    values = {
        "visited_on": VISITED,
        "visitors": ["螺田村干部", "驻村工作队员"],
        "checks": ALL_OK,
        "income_change": "stable",
        "rigid_spending": 0,
        "notes": "",
        "report_clue": False,
        "problems": [],
    }
    values.update(kwargs)
    return do_record_visit(round_, hh, actor=actor, **values)


def numbers(round_):
    return set(round_.target_households.values_list("number", flat=True))


# --- targets -----------------------------------------------------------------------------


def test_default_groups_pick_lifted_monitored_and_dibao_households(
    luotian_set, luotian, luotian_cadre
):
    round_ = do_open_round(luotian, "2023-06", actor=luotian_cadre)
    assert round_.month == JUNE
    assert round_.target_groups == sorted(DEFAULT_TARGET_GROUPS)
    assert numbers(round_) == {"LT0001", "LT0002", "LT0003"}


@pytest.mark.parametrize(
    "groups, expected",
    [
        (["lifted"], {"LT0001"}),
        (["monitored"], {"LT0002"}),
        (["dibao_tekun"], {"LT0003"}),
        (["open_problem"], set()),
        (["lifted", "monitored"], {"LT0001", "LT0002"}),
    ],
)
def test_each_target_group_alone(luotian_set, luotian, luotian_cadre, groups, expected):
    round_ = do_open_round(luotian, JUNE, actor=luotian_cadre, groups=groups)
    assert numbers(round_) == expected
    assert round_.target_groups == sorted(groups)


def test_unknown_group_is_refused(luotian, luotian_cadre):
    with pytest.raises(DomainError) as error:
        do_open_round(luotian, JUNE, actor=luotian_cadre, groups=["rich"])
    assert error.value.code == "invalid_target_group"


def test_tekun_member_qualifies_and_a_departed_member_does_not(
    township_officer, luotian, luotian_cadre
):
    hh = household(township_officer, luotian, "LT0005")
    head = hh.members.get()
    do_update_person(
        head,
        actor=township_officer,
        expected_version=head.version,
        changes={"receives_tekun": True},
    )
    assert numbers(do_open_round(luotian, JUNE, actor=luotian_cadre, groups=["dibao_tekun"])) == {
        "LT0005"
    }
    head.refresh_from_db()
    do_update_person(
        head, actor=township_officer, expected_version=head.version, changes={"status": "deceased"}
    )
    assert (
        numbers(
            do_open_round(
                luotian, datetime.date(2023, 7, 1), actor=luotian_cadre, groups=["dibao_tekun"]
            )
        )
        == set()
    )


def test_reopen_is_idempotent_and_adds_newly_qualifying(
    luotian_set, luotian, luotian_cadre, township_officer
):
    first = do_open_round(luotian, JUNE, actor=luotian_cadre)
    again = do_open_round(luotian, "2023-06", actor=luotian_cadre)
    assert again.pk == first.pk
    assert ScreeningRound.objects.filter(village=luotian, month=JUNE).count() == 1
    assert first.target_households.count() == 3

    general = luotian_set["general"]
    do_update_household(
        general,
        actor=township_officer,
        expected_version=general.version,
        changes={"category": "monitored"},
    )
    # A household leaving a group stays a target: the completion rate must not move.
    lifted = luotian_set["lifted"]
    lifted.refresh_from_db()
    do_update_household(
        lifted,
        actor=township_officer,
        expected_version=lifted.version,
        changes={"category": "general"},
    )
    do_open_round(luotian, JUNE, actor=luotian_cadre)
    assert numbers(first) == {"LT0001", "LT0002", "LT0003", "LT0004"}
    assert first.target_households.count() == 4


def test_reopen_only_widens_the_groups(luotian_set, luotian, luotian_cadre):
    round_ = do_open_round(luotian, JUNE, actor=luotian_cadre, groups=["lifted"])
    do_open_round(luotian, JUNE, actor=luotian_cadre, groups=["monitored"])
    round_.refresh_from_db()
    assert round_.target_groups == ["lifted", "monitored"]
    assert numbers(round_) == {"LT0001", "LT0002"}


def test_open_and_refresh_are_audited(luotian_set, luotian, luotian_cadre):
    round_ = do_open_round(luotian, JUNE, actor=luotian_cadre)
    do_open_round(luotian, JUNE, actor=luotian_cadre)
    opened = AuditEvent.objects.get(
        event="monitoring.round_opened", object_id=str(round_.public_id)
    )
    assert opened.username == "luotian"
    assert opened.data["targets"] == 3 and opened.data["month"] == "2023-06"
    refreshed = AuditEvent.objects.get(
        event="monitoring.round_refreshed", object_id=str(round_.public_id)
    )
    assert refreshed.data["added"] == 0


def test_round_only_for_a_village(shadi, township_officer):
    with pytest.raises(DomainError) as error:
        do_open_round(shadi, JUNE, actor=township_officer)
    assert error.value.code == "area_level"


@pytest.mark.parametrize("month", ["2023-13", "junk", ""])
def test_bad_month_is_refused(luotian, luotian_cadre, month):
    with pytest.raises(DomainError) as error:
        do_open_round(luotian, month, actor=luotian_cadre)
    assert error.value.code == "invalid_month"


# --- scoping ------------------------------------------------------------------------------


def test_luotian_cadre_cannot_open_a_makou_round(makou, luotian_cadre):
    with pytest.raises(DomainError) as error:
        do_open_round(makou, JUNE, actor=luotian_cadre)
    assert error.value.code == "out_of_scope"
    assert not ScreeningRound.objects.filter(village=makou).exists()


@pytest.mark.parametrize("persona", ["auditor", "department_clerk", "no_membership_user"])
def test_roles_without_screening_cannot_open(request, luotian, persona):
    with pytest.raises(DomainError) as error:
        do_open_round(luotian, JUNE, actor=request.getfixturevalue(persona))
    assert error.value.code == "permission_denied"


def test_luotian_cadre_cannot_record_a_makou_visit(
    makou, makou_household, makou_cadre, luotian_cadre
):
    round_ = do_open_round(makou, JUNE, actor=makou_cadre, groups=["lifted", "monitored"])
    round_.target_households.add(makou_household)  # make it a target whatever its category
    with pytest.raises(DomainError) as error:
        visit(round_, makou_household, luotian_cadre)
    assert error.value.code == "out_of_scope"
    assert not ScreeningVisit.objects.filter(round=round_).exists()


def test_overview_shows_only_the_cadres_village(
    luotian_set, luotian, makou, luotian_cadre, makou_cadre, township_officer
):
    do_open_round(luotian, JUNE, actor=luotian_cadre)
    do_open_round(makou, JUNE, actor=makou_cadre)
    rows = screening_overview(luotian_cadre, JUNE)
    assert [r["village"].code for r in rows] == [luotian.code]
    township_rows = {r["village"].code: r for r in screening_overview(township_officer, JUNE)}
    assert {luotian.code, makou.code} <= set(township_rows)
    assert township_rows[luotian.code]["targets"] == 3


# --- visits and completion rate ---------------------------------------------------------------


def test_completion_rate_counts_visited_targets(luotian_set, luotian, luotian_cadre):
    round_ = do_open_round(luotian, JUNE, actor=luotian_cadre)
    assert round_progress(round_) == (0, 3, 0.0)
    visit(round_, luotian_set["lifted"], luotian_cadre)
    visited, targets, rate = round_progress(round_)
    assert (visited, targets) == (1, 3) and rate == pytest.approx(1 / 3)
    row = screening_overview(luotian_cadre, JUNE)[0]
    assert (row["visited"], row["targets"], row["percent"]) == (1, 3, 33)
    targets_state = {h.number: h.visited for h in round_targets(round_)}
    assert targets_state == {"LT0001": True, "LT0002": False, "LT0003": False}


def test_targets_search_by_pinyin_and_name(luotian_set, luotian, luotian_cadre):
    round_ = do_open_round(luotian, JUNE, actor=luotian_cadre)
    assert [h.number for h in round_targets(round_, query="zsf")] == ["LT0001"]
    assert [h.number for h in round_targets(round_, query="张三")] == ["LT0001"]
    assert [h.number for h in round_targets(round_, query="LT0002")] == ["LT0002"]


def test_visit_stores_the_checklist(luotian_set, luotian, luotian_cadre):
    round_ = do_open_round(luotian, JUNE, actor=luotian_cadre)
    checks = dict(ALL_OK, water=False)
    saved = visit(
        round_,
        luotian_set["lifted"],
        luotian_cadre,
        checks=checks,
        income_change="decreased",
        rigid_spending="1200.5",
        visitors="张干部、李队员",
    )
    saved.refresh_from_db()
    assert saved.water_ok is False and saved.food_ok is True
    assert saved.visitors == ["张干部", "李队员"]
    assert str(saved.rigid_spending) == "1200.50"
    assert saved.has_problem


def test_one_visit_per_household_and_round(luotian_set, luotian, luotian_cadre):
    round_ = do_open_round(luotian, JUNE, actor=luotian_cadre)
    first = visit(round_, luotian_set["lifted"], luotian_cadre)
    with pytest.raises(DomainError) as error:
        visit(round_, luotian_set["lifted"], luotian_cadre)
    assert error.value.code == "duplicate_visit"
    with pytest.raises(DomainError) as error:
        visit(round_, luotian_set["lifted"], luotian_cadre, expected_version=first.version + 5)
    assert error.value.code == "conflict"
    updated = visit(
        round_, luotian_set["lifted"], luotian_cadre, expected_version=first.version, notes="复访"
    )
    assert updated.pk == first.pk and updated.version == first.version + 1
    assert ScreeningVisit.objects.filter(round=round_).count() == 1
    assert round_progress(round_)[0] == 1
    assert AuditEvent.objects.filter(
        event="monitoring.visit_updated", object_id=str(first.public_id)
    ).exists()


def test_visit_of_a_non_target_is_refused(luotian_set, luotian, luotian_cadre):
    round_ = do_open_round(luotian, JUNE, actor=luotian_cadre)
    with pytest.raises(DomainError) as error:
        visit(round_, luotian_set["general"], luotian_cadre)
    assert error.value.code == "not_a_target"


@pytest.mark.parametrize(
    "override, code",
    [
        ({"visitors": []}, "visitors_required"),
        ({"visitors": ["  "]}, "visitors_required"),
        ({"checks": {"food": True, "wifi": False}}, "invalid_check"),
        ({"rigid_spending": "-5"}, "invalid_amount"),
        ({"rigid_spending": "abc"}, "invalid_amount"),
        ({"income_change": "doubled"}, "invalid_income_change"),
        ({"visited_on": datetime.date(2023, 5, 31)}, "invalid_visit_date"),
        ({"visited_on": datetime.date(2999, 1, 1)}, "invalid_visit_date"),
        (
            {
                "problems": [
                    {"kind": "housing", "description": "", "owner": "张", "deadline_on": VISITED}
                ]
            },
            "invalid_problem",
        ),
        (
            {
                "problems": [
                    {"kind": "roof", "description": "漏", "owner": "张", "deadline_on": VISITED}
                ]
            },
            "invalid_problem",
        ),
        (
            {
                "problems": [
                    {
                        "kind": "housing",
                        "description": "漏",
                        "owner": "张",
                        "deadline_on": datetime.date(2023, 6, 1),
                    }
                ]
            },
            "invalid_problem",
        ),
    ],
)
def test_visit_validation(luotian_set, luotian, luotian_cadre, override, code):
    round_ = do_open_round(luotian, JUNE, actor=luotian_cadre)
    with pytest.raises(DomainError) as error:
        visit(round_, luotian_set["lifted"], luotian_cadre, **override)
    assert error.value.code == code
    assert not ScreeningVisit.objects.filter(round=round_).exists()


def test_closed_round_takes_no_visit_and_is_not_refreshed(
    luotian_set, luotian, luotian_cadre, township_officer
):
    round_ = do_open_round(luotian, JUNE, actor=luotian_cadre)
    do_close_round(round_, actor=luotian_cadre)
    assert AuditEvent.objects.filter(
        event="monitoring.round_closed", object_id=str(round_.public_id)
    ).exists()
    with pytest.raises(DomainError) as error:
        visit(round_, luotian_set["lifted"], luotian_cadre)
    assert error.value.code == "round_closed"
    general = luotian_set["general"]
    do_update_household(
        general,
        actor=township_officer,
        expected_version=general.version,
        changes={"category": "monitored"},
    )
    assert do_open_round(luotian, JUNE, actor=luotian_cadre).target_households.count() == 3
    with pytest.raises(DomainError):
        do_close_round(round_, actor=luotian_cadre)


def test_visit_is_audited(luotian_set, luotian, luotian_cadre):
    round_ = do_open_round(luotian, JUNE, actor=luotian_cadre)
    saved = visit(round_, luotian_set["lifted"], luotian_cadre, checks=dict(ALL_OK, housing=False))
    row = AuditEvent.objects.get(event="monitoring.visit_recorded", object_id=str(saved.public_id))
    assert row.username == "luotian"
    assert row.data["household"] == "LT0001"
    assert row.data["checks"]["housing"] is False and row.data["has_problem"] is True


# --- problems and clues from a visit -------------------------------------------------------------


@needs_problems
def test_a_problem_visit_opens_problems(luotian_set, luotian, luotian_cadre):
    round_ = do_open_round(luotian, JUNE, actor=luotian_cadre)
    problems = [
        {
            "kind": "housing",
            "description": "厨房屋顶漏雨",
            "owner": "村建设专干",
            "deadline_on": datetime.date(2023, 7, 31),
        },
        {
            "kind": "water",
            "description": "自来水管冻裂",
            "owner": "水管员",
            "deadline_on": datetime.date(2023, 6, 30),
        },
    ]
    saved = visit(
        round_,
        luotian_set["lifted"],
        luotian_cadre,
        checks=dict(ALL_OK, housing=False, water=False),
        problems=problems,
    )
    opened = Problem.objects.filter(visit=saved).order_by("kind")
    assert [(p.kind, p.found_on, p.household_id) for p in opened] == [
        ("housing", VISITED, luotian_set["lifted"].pk),
        ("water", VISITED, luotian_set["lifted"].pk),
    ]
    assert len(saved.new_problems) == 2
    assert screening_overview(luotian_cadre, JUNE)[0]["problems"] == 2
    # The household now has an open problem: next month it is a target through that group.
    july = do_open_round(
        luotian, datetime.date(2023, 7, 1), actor=luotian_cadre, groups=["open_problem"]
    )
    assert numbers(july) == {"LT0001"}


@needs_clues
def test_a_problem_visit_reports_a_clue_when_asked(luotian_set, luotian, luotian_cadre):
    round_ = do_open_round(luotian, JUNE, actor=luotian_cadre)
    quiet = visit(
        round_, luotian_set["monitored"], luotian_cadre, checks=dict(ALL_OK, medical=False)
    )
    assert quiet.clue is None and not Clue.objects.filter(visit=quiet).exists()
    saved = visit(
        round_,
        luotian_set["lifted"],
        luotian_cadre,
        checks=dict(ALL_OK, medical=False),
        report_clue=True,
        risk_types=["illness"],
        notes="户主住院",
    )
    clue = Clue.objects.get(visit=saved)
    assert clue == saved.clue and not saved.clue_duplicate
    assert clue.channel == "cadre_screening" and clue.village == luotian
    assert clue.household == luotian_set["lifted"] and clue.reported_on == VISITED
    assert clue.risk_types == ["illness"]
    assert "户主住院" in clue.description
    assert screening_overview(luotian_cadre, JUNE)[0]["clues"] == 1


@needs_clues
def test_duplicate_clue_keeps_the_visit(luotian_set, luotian, luotian_cadre):
    from zhenwu.monitoring.actions.clues import do_report_clue

    do_report_clue(
        actor=luotian_cadre,
        village=luotian,
        channel="self_declared",
        reported_on=datetime.date(2023, 6, 2),
        household=luotian_set["lifted"],
        risk_types=["illness"],
        description="自主申报",
    )
    round_ = do_open_round(luotian, JUNE, actor=luotian_cadre)
    saved = visit(
        round_,
        luotian_set["lifted"],
        luotian_cadre,
        checks=dict(ALL_OK, medical=False),
        report_clue=True,
        risk_types=["illness"],
    )
    assert saved.clue is None and saved.clue_duplicate is True
    assert ScreeningVisit.objects.filter(pk=saved.pk).exists()
    assert Clue.objects.filter(household=luotian_set["lifted"]).count() == 1
    row = AuditEvent.objects.get(event="monitoring.visit_recorded", object_id=str(saved.public_id))
    assert row.data["clue_duplicate"] is True

"""每月一排查 pages: overview per village, open a round, target list with search, the visit
form (checklist, errors, problems, clue), scoping (404/403), closing."""

import datetime

import pytest
from django.urls import reverse

from zhenwu.core.models import AuditEvent
from zhenwu.monitoring.actions.screening import do_open_round, do_record_visit
from zhenwu.monitoring.models import Clue, Problem, ScreeningRound, ScreeningVisit
from zhenwu.testing.personas import make_household

pytestmark = pytest.mark.django_db

JUNE = datetime.date(2023, 6, 1)


@pytest.fixture
def luotian_round(luotian_household, township_officer, luotian, luotian_cadre):
    make_household(
        township_officer,
        luotian,
        "LT0002",
        [("李四光", datetime.date(1960, 2, 2), "head")],
        category="monitored",
    )
    return do_open_round(luotian, JUNE, actor=luotian_cadre)


@pytest.fixture
def makou_round(makou_household, makou, makou_cadre):
    round_ = do_open_round(makou, JUNE, actor=makou_cadre)
    round_.target_households.add(makou_household)
    return round_


def visit_url(round_, household):
    return reverse("monitoring:screening_visit", args=[round_.public_id, household.public_id])


def round_url(round_):
    return reverse("monitoring:screening_round", args=[round_.public_id])


def form_data(**overrides) -> dict:
    data = {
        "visited_on": "2023-06-15",
        "visitors": "螺田村干部、驻村队员",
        "income_change": "stable",
        "rigid_spending": "0",
        "notes": "",
        "problems-TOTAL_FORMS": "3",
        "problems-INITIAL_FORMS": "0",
        "problems-MIN_NUM_FORMS": "0",
        "problems-MAX_NUM_FORMS": "3",
    }
    for key in ("food", "clothing", "education", "medical", "housing", "water"):
        data[f"check_{key}"] = "yes"
    data.update(overrides)
    return data


def test_overview_shows_progress_per_village(
    client, luotian_round, makou_round, township_officer, luotian_household, luotian_cadre
):
    do_record_visit(
        luotian_round,
        luotian_household,
        actor=luotian_cadre,
        visited_on=datetime.date(2023, 6, 3),
        visitors=["螺田村干部"],
        checks={},
        income_change="stable",
        rigid_spending=0,
        notes="",
        report_clue=False,
        problems=[],
    )
    client.force_login(township_officer)
    response = client.get(reverse("monitoring:screening_overview"), {"month": "2023-06"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "螺田村" in page and "马口村" in page
    assert '<progress max="100" value="50"' in page
    assert "1 / 3" in page  # totals: 1 visited of 2 + 1 targets


def test_overview_of_a_cadre_shows_only_their_village(
    client, luotian_round, makou_round, luotian_cadre
):
    client.force_login(luotian_cadre)
    page = client.get(
        reverse("monitoring:screening_overview"), {"month": "2023-06"}
    ).content.decode()
    assert "螺田村" in page
    assert "马口村" not in page


@pytest.mark.parametrize("persona", ["auditor", "department_clerk", "no_membership_user"])
def test_overview_needs_monitoring_permission(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("monitoring:screening_overview")).status_code == 403


def test_open_round_from_the_page(client, luotian_household, luotian, luotian_cadre):
    client.force_login(luotian_cadre)
    response = client.post(
        reverse("monitoring:screening_open"),
        {"village": luotian.pk, "month": "2023-07", "groups": ["lifted", "monitored"]},
    )
    round_ = ScreeningRound.objects.get(village=luotian, month=datetime.date(2023, 7, 1))
    assert response.status_code == 302 and response.url == round_url(round_)
    assert list(round_.target_households.values_list("number", flat=True)) == ["LT0001"]


def test_cadre_cannot_open_another_villages_round_from_the_page(client, makou, luotian_cadre):
    client.force_login(luotian_cadre)
    response = client.post(
        reverse("monitoring:screening_open"),
        {"village": makou.pk, "month": "2023-07", "groups": ["lifted"]},
    )
    assert response.status_code == 302
    assert not ScreeningRound.objects.filter(village=makou).exists()


def test_round_page_lists_targets_and_searches_by_pinyin(client, luotian_round, luotian_cadre):
    client.force_login(luotian_cadre)
    page = client.get(round_url(luotian_round)).content.decode()
    assert "张三丰" in page and "李四光" in page and "未走访" in page
    page = client.get(round_url(luotian_round), {"q": "lsg"}).content.decode()
    assert "李四光" in page and "张三丰" not in page
    search = AuditEvent.objects.filter(event="monitoring.round_search").last()
    assert search.data == {"query_kind": "text:lsg", "count": 1}


def test_round_and_visit_pages_are_404_out_of_scope(
    client, makou_round, makou_household, luotian_cadre
):
    client.force_login(luotian_cadre)
    assert client.get(round_url(makou_round)).status_code == 404
    assert client.get(visit_url(makou_round, makou_household)).status_code == 404
    response = client.post(visit_url(makou_round, makou_household), form_data())
    assert response.status_code == 404
    assert not ScreeningVisit.objects.exists()


def test_visit_form_prefills_the_cadre_and_shows_toggles(
    client, luotian_round, luotian_household, luotian_cadre
):
    client.force_login(luotian_cadre)
    page = client.get(visit_url(luotian_round, luotian_household)).content.decode()
    assert 'value="螺田村干部"' in page
    assert page.count('class="toggle-yes"') == 12  # six inputs and six labels
    assert "不愁吃" in page and "饮水安全" in page


def test_visit_form_saves_a_visit(client, luotian_round, luotian_household, luotian_cadre):
    client.force_login(luotian_cadre)
    response = client.post(
        visit_url(luotian_round, luotian_household),
        form_data(check_water="no", rigid_spending="300"),
    )
    assert response.status_code == 302 and response.url == round_url(luotian_round)
    visit = ScreeningVisit.objects.get(round=luotian_round, household=luotian_household)
    assert visit.water_ok is False and visit.food_ok is True
    assert visit.visitors == ["螺田村干部", "驻村队员"]
    page = client.get(round_url(luotian_round)).content.decode()
    assert "已走访 1 / 2" in page


def test_second_save_edits_the_visit_with_its_version(
    client, luotian_round, luotian_household, luotian_cadre
):
    client.force_login(luotian_cadre)
    client.post(visit_url(luotian_round, luotian_household), form_data())
    visit = ScreeningVisit.objects.get()
    page = client.get(visit_url(luotian_round, luotian_household)).content.decode()
    assert f'name="version" value="{visit.version}"' in page
    response = client.post(
        visit_url(luotian_round, luotian_household),
        form_data(notes="复访", version=str(visit.version)),
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.notes == "复访" and visit.version == 2
    stale = client.post(
        visit_url(luotian_round, luotian_household), form_data(notes="旧页面", version="1")
    )
    assert stale.status_code == 400
    assert "该记录已被他人修改" in stale.content.decode()
    visit.refresh_from_db()
    assert visit.notes == "复访"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"visitors": " 、 "}, "请填写至少一名走访人员"),
        ({"rigid_spending": "-1"}, "确保该值大于或等于0"),
        ({"check_food": ""}, "这个字段是必填项"),
        ({"visited_on": "2023-05-20"}, "走访日期须在本轮月份之后"),
        ({"report_clue": "on"}, "请选择至少一种风险类型"),
        ({"problems-0-kind": "housing"}, "请完整填写问题类型"),
    ],
)
def test_visit_form_errors_are_translated(
    client, luotian_round, luotian_household, luotian_cadre, overrides, message
):
    client.force_login(luotian_cadre)
    response = client.post(visit_url(luotian_round, luotian_household), form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ScreeningVisit.objects.exists()


def test_visit_form_opens_problems_and_reports_a_clue(
    client, luotian_round, luotian_household, luotian_cadre
):
    client.force_login(luotian_cadre)
    data = form_data(
        check_housing="no",
        report_clue="on",
        risk_types=["unsafe_housing"],
        notes="厨房墙体开裂",
        **{
            "problems-0-kind": "housing",
            "problems-0-description": "厨房墙体开裂",
            "problems-0-owner": "村建设专干",
            "problems-0-deadline_on": "2023-08-31",
        },
    )
    response = client.post(visit_url(luotian_round, luotian_household), data, follow=True)
    page = response.content.decode()
    visit = ScreeningVisit.objects.get()
    assert Problem.objects.get(visit=visit).kind == "housing"
    clue = Clue.objects.get(visit=visit)
    assert clue.risk_types == ["unsafe_housing"]
    assert "已报告风险线索" in page and "已登记 1 个整改问题" in page


def test_duplicate_clue_message_and_visit_kept(
    client, luotian_round, luotian_household, luotian_cadre, luotian
):
    from zhenwu.monitoring.actions.clues import do_report_clue

    do_report_clue(
        actor=luotian_cadre,
        village=luotian,
        channel="self_declared",
        reported_on=datetime.date(2023, 6, 2),
        household=luotian_household,
        risk_types=["illness"],
        description="申报",
    )
    client.force_login(luotian_cadre)
    data = form_data(check_medical="no", report_clue="on", risk_types=["illness"])
    page = client.post(
        visit_url(luotian_round, luotian_household), data, follow=True
    ).content.decode()
    assert ScreeningVisit.objects.filter(household=luotian_household).exists()
    assert "已有未办结的线索或监测程序" in page


def test_close_round_stops_visits(client, luotian_round, luotian_household, luotian_cadre):
    client.force_login(luotian_cadre)
    response = client.post(reverse("monitoring:screening_close", args=[luotian_round.public_id]))
    assert response.status_code == 302
    luotian_round.refresh_from_db()
    assert luotian_round.status == "closed"
    page = client.get(round_url(luotian_round)).content.decode()
    assert visit_url(luotian_round, luotian_household) not in page
    response = client.post(visit_url(luotian_round, luotian_household), form_data())
    assert response.status_code == 302
    assert not ScreeningVisit.objects.exists()


def test_township_officer_may_view_but_auditor_may_not(
    client, luotian_round, township_officer, auditor
):
    client.force_login(township_officer)
    assert client.get(round_url(luotian_round)).status_code == 200
    client.force_login(auditor)
    assert client.get(round_url(luotian_round)).status_code == 404

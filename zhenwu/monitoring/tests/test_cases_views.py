"""Case and problem pages: lists with filters, detail with only the allowed step forms,
steps through the UI, scoping (404 for the other village) and the criteria table."""

import pytest
from django.urls import reverse

from zhenwu.monitoring.actions import cases
from zhenwu.monitoring.actions.problems import do_open_problem
from zhenwu.monitoring.models import MonitoringCase
from zhenwu.monitoring.tests.cases_helpers import D, make_clue, parameters, run_to
from zhenwu.registry.actions import do_apply_monitoring_decision

pytestmark = pytest.mark.django_db
__all__ = ["parameters"]


@pytest.fixture
def people(luotian_cadre, township_officer, district_officer):
    return {"cadre": luotian_cadre, "township": township_officer, "district": district_officer}


@pytest.fixture
def case(parameters, luotian_household, luotian_cadre):
    return cases.do_open_identification_case(make_clue(luotian_household), actor=luotian_cadre)


def page(response) -> str:
    return response.content.decode()


def test_list_shows_the_case_and_filters(client, case, luotian_cadre):
    client.force_login(luotian_cadre)
    url = reverse("monitoring:case_list")
    assert "LT0001" in page(client.get(url))
    assert "LT0001" not in page(client.get(url, {"kind": "elimination"}))
    assert "LT0001" in page(client.get(url, {"status": "draft", "village": "360704101214"}))


def test_overdue_filter(client, case, luotian_cadre):
    client.force_login(luotian_cadre)
    MonitoringCase.objects.filter(pk=case.pk).update(deadline_on=D(2000, 1, 1))
    response = client.get(reverse("monitoring:case_list"), {"overdue": "on"})
    assert "LT0001" in page(response) and "超期" in page(response)
    MonitoringCase.objects.filter(pk=case.pk).update(deadline_on=D(2999, 1, 1))
    assert "LT0001" not in page(client.get(reverse("monitoring:case_list"), {"overdue": "on"}))


def test_other_village_cadre_gets_404(client, case, makou_cadre):
    client.force_login(makou_cadre)
    assert client.get(reverse("monitoring:case_detail", args=[case.public_id])).status_code == 404
    step = reverse("monitoring:case_step", args=[case.public_id, "verify"])
    assert client.post(step, {}).status_code == 404
    assert "LT0001" not in page(client.get(reverse("monitoring:case_list")))


def test_detail_shows_only_allowed_steps(client, case, people):
    client.force_login(people["cadre"])
    html = page(client.get(reverse("monitoring:case_detail", args=[case.public_id])))
    assert 'id="step-verify"' in html and 'id="step-reject"' in html
    assert 'id="step-approve"' not in html and 'id="step-return"' not in html
    run_to(case, "notice_posted", **people)
    html = page(client.get(reverse("monitoring:case_detail", args=[case.public_id])))
    assert 'id="step-' not in html  # the township reviews next


def test_reviewer_sees_no_review_form_for_own_notice(client, case, people):
    run_to(case, "village_reviewed", **people)
    cases.do_post_notice(case, actor=people["township"], posted_on=D(2023, 3, 4))
    client.force_login(people["township"])
    html = page(client.get(reverse("monitoring:case_detail", args=[case.public_id])))
    assert 'id="step-township"' not in html and 'id="step-return"' in html


def test_step_through_the_ui(client, case, luotian_cadre):
    client.force_login(luotian_cadre)
    url = reverse("monitoring:case_step", args=[case.public_id, "verify"])
    data = {
        "verify-version": case.version,
        "verify-verified_on": "2023-03-02",
        "verify-verifiers": "刘一、陈二",
        "verify-notes": "属实",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "home_verified" and case.verifiers == ["刘一", "陈二"]
    timeline = page(client.get(reverse("monitoring:case_detail", args=[case.public_id])))
    assert "入户核实" in timeline


def test_refused_step_shows_the_message(client, case, luotian_cadre):
    client.force_login(luotian_cadre)
    url = reverse("monitoring:case_step", args=[case.public_id, "verify"])
    data = {
        "verify-version": case.version,
        "verify-verified_on": "2023-03-02",
        "verify-verifiers": "刘一",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and "至少2人" in page(response)
    case.refresh_from_db()
    assert case.status == "draft"


def test_reject_needs_a_reason_in_the_form(client, case, luotian_cadre):
    client.force_login(luotian_cadre)
    url = reverse("monitoring:case_step", args=[case.public_id, "reject"])
    assert (
        client.post(url, {"reject-version": case.version, "reject-reason": ""}).status_code == 400
    )
    response = client.post(url, {"reject-version": case.version, "reject-reason": "不符合条件"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "rejected"


def test_step_not_available_is_forbidden(client, case, luotian_cadre):
    client.force_login(luotian_cadre)
    url = reverse("monitoring:case_step", args=[case.public_id, "approve"])
    assert (
        client.post(url, {"approve-version": 1, "approve-approved_on": "2023-03-09"}).status_code
        == 403
    )


def test_open_case_page_with_category(client, parameters, luotian_household, luotian_cadre):
    clue = make_clue(luotian_household)
    client.force_login(luotian_cadre)
    url = reverse("monitoring:case_open", args=[clue.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"category": "100A03003", "risk_types": ["accident"]})
    assert response.status_code == 302
    case = MonitoringCase.objects.get(household=luotian_household)
    assert case.category == "100A03003" and case.risk_types == ["accident"]


def test_start_elimination_page(client, parameters, luotian_household, people):
    household = do_apply_monitoring_decision(
        luotian_household,
        actor=people["district"],
        expected_version=luotian_household.version,
        changes={
            "category": "monitored",
            "monitoring_category": "100A03001",
            "monitoring_since": D(2023, 1, 1),
            "risk_status": "unresolved",
        },
        case_id="test",
    )
    client.force_login(people["cadre"])
    listing = page(client.get(reverse("monitoring:case_list")))
    url = reverse("monitoring:case_start_elimination", args=[household.public_id])
    assert url in listing
    html = page(client.get(url, {"way": "assisted", "started_on": "2023-10-01"}))
    assert "暂无法核验" in html and "不满足" in html
    assert "未登记年度收入" in html and "已监测 9 个月，要求 6 个月" in html
    response = client.post(url, {"way": "natural", "started_on": "2023-10-01"})
    assert response.status_code == 302
    case = MonitoringCase.objects.get(household=household, kind="elimination")
    detail = page(client.get(reverse("monitoring:case_detail", args=[case.public_id])))
    assert "风险消除条件核验" in detail


def test_no_labour_household_refused_in_the_ui(client, parameters, luotian_household, people):
    household = do_apply_monitoring_decision(
        luotian_household,
        actor=people["district"],
        expected_version=luotian_household.version,
        changes={
            "category": "monitored",
            "monitoring_category": "100A03001",
            "monitoring_since": D(2023, 1, 1),
            "risk_status": "unresolved",
        },
        case_id="test",
    )
    household.__class__.objects.filter(pk=household.pk).update(no_labour=True)
    client.force_login(people["cadre"])
    url = reverse("monitoring:case_start_elimination", args=[household.public_id])
    response = client.post(url, {"way": "natural", "started_on": "2023-10-01"}, follow=True)
    assert "整户无劳动力家庭不得标注风险消除" in page(response)
    assert not MonitoringCase.objects.filter(household=household).exists()


# --- problems ------------------------------------------------------------------------------


def test_problem_pages(client, luotian_household, luotian_cadre, township_officer, makou_cadre):
    client.force_login(luotian_cadre)
    create = reverse("monitoring:problem_create", args=[luotian_household.public_id])
    response = client.post(
        create,
        {
            "kind": "water",
            "description": "停水",
            "owner": "刘一",
            "found_on": "2023-03-01",
            "deadline_on": "2023-03-31",
        },
    )
    assert response.status_code == 302
    detail = response["Location"]
    listing = page(client.get(reverse("monitoring:problem_list"), {"kind": "water"}))
    assert "LT0001" in listing and "超期" in listing
    assert "LT0001" not in page(client.get(reverse("monitoring:problem_list"), {"kind": "housing"}))
    html = page(client.get(detail))
    assert 'name="advance-status"' in html and 'name="edit-owner"' in html
    response = client.post(
        detail,
        {
            "form": "advance",
            "advance-version": 1,
            "advance-status": "fixed",
            "advance-on": "2023-03-20",
        },
    )
    assert response.status_code == 302
    assert 'value="verified"' not in page(client.get(detail))  # the fixer cannot verify
    client.force_login(township_officer)
    response = client.post(
        detail,
        {
            "form": "advance",
            "advance-version": 2,
            "advance-status": "verified",
            "advance-on": "2023-03-22",
        },
    )
    assert response.status_code == 302
    client.force_login(makou_cadre)
    assert client.get(detail).status_code == 404


def test_problem_for_other_village_household_is_404(client, makou_cadre, luotian_household):
    client.force_login(makou_cadre)
    url = reverse("monitoring:problem_create", args=[luotian_household.public_id])
    assert client.get(url).status_code == 404


def test_problem_list_overdue_filter(client, luotian_household, luotian_cadre):
    do_open_problem(
        luotian_household,
        actor=luotian_cadre,
        kind="housing",
        description="x",
        owner="y",
        found_on=D(2023, 1, 1),
        deadline_on=D(2999, 1, 1),
    )
    client.force_login(luotian_cadre)
    assert "LT0001" not in page(client.get(reverse("monitoring:problem_list"), {"overdue": "on"}))


def test_income_figures_only_for_users_who_see_incomes():
    from zhenwu.monitoring.views_cases import criteria_rows

    results = {"items": [{"code": "income_above_line", "passed": True, "detail": "2023:9000/7000"}]}
    assert "9000" in criteria_rows(results, show_income=True)[0]["detail"]
    assert criteria_rows(results, show_income=False)[0]["detail"] == ""


def test_list_queries_do_not_grow_with_rows(
    client, parameters, luotian_household, makou_household, township_officer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(township_officer)
    url = reverse("monitoring:case_list")
    cases.do_open_identification_case(make_clue(luotian_household), actor=township_officer)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    cases.do_open_identification_case(make_clue(makou_household), actor=township_officer)
    with CaptureQueriesContext(connection) as two:
        assert "MK0001" in page(client.get(url))
    assert len(two) == len(one)


def test_problem_list_queries_do_not_grow_with_rows(
    client, luotian_household, makou_household, township_officer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def problem(household):
        do_open_problem(
            household,
            actor=township_officer,
            kind="housing",
            description="x",
            owner="y",
            found_on=D(2023, 1, 1),
            deadline_on=D(2023, 2, 1),
        )

    client.force_login(township_officer)
    url = reverse("monitoring:problem_list")
    problem(luotian_household)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    problem(makou_household)
    with CaptureQueriesContext(connection) as two:
        assert "MK0001" in page(client.get(url))
    assert len(two) == len(one)


def test_detail_links_to_problem_registration(client, case, luotian_cadre):
    client.force_login(luotian_cadre)
    html = page(client.get(reverse("monitoring:case_detail", args=[case.public_id])))
    assert reverse("monitoring:problem_create", args=[case.household.public_id]) in html

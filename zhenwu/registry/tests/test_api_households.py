"""Household endpoints of the API: scope on writes, moves, optimistic locking, validation,
audit of reads and searches, keyset pagination."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhenwu.api.tests.helpers import all_pages, client_for, error_fields, get, patch, post
from zhenwu.core.models import AuditEvent
from zhenwu.registry.models import Household
from zhenwu.testing.personas import make_household

pytestmark = pytest.mark.django_db


def events(name):
    return AuditEvent.objects.filter(event=name).order_by("id")


# --- Scope on writes (SECURITY.md 2) -------------------------------------------------------


def test_luotian_cadre_cannot_create_in_makou_and_nothing_is_written(request, makou):
    client = client_for(request, "luotian_cadre")
    before = Household.objects.count()
    created_before = events("registry.household_created").count()

    response = post(client, "/households", {"village": makou.code, "number": "MK0999"})

    assert response.status_code == 403
    assert response.json()["code"] == "out_of_scope"
    assert Household.objects.count() == before
    assert not Household.objects.filter(number="MK0999").exists()
    assert events("registry.household_created").count() == created_before
    denial = events("api.request_denied").last()
    assert denial.username == "luotian" and denial.outcome == "denied"
    assert denial.data["code"] == "out_of_scope"


@pytest.mark.parametrize(
    "smuggled",
    [
        {"village_id": 1},
        {"area": "360704101203"},
        {"created_by": 1},
        {"version": 7},
        {"public_id": "00000000-0000-0000-0000-000000000000"},
        {"id": 5},
    ],
)
def test_no_mass_assignment_of_fields_outside_the_schema(request, luotian, smuggled):
    client = client_for(request, "township_officer")
    response = post(
        client, "/households", {"village": luotian.code, "number": "LT0998", **smuggled}
    )
    assert response.status_code == 422
    assert error_fields(response) == set(smuggled)
    assert not Household.objects.filter(number="LT0998").exists()


def test_created_household_is_in_the_given_village_with_its_fields(request, luotian):
    client = client_for(request, "luotian_cadre")
    response = post(
        client,
        "/households",
        {
            "village": luotian.code,
            "number": "LT0997",
            "category": "monitored",
            "monitoring_category": "100A03002",
            "risks": ["illness", "schooling"],
            "phone": "13812345678",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["village"] == {"code": luotian.code, "name": "螺田村"}
    assert body["phone_masked"] == "138****5678"
    assert "13812345678" not in response.content.decode()
    household = Household.objects.get(public_id=body["public_id"])
    assert (household.village, household.category, household.risks) == (
        luotian,
        "monitored",
        ["illness", "schooling"],
    )
    assert household.created_by.username == "luotian"
    assert events("registry.household_created").last().object_id == body["public_id"]


def test_unknown_village_code_names_the_field(request):
    response = post(
        client_for(request, "township_officer"),
        "/households",
        {"village": "999999999999", "number": "X"},
    )
    assert response.status_code == 422
    assert error_fields(response) == {"village"}


def test_a_township_is_not_a_village(request, shadi):
    response = post(
        client_for(request, "township_officer"),
        "/households",
        {"village": shadi.code, "number": "X"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "area_level"


def test_duplicate_household_number_names_the_field(request, luotian_household, luotian):
    response = post(
        client_for(request, "township_officer"),
        "/households",
        {"village": luotian.code, "number": "LT0001"},
    )
    assert response.status_code == 422
    assert error_fields(response) == {"number"}


def test_bad_enumeration_names_the_field(request, luotian):
    response = post(
        client_for(request, "township_officer"),
        "/households",
        {"village": luotian.code, "number": "X", "category": "rich"},
    )
    assert response.status_code == 422
    assert error_fields(response) == {"category"}


# --- Moves ----------------------------------------------------------------------------


def test_household_moved_to_makou_disappears_for_luotian_cadre(request, luotian_household, makou):
    officer = client_for(request, "township_officer")
    luotian_cadre = client_for(request, "luotian_cadre")
    makou_cadre = client_for(request, "makou_cadre")
    path = f"/households/{luotian_household.public_id}"
    assert get(luotian_cadre, path).status_code == 200

    response = patch(officer, path, {"version": 1, "village": makou.code})
    assert response.status_code == 200, response.content
    assert response.json()["village"]["code"] == makou.code

    assert get(luotian_cadre, path).status_code == 404
    assert all_pages(luotian_cadre, "/households") == []
    assert all_pages(luotian_cadre, "/households", {"q": "zsf"}) == []
    assert all_pages(luotian_cadre, "/persons", {"q": "zsf"}) == []
    assert get(makou_cadre, path).status_code == 200
    assert [h["number"] for h in all_pages(makou_cadre, "/households")] == ["LT0001"]


def test_luotian_cadre_cannot_move_a_household_out_of_scope(request, luotian_household, makou):
    response = patch(
        client_for(request, "luotian_cadre"),
        f"/households/{luotian_household.public_id}",
        {"version": 1, "village": makou.code, "note": "迁走"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "out_of_scope"
    luotian_household.refresh_from_db()
    assert luotian_household.village.code == "360704101214"
    assert (luotian_household.note, luotian_household.version) == ("", 1)


# --- Optimistic locking (SECURITY.md 18) -------------------------------------------------


def test_stale_version_is_a_409_conflict(request, luotian_household):
    client = client_for(request, "luotian_cadre")
    path = f"/households/{luotian_household.public_id}"
    first = patch(client, path, {"version": 1, "note": "第一次"})
    assert first.status_code == 200 and first.json()["version"] == 2

    stale = patch(client, path, {"version": 1, "note": "过期的编辑"})

    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert stale.json()["message"] == "该记录已被他人修改，请刷新后重新编辑。"
    luotian_household.refresh_from_db()
    assert (luotian_household.note, luotian_household.version) == ("第一次", 2)


def test_patch_needs_a_version(request, luotian_household):
    response = patch(
        client_for(request, "luotian_cadre"),
        f"/households/{luotian_household.public_id}",
        {"note": "x"},
    )
    assert response.status_code == 422
    assert error_fields(response) == {"version"}


def test_patch_changes_only_the_fields_sent(request, luotian_household):
    client = client_for(request, "luotian_cadre")
    path = f"/households/{luotian_household.public_id}"
    response = patch(client, path, {"version": 1, "address": "螺田村3组12号"})
    assert response.status_code == 200
    luotian_household.refresh_from_db()
    assert luotian_household.address == "螺田村3组12号"
    assert (luotian_household.category, luotian_household.lifted_year) == ("lifted", 2016)
    change = AuditEvent.objects.filter(event="registry.household_updated").last()
    assert change.data["changes"] == {"address": ["", "螺田村3组12号"]}


@pytest.mark.parametrize("field", ["number", "village", "category", "note"])
def test_patch_refuses_null_for_required_fields(request, luotian_household, field):
    response = patch(
        client_for(request, "luotian_cadre"),
        f"/households/{luotian_household.public_id}",
        {"version": 1, field: None},
    )
    assert response.status_code == 422
    assert error_fields(response) == {field}


# --- Audit of reads and searches (SECURITY.md 9) -------------------------------------------


def test_detail_read_is_audited(request, luotian_household):
    response = get(
        client_for(request, "luotian_token"), f"/households/{luotian_household.public_id}"
    )
    assert response.status_code == 200
    row = events("registry.household_viewed").last()
    assert row.username == "luotian-app"
    assert row.object_id == str(luotian_household.public_id)
    assert row.channel == "api"


def test_search_is_audited_with_filters_and_count(request, luotian_household, luotian):
    client = client_for(request, "luotian_cadre")
    response = get(client, "/households", {"q": "zsf", "village": luotian.code})
    assert len(response.json()["items"]) == 1
    row = events("registry.search").last()
    assert row.username == "luotian"
    assert row.data == {
        "query_kind": "text:zsf",
        "filters": {"village": luotian.code},
        "count": 1,
    }


def test_a_plain_list_is_not_a_search(request, luotian_household):
    before = events("registry.search").count()
    get(client_for(request, "luotian_cadre"), "/households")
    assert events("registry.search").count() == before


def test_a_full_id_number_search_keeps_no_id_in_the_audit(request, luotian_household):
    head = luotian_household.members.get(relation="head")
    response = get(client_for(request, "township_officer"), "/households", {"q": head.id_number})
    assert [h["number"] for h in response.json()["items"]] == ["LT0001"]
    row = events("registry.search").last()
    assert row.data["query_kind"] == "id_number"
    assert head.id_number not in str(row.data)


# --- Pagination --------------------------------------------------------------------------


@pytest.fixture
def five_more(township_officer, luotian):
    return [make_household(township_officer, luotian, f"LT02{i:02d}", []) for i in range(5)]


def test_keyset_pages_follow_the_cursor(request, luotian_household, five_more):
    client = client_for(request, "luotian_cadre")
    first = get(client, "/households", {"limit": 4}).json()
    assert len(first["items"]) == 4 and first["next_cursor"]
    second = get(client, "/households", {"limit": 4, "cursor": first["next_cursor"]}).json()
    assert len(second["items"]) == 2 and second["next_cursor"] is None
    numbers = [h["number"] for h in first["items"] + second["items"]]
    assert numbers == ["LT0001", "LT0200", "LT0201", "LT0202", "LT0203", "LT0204"]


@pytest.mark.parametrize("params", [{"limit": 201}, {"limit": 0}, {"cursor": "forged"}])
def test_bad_paging_parameters_name_the_field(request, params):
    response = get(client_for(request, "luotian_cadre"), "/households", params)
    assert response.status_code == 422
    assert error_fields(response) == set(params)


@pytest.mark.parametrize("path", ["/households", "/persons"])
def test_list_query_count_is_pinned(
    request, luotian_household, five_more, path, django_assert_num_queries
):
    """Token + memberships + page (+ members prefetched for households), whatever the size."""
    client = client_for(request, "luotian_token")
    get(client, path)  # last_used_at written once
    expected = 4 if path == "/households" else 3
    for limit in (1, 8):
        with django_assert_num_queries(expected):
            assert get(client, path, {"limit": limit}).status_code == 200


def test_no_full_count_on_a_plain_page(request, luotian_household):
    client = client_for(request, "luotian_token")
    with CaptureQueriesContext(connection) as captured:
        assert get(client, "/households").status_code == 200
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)

"""Household list, search and detail pages: scoping matrix per persona, masking, field
omission, audit of reads and searches, keyset pagination and pinned query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhenwu.accounts.roles import ROLE_PERMISSIONS, Perm, Role
from zhenwu.core.models import AuditEvent
from zhenwu.registry import views
from zhenwu.registry.actions import do_record_income, do_update_household
from zhenwu.testing.personas import make_household

# persona fixture, can use the list, sees 螺田村 (LT0001), sees 马口村 (MK0001)
MATRIX = [
    ("district_officer", True, True, True),
    ("township_officer", True, True, True),
    ("luotian_cadre", True, True, False),
    ("makou_cadre", True, False, True),
    ("auditor", False, False, False),
    ("system_admin", False, False, False),
    ("department_clerk", False, False, False),
    ("no_membership_user", False, False, False),
]


def page(response) -> str:
    return response.content.decode()


def list_url(**params) -> str:
    url = reverse("registry:household_list")
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return url


def detail_url(household) -> str:
    return reverse("registry:household_detail", args=[household.public_id])


def person_url(person) -> str:
    return reverse("registry:person_detail", args=[person.public_id])


@pytest.fixture
def households(luotian_household, makou_household):
    return {"LT0001": luotian_household, "MK0001": makou_household}


@pytest.mark.parametrize(("persona", "may_list", "sees_lt", "sees_mk"), MATRIX)
def test_list_shows_only_the_personas_subtree(
    request, client, households, persona, may_list, sees_lt, sees_mk
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(list_url())
    if not may_list:
        assert response.status_code == 403
        assert "LT0001" not in page(response) and "MK0001" not in page(response)
        return
    assert response.status_code == 200
    assert ("LT0001" in page(response)) is sees_lt
    assert ("MK0001" in page(response)) is sees_mk


@pytest.mark.parametrize(("persona", "may_list", "sees_lt", "sees_mk"), MATRIX)
@pytest.mark.parametrize("term", ["ww", "王五", "zsf", "zhangsanfeng"])
def test_search_never_crosses_scope(
    request, client, households, persona, may_list, sees_lt, sees_mk, term
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(list_url(q=term))
    if not may_list:
        assert response.status_code == 403
        return
    expected_lt = sees_lt and term in ("zsf", "zhangsanfeng")
    expected_mk = sees_mk and term in ("ww", "王五")
    assert ("LT0001" in page(response)) is expected_lt
    assert ("MK0001" in page(response)) is expected_mk


@pytest.mark.parametrize(("persona", "may_list", "sees_lt", "sees_mk"), MATRIX)
def test_household_and_person_detail_are_404_out_of_scope(
    request, client, households, persona, may_list, sees_lt, sees_mk
):
    client.force_login(request.getfixturevalue(persona))
    for number, visible in (("LT0001", sees_lt), ("MK0001", sees_mk)):
        household = households[number]
        head = household.members.get(relation="head")
        expected = 200 if visible else 404
        assert client.get(detail_url(household)).status_code == expected
        assert client.get(person_url(head)).status_code == expected


@pytest.mark.parametrize(
    ("persona", "edits_lt", "edits_mk"),
    [
        ("district_officer", True, True),
        ("township_officer", True, True),
        ("luotian_cadre", True, False),
        ("makou_cadre", False, True),
        ("auditor", False, False),
        ("system_admin", False, False),
        ("no_membership_user", False, False),
    ],
)
def test_edit_pages_are_404_out_of_scope(request, client, households, persona, edits_lt, edits_mk):
    client.force_login(request.getfixturevalue(persona))
    for number, allowed in (("LT0001", edits_lt), ("MK0001", edits_mk)):
        household = households[number]
        head = household.members.get(relation="head")
        expected = 200 if allowed else 404
        url = reverse("registry:household_edit", args=[household.public_id])
        assert client.get(url).status_code == expected
        assert client.get(reverse("registry:person_edit", args=[head.public_id])).status_code == (
            expected
        )
        add_url = reverse("registry:person_add", args=[household.public_id])
        assert client.get(add_url).status_code == expected


def test_household_moved_to_makou_disappears_for_luotian_cadre(
    client, luotian_household, township_officer, luotian_cadre, makou
):
    client.force_login(luotian_cadre)
    assert "LT0001" in page(client.get(list_url()))
    do_update_household(
        luotian_household,
        actor=township_officer,
        expected_version=luotian_household.version,
        changes={},
        village=makou,
    )
    assert "LT0001" not in page(client.get(list_url()))
    assert "LT0001" not in page(client.get(list_url(q="zsf")))
    assert client.get(detail_url(luotian_household)).status_code == 404
    head = luotian_household.members.get(relation="head")
    assert client.get(person_url(head)).status_code == 404


def test_unknown_household_is_the_same_404(client, luotian_cadre):
    client.force_login(luotian_cadre)
    missing = reverse("registry:household_detail", args=["00000000-0000-0000-0000-000000000000"])
    response = client.get(missing)
    assert response.status_code == 404
    assert "记录不存在或无权访问" in page(response)


def test_village_filter_offers_only_villages_in_scope(client, households, luotian_cadre):
    client.force_login(luotian_cadre)
    html = page(client.get(list_url()))
    assert "螺田村" in html
    assert "马口村" not in html


def test_filters_by_village_category_and_status(client, households, township_officer):
    client.force_login(township_officer)
    html = page(client.get(list_url(village="360704101203")))
    assert "MK0001" in html and "LT0001" not in html
    html = page(client.get(list_url(category="lifted")))
    assert "LT0001" in html and "MK0001" not in html
    html = page(client.get(list_url(status="cancelled")))
    assert "LT0001" not in html and "MK0001" not in html


def test_a_cadre_filtering_on_another_village_gets_nothing(client, households, luotian_cadre):
    client.force_login(luotian_cadre)
    html = page(client.get(list_url(village="360704101203")))
    assert "MK0001" not in html


def test_list_shows_head_village_category_count_and_masked_phone(client, township_officer, luotian):
    household = make_household(
        township_officer,
        luotian,
        "LT0100",
        [
            ("陈大牛", datetime.date(1970, 1, 2), "head"),
            ("陈小花", datetime.date(1999, 5, 6), "daughter"),
        ],
        phone="13807975678",
    )
    client.force_login(township_officer)
    html = page(client.get(list_url(q="LT0100")))
    assert household.number in html
    assert "陈大牛" in html and "螺田村" in html and "一般户" in html
    assert "138****5678" in html
    assert "13807975678" not in html


def test_search_by_last_four_digits_and_full_id_number(client, luotian_household, luotian_cadre):
    head = luotian_household.members.get(relation="head")
    client.force_login(luotian_cadre)
    assert "LT0001" in page(client.get(list_url(q=head.id_last4)))
    html = page(client.get(list_url(q=head.id_number)))
    assert "LT0001" in html
    # The typed full ID number is not echoed into the page beyond the search box itself.
    assert html.count(head.id_number) <= 1


def test_htmx_search_returns_only_the_results_partial(client, households, luotian_cadre):
    client.force_login(luotian_cadre)
    response = client.get(list_url(q="zsf"), headers={"HX-Request": "true"})
    html = page(response)
    assert response.status_code == 200
    assert "<html" not in html and "LT0001" in html
    assert "HX-Request" in response["Vary"]


def test_masked_output_never_contains_full_id_numbers(client, luotian_household, township_officer):
    members = list(luotian_household.members.all())
    client.force_login(township_officer)
    pages = [page(client.get(list_url())), page(client.get(list_url(q="zsf")))]
    pages.append(page(client.get(detail_url(luotian_household))))
    pages += [page(client.get(person_url(p))) for p in members]
    for person in members:
        assert any(person.id_masked in html for html in pages)
        for html in pages:
            assert person.id_number not in html
            assert person.id_number[6:14] not in html  # the birth digits


def test_search_and_detail_reads_are_audited(client, luotian_household, luotian_cadre):
    client.force_login(luotian_cadre)
    client.get(list_url())
    assert not AuditEvent.objects.filter(event="registry.search").exists()
    client.get(list_url(q="zsf", category="lifted"))
    search = AuditEvent.objects.get(event="registry.search")
    assert search.user == luotian_cadre
    assert search.data["count"] == 1
    assert search.data["filters"] == {"category": "lifted"}

    client.get(detail_url(luotian_household))
    viewed = AuditEvent.objects.get(event="registry.household_viewed")
    member_ids = {str(p.public_id) for p in luotian_household.members.all()}
    assert viewed.object_id == str(luotian_household.public_id)
    assert set(viewed.data["members"]) == member_ids

    head = luotian_household.members.get(relation="head")
    client.get(person_url(head))
    person_viewed = AuditEvent.objects.get(event="registry.person_viewed")
    assert person_viewed.object_id == str(head.public_id)
    assert person_viewed.user == luotian_cadre


def test_detail_shows_members_incomes_and_change_history(
    client, luotian_household, township_officer, luotian_cadre
):
    do_record_income(
        luotian_household,
        actor=township_officer,
        year=2022,
        components={"wage_income": 36000, "business_income": 3000},
    )
    client.force_login(luotian_cadre)
    html = page(client.get(detail_url(luotian_household)))
    for name in ("张三丰", "李秀英", "张小明"):
        assert name in html
    assert "健康状况" in html and "普通劳动力" in html
    assert "13000.00" in html  # per-capita net income 39000 / 3
    assert "登记年度收入" in html and "新增成员" in html  # history rows


def test_field_omission_without_view_sensitive(
    client, monkeypatch, luotian_household, township_officer, luotian_cadre
):
    """A role with registry.view but not view_sensitive gets no health, labour or income
    details in the HTML at all (SECURITY.md 4)."""
    do_record_income(
        luotian_household,
        actor=township_officer,
        year=2022,
        components={"wage_income": 36000, "business_income": 3000},
    )
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.VILLAGE_CADRE, frozenset({Perm.VIEW_REGISTRY}))
    client.force_login(luotian_cadre)
    html = page(client.get(detail_url(luotian_household)))
    assert "张三丰" in html
    for hidden in ("健康状况", "普通劳动力", "年度收入", "13000.00", "36000.00", "刚性支出"):
        assert hidden not in html
    head = luotian_household.members.get(relation="head")
    person_html = page(client.get(person_url(head)))
    assert "健康状况" not in person_html and "普通劳动力" not in person_html
    assert "编辑" not in person_html  # no edit permission either


def test_unfiltered_pages_never_count_the_table(client, monkeypatch, township_officer, luotian):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(5):
        make_household(
            township_officer, luotian, f"LT9{n:03d}", [("刘备", datetime.date(1980, 1, 1), "head")]
        )
    client.force_login(township_officer)
    with CaptureQueriesContext(connection) as queries:
        first = page(client.get(list_url()))
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    assert "LT9000" in first and "LT9001" in first and "LT9002" not in first
    second = page(client.get(list_url(after="LT9001")))
    assert "LT9002" in second and "LT9003" in second and "LT9001" not in second
    assert "after=LT9003" in second
    last = page(client.get(list_url(after="LT9003")))
    assert "LT9004" in last and "下一页" not in last


def test_filtered_search_shows_a_count(client, monkeypatch, township_officer, luotian):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(3):
        make_household(
            township_officer, luotian, f"LT8{n:03d}", [("关羽", datetime.date(1981, 1, 1), "head")]
        )
    client.force_login(township_officer)
    html = page(client.get(list_url(q="gy")))
    assert "共找到 3 户" in html


@pytest.mark.parametrize("size", [3, 12])
def test_list_query_count_is_pinned(
    client, township_officer, luotian, django_assert_max_num_queries, size
):
    """Same number of queries for 3 or 12 households: no query per row."""
    for n in range(size):
        make_household(
            township_officer,
            luotian,
            f"LT7{n:03d}",
            [
                ("孙权", datetime.date(1982, 1, 1), "head"),
                ("孙尚香", datetime.date(1984, 1, 1), "sibling"),
            ],
        )
    client.force_login(township_officer)
    client.get(list_url())  # warm caches (session, content types)
    with django_assert_max_num_queries(9):
        response = client.get(list_url())
    assert page(response).count("孙权") == size
    with django_assert_max_num_queries(16):
        client.get(list_url(q="sq"))


def test_detail_query_count_is_pinned(
    client, luotian_household, township_officer, django_assert_max_num_queries
):
    client.force_login(township_officer)
    client.get(detail_url(luotian_household))
    with django_assert_max_num_queries(16):
        client.get(detail_url(luotian_household))


def test_anonymous_users_are_sent_to_login(client, luotian_household):
    for url in (list_url(), detail_url(luotian_household)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

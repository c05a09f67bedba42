"""Endpoint × persona matrix of the registry API (SECURITY.md 1, 2): every persona sees
exactly its subtree, through every endpoint; anonymous callers get 401."""

from datetime import date

import pytest

from zhenwu.api.tests.helpers import PERSONAS, SEES, all_pages, client_for, get, patch, post
from zhenwu.registry.models import Household
from zhenwu.registry.selectors import visible_households, visible_persons
from zhenwu.testing.personas import test_id_number

pytestmark = pytest.mark.django_db

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]
# Who may create and edit in 螺田村 (registry.edit there).
LUOTIAN_EDITORS = {"district_officer", "township_officer", "luotian_cadre", "luotian_token"}
NO_REGISTRY_ROLE = {"auditor", "system_admin", "department_clerk", "no_membership_user"}


@pytest.fixture
def both(luotian_household, makou_household):
    return {"LT0001": luotian_household, "MK0001": makou_household}


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_household_list(request, persona, both):
    items = all_pages(client_for(request, persona), "/households")
    assert {h["number"] for h in items} == SEES[persona]


@pytest.mark.parametrize("persona", SIGNED_IN)
@pytest.mark.parametrize("number", ["LT0001", "MK0001"])
def test_household_detail(request, persona, number, both):
    response = get(client_for(request, persona), f"/households/{both[number].public_id}")
    if number in SEES[persona]:
        assert response.status_code == 200
        assert response.json()["number"] == number
    else:
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("persona", SIGNED_IN)
@pytest.mark.parametrize(("term", "number"), [("zsf", "LT0001"), ("王五", "MK0001")])
def test_household_search(request, persona, term, number, both):
    items = all_pages(client_for(request, persona), "/households", {"q": term})
    expected = {number} & SEES[persona]
    assert {h["number"] for h in items} == expected


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_household_filter_by_village_never_widens_scope(request, persona, both, makou):
    items = all_pages(client_for(request, persona), "/households", {"village": makou.code})
    assert {h["number"] for h in items} == {"MK0001"} & SEES[persona]


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_person_list_and_search(request, persona, both):
    client = client_for(request, persona)
    names = {p["name"] for p in all_pages(client, "/persons")}
    expected = set()
    if "LT0001" in SEES[persona]:
        expected |= {"张三丰", "李秀英", "张小明"}
    if "MK0001" in SEES[persona]:
        expected |= {"王五", "赵六"}
    assert names == expected
    found = {p["name"] for p in all_pages(client, "/persons", {"q": "ww"})}
    assert found == {"王五"} & expected


@pytest.mark.parametrize("persona", SIGNED_IN)
@pytest.mark.parametrize("number", ["LT0001", "MK0001"])
def test_person_detail(request, persona, number, both):
    head = both[number].members.get(relation="head")
    client = client_for(request, persona)
    response = get(client, f"/persons/{head.public_id}")
    assert response.status_code == (200 if number in SEES[persona] else 404)
    listed = get(client, "/persons", {"household": str(both[number].public_id)})
    assert bool(listed.json()["items"]) == (number in SEES[persona])


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_create_household_in_luotian(request, persona, luotian):
    client = client_for(request, persona)
    before = Household.objects.count()
    response = post(client, "/households", {"village": luotian.code, "number": "LT0999"})
    if persona in LUOTIAN_EDITORS:
        assert response.status_code == 201, response.content
        assert response.json()["village"]["code"] == luotian.code
        assert Household.objects.count() == before + 1
    else:
        assert response.status_code == 403
        expected = "permission_denied" if persona in NO_REGISTRY_ROLE else "out_of_scope"
        assert response.json()["code"] == expected
        assert Household.objects.count() == before


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_update_luotian_household(request, persona, both):
    household = both["LT0001"]
    client = client_for(request, persona)
    response = patch(client, f"/households/{household.public_id}", {"version": 1, "note": "已走访"})
    household.refresh_from_db()
    if persona in LUOTIAN_EDITORS:
        assert response.status_code == 200, response.content
        assert household.note == "已走访"
    else:
        assert response.status_code == 404  # cannot see it, so cannot learn it exists
        assert household.note == ""


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_create_person_in_luotian_household(request, persona, both):
    household = both["LT0001"]
    response = post(
        client_for(request, persona),
        f"/households/{household.public_id}/persons",
        {"name": "张小红", "id_number": test_id_number(date(2015, 1, 1)), "relation": "daughter"},
    )
    if persona in LUOTIAN_EDITORS:
        assert response.status_code == 201, response.content
    else:
        assert response.status_code == 404
    assert household.members.filter(name="张小红").exists() == (persona in LUOTIAN_EDITORS)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_update_luotian_person(request, persona, both):
    person = both["LT0001"].members.get(relation="son")
    response = patch(
        client_for(request, persona),
        f"/persons/{person.public_id}",
        {"version": 1, "work_months": 6},
    )
    person.refresh_from_db()
    if persona in LUOTIAN_EDITORS:
        assert response.status_code == 200, response.content
        assert person.work_months == 6
    else:
        assert response.status_code == 404
        assert person.work_months == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/households"),
        ("get", "/households/{household}"),
        ("post", "/households"),
        ("patch", "/households/{household}"),
        ("get", "/persons"),
        ("get", "/persons/{person}"),
        ("post", "/households/{household}/persons"),
        ("patch", "/persons/{person}"),
    ],
)
def test_anonymous_gets_401_everywhere(client, method, path, luotian_household, luotian):
    path = path.format(
        household=luotian_household.public_id,
        person=luotian_household.members.first().public_id,
    )
    body = {"village": luotian.code, "number": "X1", "version": 1}
    if method == "get":
        response = get(client, path)
    else:
        response = (post if method == "post" else patch)(client, path, body)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.fixture
def more_households(township_officer, luotian, makou):
    """Enough households that paging with a small limit takes several pages."""
    from zhenwu.testing.personas import make_household

    for i in range(4):
        make_household(township_officer, luotian, f"LT01{i:02d}", [])
        make_household(township_officer, makou, f"MK01{i:02d}", [])


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_totals_equal_scoped_totals(request, persona, both, more_households):
    """Paging through the whole list gives each visible household once: the same total
    the scoping policy gives, and the same persons."""
    from zhenwu.api.tests.helpers import user_of

    client = client_for(request, persona)
    user = user_of(request, persona)
    households = all_pages(client, "/households", {"limit": 3})
    assert len(households) == len({h["public_id"] for h in households})
    assert len(households) == visible_households(user).count()
    persons = all_pages(client, "/persons", {"limit": 2})
    assert len(persons) == visible_persons(user).count()

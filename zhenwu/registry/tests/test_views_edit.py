"""Create/edit pages: village scope, ID validation shown at the field, optimistic-locking
conflict with two stale forms, income and rigid-expense records."""

import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from zhenwu.core.models import AuditEvent
from zhenwu.registry.models import Household, IncomeRecord, Person, RigidExpense
from zhenwu.testing.personas import test_id_number


def page(response) -> str:
    return response.content.decode()


def household_post(village_code: str, **overrides) -> dict:
    data = {
        "number": "LT0500",
        "village": village_code,
        "group_name": "第三组",
        "address": "螺田村下屋5号",
        "phone": "13907971234",
        "category": "general",
        "status": "active",
    }
    data.update(overrides)
    return data


class _FormValues(HTMLParser):
    """Collects what a browser would submit from the page's edit form (class form-grid)."""

    def __init__(self):
        super().__init__()
        self.data, self.in_form, self.select, self.textarea = {}, False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = "form-grid" in (attrs.get("class") or "")
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
            else:
                self.data[name] = attrs.get("value") or ""
        elif tag == "select":
            self.select = name
            self.data[name] = ""
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select] = attrs.get("value", "")
        elif tag == "textarea":
            self.textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data


def edit_form_data(response) -> dict:
    parser = _FormValues()
    parser.feed(page(response))
    return parser.data


def test_cadre_creates_a_household_in_own_village(client, luotian_cadre, luotian):
    client.force_login(luotian_cadre)
    response = client.post(reverse("registry:household_create"), household_post(luotian.code))
    household = Household.objects.get(number="LT0500")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:household_detail", args=[household.public_id])
    assert household.village == luotian and household.phone == "13907971234"
    assert AuditEvent.objects.filter(
        event="registry.household_created", object_id=str(household.public_id)
    ).exists()


def test_cadre_cannot_pick_another_village(client, luotian_cadre, makou):
    client.force_login(luotian_cadre)
    form_page = page(client.get(reverse("registry:household_create")))
    assert "螺田村" in form_page and "马口村" not in form_page
    response = client.post(reverse("registry:household_create"), household_post(makou.code))
    assert response.status_code == 200
    assert "errorlist" in page(response)
    assert not Household.objects.filter(number="LT0500").exists()


def test_cadre_cannot_move_a_household_to_another_village(
    client, luotian_cadre, luotian_household, makou
):
    client.force_login(luotian_cadre)
    url = reverse("registry:household_edit", args=[luotian_household.public_id])
    data = edit_form_data(client.get(url))
    data["village"] = makou.code
    response = client.post(url, data)
    assert response.status_code == 200
    luotian_household.refresh_from_db()
    assert luotian_household.village.code != makou.code


def test_roles_without_edit_permission_get_403_on_create(client, auditor, no_membership_user):
    for user in (auditor, no_membership_user):
        client.force_login(user)
        assert client.get(reverse("registry:household_create")).status_code == 403


def test_duplicate_household_number_is_shown_at_the_field(
    client, township_officer, luotian_household, luotian
):
    client.force_login(township_officer)
    response = client.post(
        reverse("registry:household_create"), household_post(luotian.code, number="LT0001")
    )
    assert response.status_code == 200
    assert "户编号" in page(response) and "errorlist" in page(response)


def test_monitored_household_needs_its_category(client, township_officer, luotian):
    client.force_login(township_officer)
    response = client.post(
        reverse("registry:household_create"), household_post(luotian.code, category="monitored")
    )
    assert "监测户须填写监测对象类别" in page(response)


def test_edit_form_never_contains_the_full_phone(client, township_officer, luotian_household):
    from zhenwu.registry.actions import do_update_household

    do_update_household(
        luotian_household,
        actor=township_officer,
        expected_version=luotian_household.version,
        changes={"phone": "13807971111"},
    )
    client.force_login(township_officer)
    url = reverse("registry:household_edit", args=[luotian_household.public_id])
    html = page(client.get(url))
    assert "13807971111" not in html and "138****1111" in html
    # Submitting with the phone left empty keeps it.
    data = edit_form_data(client.get(url))
    data["address"] = "新地址"
    assert client.post(url, data).status_code == 302
    luotian_household.refresh_from_db()
    assert luotian_household.phone == "13807971111" and luotian_household.address == "新地址"


def test_two_stale_forms_give_a_conflict_not_a_silent_overwrite(
    client, township_officer, luotian_cadre, luotian_household
):
    url = reverse("registry:household_edit", args=[luotian_household.public_id])
    client.force_login(township_officer)
    first = edit_form_data(client.get(url))
    client.force_login(luotian_cadre)
    second = edit_form_data(client.get(url))
    assert first["version"] == second["version"]

    client.force_login(township_officer)
    first["address"] = "甲的地址"
    assert client.post(url, first).status_code == 302

    client.force_login(luotian_cadre)
    second["address"] = "乙的地址"
    response = client.post(url, second)
    html = page(response)
    assert response.status_code == 409
    assert "该记录已被他人修改" in html
    assert "乙的地址" in html  # the user's input is kept
    assert "住址：甲的地址" in html  # and the value saved meanwhile is shown
    luotian_household.refresh_from_db()
    assert luotian_household.address == "甲的地址"

    # A deliberate second submit of the kept form applies the user's input.
    resubmit = edit_form_data(response)
    assert resubmit["version"] == str(luotian_household.version)
    assert client.post(url, resubmit).status_code == 302
    luotian_household.refresh_from_db()
    assert luotian_household.address == "乙的地址"


def test_edit_without_version_is_refused(client, township_officer, luotian_household):
    client.force_login(township_officer)
    url = reverse("registry:household_edit", args=[luotian_household.public_id])
    data = edit_form_data(client.get(url))
    data.pop("version")
    data["address"] = "无版本"
    assert client.post(url, data).status_code == 200
    luotian_household.refresh_from_db()
    assert luotian_household.address != "无版本"


def person_post(id_number: str, **overrides) -> dict:
    data = {
        "name": "张小红",
        "id_number": id_number,
        "relation": "daughter",
        "ethnicity": "汉族",
        "labour_capacity": "ordinary",
        "health": "healthy",
        "work_months": "0",
        "medical_insurance": "resident",
    }
    data.update(overrides)
    return data


def test_add_member_validates_the_id_number_through_the_action(
    client, luotian_cadre, luotian_household
):
    client.force_login(luotian_cadre)
    url = reverse("registry:person_add", args=[luotian_household.public_id])
    bad = "360721200501010010"  # wrong check digit
    response = client.post(url, person_post(bad))
    html = page(response)
    assert response.status_code == 200
    assert "身份证号无效" in html and "校验位不正确" in html
    assert not Person.objects.filter(name="张小红").exists()

    head = luotian_household.members.get(relation="head")
    html = page(client.post(url, person_post(head.id_number)))
    assert "身份证号已登记在其他成员名下" in html

    good = test_id_number(datetime.date(2005, 1, 1))
    response = client.post(url, person_post(good.lower()))
    assert response.status_code == 302
    person = Person.objects.get(name="张小红")
    assert person.id_number == good and person.birth_date == datetime.date(2005, 1, 1)
    assert AuditEvent.objects.filter(
        event="registry.person_created", object_id=str(person.public_id)
    ).exists()


def test_edit_member_keeps_id_and_phone_when_left_empty(
    client, township_officer, luotian_household
):
    head = luotian_household.members.get(relation="head")
    client.force_login(township_officer)
    url = reverse("registry:person_edit", args=[head.public_id])
    html = page(client.get(url))
    assert head.id_number not in html and head.id_masked in html
    data = edit_form_data(client.get(url))
    assert data["id_number"] == ""
    data["work_months"] = "8"
    data["work_place"] = "out_of_province"
    response = client.post(url, data)
    assert response.status_code == 302
    head.refresh_from_db()
    assert head.work_months == 8 and head.id_number and head.version == 2


def test_member_edit_conflict(client, township_officer, luotian_cadre, luotian_household):
    head = luotian_household.members.get(relation="head")
    url = reverse("registry:person_edit", args=[head.public_id])
    client.force_login(township_officer)
    first = edit_form_data(client.get(url))
    second = dict(first)
    first["ethnicity"] = "畲族"
    assert client.post(url, first).status_code == 302
    second["ethnicity"] = "回族"
    response = client.post(url, second)
    assert response.status_code == 409
    assert "该记录已被他人修改" in page(response)
    head.refresh_from_db()
    assert head.ethnicity == "畲族"


def test_member_form_omits_bank_for_cadres_and_health_without_sensitive(
    client, monkeypatch, luotian_cadre, township_officer, luotian_household
):
    from zhenwu.accounts.roles import ROLE_PERMISSIONS, Perm, Role

    url = reverse("registry:person_add", args=[luotian_household.public_id])
    client.force_login(township_officer)
    assert 'name="bank_account"' in page(client.get(url))
    client.force_login(luotian_cadre)
    html = page(client.get(url))
    assert 'name="bank_account"' not in html and 'name="health"' in html
    monkeypatch.setitem(
        ROLE_PERMISSIONS, Role.VILLAGE_CADRE, frozenset({Perm.VIEW_REGISTRY, Perm.EDIT_REGISTRY})
    )
    html = page(client.get(url))
    assert 'name="health"' not in html and 'name="labour_capacity"' not in html
    income_url = reverse("registry:income_record", args=[luotian_household.public_id])
    assert client.get(income_url).status_code == 403


def test_income_record_form(client, luotian_cadre, luotian_household):
    client.force_login(luotian_cadre)
    url = reverse("registry:income_record", args=[luotian_household.public_id])
    data = {
        "year": "2022",
        "wage_income": "30000",
        "business_income": "6000",
        "property_income": "0",
        "transfer_income": "1200",
        "production_cost": "1500",
        "member_count": "",
    }
    assert client.post(url, data).status_code == 302
    record = IncomeRecord.objects.get(household=luotian_household, year=2022)
    assert record.net_income == Decimal("35700.00")
    assert record.per_capita_net_income == Decimal("11900.00")
    # Re-opening the year pre-fills it; a negative amount is refused.
    assert "30000" in page(client.get(url + "?year=2022"))
    data["wage_income"] = "-1"
    response = client.post(url, data)
    assert response.status_code == 200 and "errorlist" in page(response)


def test_rigid_expense_form(client, luotian_cadre, luotian_household):
    client.force_login(luotian_cadre)
    head = luotian_household.members.get(relation="head")
    url = reverse("registry:expense_record", args=[luotian_household.public_id])
    data = {
        "month": "2023-03",
        "kind": "medical",
        "amount": "8800.50",
        "person": str(head.public_id),
        "note": "住院自付",
    }
    assert client.post(url, data).status_code == 302
    expense = RigidExpense.objects.get(household=luotian_household)
    assert expense.month == datetime.date(2023, 3, 1) and expense.person == head
    detail = page(
        client.get(reverse("registry:household_detail", args=[luotian_household.public_id]))
    )
    assert "8800.50" in detail and "医疗自付" in detail


@pytest.mark.parametrize(
    "name", ["person_add", "income_record", "expense_record", "household_edit"]
)
def test_forms_of_another_village_are_404(client, luotian_cadre, makou_household, name):
    client.force_login(luotian_cadre)
    url = reverse(f"registry:{name}", args=[makou_household.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404

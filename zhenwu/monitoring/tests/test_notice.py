"""村内公示: printable per case and per township; names and village only — never ID numbers
(masked or not), phones, bank accounts or health data."""

import pytest
from django.urls import reverse

from zhenwu.core.models import AuditEvent
from zhenwu.monitoring.actions import cases
from zhenwu.monitoring.tests.cases_helpers import make_clue, parameters, run_to
from zhenwu.registry.actions import do_update_household, do_update_person
from zhenwu.registry.choices import Health
from zhenwu.registry.models import Person

pytestmark = pytest.mark.django_db
__all__ = ["parameters"]
PHONE = "13912345678"
BANK = "6217001234567890123"


@pytest.fixture
def people(luotian_cadre, township_officer, district_officer):
    return {"cadre": luotian_cadre, "township": township_officer, "district": district_officer}


@pytest.fixture
def posted(parameters, luotian_household, makou_household, people, makou_cadre):
    """Both test households in public notice; 螺田's members carry phone, bank, illness."""
    household = do_update_household(
        luotian_household,
        actor=people["township"],
        expected_version=luotian_household.version,
        changes={"phone": PHONE, "group_name": "第三组"},
    )
    for person, health in zip(
        household.members.all(), ["serious", "disabled", "chronic"], strict=True
    ):
        do_update_person(
            person,
            actor=people["township"],
            expected_version=person.version,
            changes={
                "phone": PHONE,
                "bank_account": BANK,
                "health": health,
                "disability": "肢体三级",
            },
        )
    luotian_case = cases.do_open_identification_case(
        make_clue(household), actor=people["cadre"], risk_types=["illness", "disability"]
    )
    run_to(luotian_case, "notice_posted", **people)
    makou_case = cases.do_open_identification_case(make_clue(makou_household), actor=makou_cadre)
    run_to(
        makou_case,
        "notice_posted",
        cadre=makou_cadre,
        township=people["township"],
        district=people["district"],
    )
    return luotian_case, makou_case


def forbidden_values() -> list[str]:
    values = [PHONE, PHONE[-4:], BANK, BANK[-4:], "肢体三级"]
    for person in Person.objects.all():
        values += [person.id_number, person.id_masked, person.id_number[-6:]]
    values += [str(label) for value, label in Health.choices if value != "healthy"]
    return values + ["健康状况", "身份证", "电话号码", "银行"]


def test_case_notice_shows_names_and_village_only(client, posted, luotian_cadre):
    luotian_case, _ = posted
    client.force_login(luotian_cadre)
    response = client.get(reverse("monitoring:notice_case", args=[luotian_case.public_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "张三丰" in html and "螺田村" in html and "第三组" in html
    assert "因病" in html and "2023-03-04 — 2023-03-09" in html
    assert "沙地镇" in html and "12317" in html
    for value in forbidden_values():
        assert value not in html, value
    assert AuditEvent.objects.filter(event="monitoring.notice_printed").exists()


def test_batch_notice_lists_the_township_in_scope(client, posted, township_officer, luotian_cadre):
    client.force_login(township_officer)
    html = client.get(reverse("monitoring:notice_batch", args=["360704101"])).content.decode()
    assert "张三丰" in html and "王五" in html
    for value in forbidden_values():
        assert value not in html, value
    client.force_login(luotian_cadre)
    html = client.get(reverse("monitoring:notice_batch", args=["360704101"])).content.decode()
    assert "张三丰" in html and "王五" not in html


def test_contact_line_is_validated(client, posted, luotian_cadre):
    luotian_case, _ = posted
    client.force_login(luotian_cadre)
    url = reverse("monitoring:notice_case", args=[luotian_case.public_id])
    assert "0797-1234567" in client.get(url, {"contact": "0797-1234567"}).content.decode()
    html = client.get(url, {"contact": "<script>"}).content.decode()
    assert "<script>" not in html


def test_notice_only_while_posted_and_in_scope(client, posted, people, makou_cadre):
    luotian_case, _ = posted
    client.force_login(makou_cadre)
    url = reverse("monitoring:notice_case", args=[luotian_case.public_id])
    assert client.get(url).status_code == 404
    cases.do_township_review(
        luotian_case, actor=people["township"], reviewed_on=luotian_case.notice_ends_on
    )
    client.force_login(people["cadre"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("monitoring:notice_batch", args=["999999999"])).status_code == 404

"""Revealing a full ID number or phone: needs registry.reveal in the area and a typed
reason; shown once, never cached, audited (SECURITY.md 10)."""

from django.urls import reverse

from zhenwu.core.models import AuditEvent


def page(response) -> str:
    return response.content.decode()


def reveal_url(person) -> str:
    return reverse("registry:person_reveal", args=[person.public_id])


def test_cadre_without_permission_sees_no_button_and_gets_403(
    client, luotian_cadre, luotian_household
):
    head = luotian_household.members.get(relation="head")
    client.force_login(luotian_cadre)
    detail = page(
        client.get(reverse("registry:household_detail", args=[luotian_household.public_id]))
    )
    assert reveal_url(head) not in detail
    assert client.get(reveal_url(head)).status_code == 403
    response = client.post(reveal_url(head), {"field": "id_number", "reason": "核对身份信息"})
    assert response.status_code == 403
    assert head.id_number not in page(response)
    assert not AuditEvent.objects.filter(event="registry.value_revealed").exists()


def test_reveal_needs_a_reason(client, township_officer, luotian_household):
    head = luotian_household.members.get(relation="head")
    client.force_login(township_officer)
    form = client.get(reveal_url(head))
    assert form.status_code == 200 and head.id_number not in page(form)
    for reason in ("", "  ", "看"):
        response = client.post(reveal_url(head), {"field": "id_number", "reason": reason})
        assert response.status_code == 200
        assert head.id_number not in page(response)
        assert "errorlist" in page(response)
    assert not AuditEvent.objects.filter(event="registry.value_revealed").exists()


def test_reveal_shows_the_value_once_and_audits_it(client, township_officer, luotian_household):
    head = luotian_household.members.get(relation="head")
    client.force_login(township_officer)
    detail = page(
        client.get(reverse("registry:household_detail", args=[luotian_household.public_id]))
    )
    assert reveal_url(head) in detail
    response = client.post(reveal_url(head), {"field": "id_number", "reason": "办理医保报销核对"})
    assert response.status_code == 200
    assert head.id_number in page(response)
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(event="registry.value_revealed")
    assert event.user == township_officer
    assert event.object_id == str(head.public_id)
    assert event.data == {"field": "id_number", "reason": "办理医保报销核对"}
    assert head.id_number not in str(event.data)


def test_reveal_of_an_unknown_field_is_refused(client, township_officer, luotian_household):
    head = luotian_household.members.get(relation="head")
    client.force_login(township_officer)
    response = client.post(reveal_url(head), {"field": "password", "reason": "随便看看吧"})
    assert response.status_code == 200 and "errorlist" in page(response)
    assert not AuditEvent.objects.filter(event="registry.value_revealed").exists()


def test_reveal_out_of_scope_is_404(client, makou_cadre, district_officer, luotian_household):
    head = luotian_household.members.get(relation="head")
    client.force_login(makou_cadre)
    assert client.get(reveal_url(head)).status_code == 404
    assert client.post(
        reveal_url(head), {"field": "id_number", "reason": "核对身份"}
    ).status_code == (404)
    client.force_login(district_officer)
    assert client.get(reveal_url(head)).status_code == 200

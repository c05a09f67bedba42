"""Relocation pages: sites, registration by household number, follow-up visit, scoping."""

import datetime

import pytest
from django.urls import reverse

from zhenwu.assistance.actions.relocation import do_create_site, do_register_relocation
from zhenwu.assistance.models import FollowUpVisit, Relocation, RelocationSite

D = datetime.date


@pytest.mark.django_db
def test_create_site_register_and_visit(client, township_officer, luotian_cadre, luotian_household):
    client.force_login(township_officer)
    response = client.post(
        reverse("assistance:site_list"),
        {"area": "360704101", "name": "圩镇安置点", "kind": "集中安置"},
    )
    site = RelocationSite.objects.get()
    assert response.status_code == 302
    client.force_login(luotian_cadre)
    url = reverse("assistance:relocation_register", args=[site.public_id])
    client.post(url, {"number": "LT0001", "moved_on": "2019-12-01"})
    relocation = Relocation.objects.get(household=luotian_household)
    visit = reverse("assistance:follow_up", args=[relocation.public_id])
    response = client.post(
        visit,
        {
            "visited_on": "2023-06-01",
            "labour_members": 1,
            "employed_members": 2,
            "monthly_income": "100",
        },
    )
    assert response.status_code == 200 and not FollowUpVisit.objects.exists()
    client.post(
        visit,
        {
            "visited_on": "2023-06-01",
            "labour_members": 2,
            "employed_members": 1,
            "monthly_income": "3000",
        },
    )
    body = client.get(reverse("assistance:site_detail", args=[site.public_id])).content.decode()
    assert 'data-figure="share">100%' in body and "LT0001" in body


@pytest.mark.django_db
def test_out_of_scope_household_and_relocation(
    client, township_officer, luotian_cadre, makou_cadre, shadi, makou_household
):
    site = do_create_site(actor=township_officer, area=shadi, name="圩镇安置点")
    client.force_login(luotian_cadre)
    client.post(
        reverse("assistance:relocation_register", args=[site.public_id]),
        {"number": "MK0001", "moved_on": "2019-12-01"},
    )
    assert not Relocation.objects.exists()
    relocation = do_register_relocation(
        makou_household, site, actor=makou_cadre, moved_on=D(2019, 12, 1)
    )
    assert (
        client.get(reverse("assistance:follow_up", args=[relocation.public_id])).status_code == 404
    )
    body = client.get(reverse("assistance:site_detail", args=[site.public_id])).content.decode()
    assert "MK0001" not in body

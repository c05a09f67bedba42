"""The monitoring start page counts only what lies in the user's scope."""

import datetime

import pytest
from django.urls import reverse

from zhenwu.monitoring.actions.clues import do_report_clue


@pytest.fixture
def clues(township_officer, luotian, makou, luotian_household, makou_household):
    for village, household in [(luotian, luotian_household), (makou, makou_household)]:
        do_report_clue(
            actor=township_officer,
            village=village,
            channel="cadre_screening",
            reported_on=datetime.date(2023, 6, 1),
            household=household,
            risk_types=["illness"],
            description="排查发现",
        )


def open_clues_tile(response) -> str:
    page = response.content.decode()
    tile = page.split(reverse("monitoring:clue_list"))[1]
    return tile.split('tile-number">')[1].split("<")[0]


def test_township_officer_sees_both_villages(client, township_officer, clues):
    client.force_login(township_officer)
    response = client.get(reverse("monitoring:home"))
    assert response.status_code == 200
    assert open_clues_tile(response) == "2"


def test_village_cadre_sees_only_their_village(client, luotian_cadre, clues):
    client.force_login(luotian_cadre)
    assert open_clues_tile(client.get(reverse("monitoring:home"))) == "1"


@pytest.mark.parametrize("persona", ["auditor", "system_admin", "no_membership_user"])
def test_roles_without_monitoring_rights_are_refused(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("monitoring:home")).status_code == 403

"""The assistance start page: counts are the user's scope only."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from zhenwu.assistance.actions.plans import do_add_measure, do_create_plan

D = datetime.date


def tile(body: str, name: str) -> int:
    return int(re.search(rf'data-count="{name}">(\d+)<', body).group(1))


@pytest.mark.django_db
def test_counts_are_scoped(
    client, township_officer, luotian_cadre, makou_cadre, luotian_household, makou_household
):
    year = timezone.localdate().year
    for household, actor in ((luotian_household, luotian_cadre), (makou_household, makou_cadre)):
        plan = do_create_plan(household, year, actor=actor)
        do_add_measure(
            plan,
            actor=actor,
            category="100A39",
            description="x",
            amount=0,
            planned_on=D(year, 1, 1),
        )
    client.force_login(township_officer)
    body = client.get(reverse("assistance:home")).content.decode()
    assert (tile(body, "plans"), tile(body, "planned")) == (2, 2)
    client.force_login(luotian_cadre)
    response = client.get(reverse("assistance:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert (tile(body, "plans"), tile(body, "planned"), tile(body, "implemented")) == (1, 1, 0)
    assert tile(body, "warnings") == 1  # LT0001 (脱贫户 with labour); MK0001 is a general household
    assert reverse("assistance:plan_list") in body

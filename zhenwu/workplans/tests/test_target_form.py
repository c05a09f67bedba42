"""The target form (目标值设置): one grid per indicator and period with a row per area of the
township; validated, all-or-nothing, conflict-safe, written through ``do_set_target``
(scope and audit there), refused without Perm.EDIT_PLANS."""

from decimal import Decimal

import pytest
from django.urls import reverse

from zhenwu.core.models import AuditEvent
from zhenwu.workplans.actions.indicators import do_set_target, load_indicator_catalogue
from zhenwu.workplans.models import Indicator, Target

pytestmark = pytest.mark.django_db
URL = reverse("workplans:indicator_targets")


@pytest.fixture
def garbage(world):
    load_indicator_catalogue()
    return Indicator.objects.get(code="garbage_collection_rate")


def _grid(client, area, indicator, period="2023"):
    """The form as the page renders it: every row's prefilled value and version."""
    response = client.get(URL, {"area": area.code, "indicator": indicator.code, "period": period})
    assert response.status_code == 200
    grid = response.context["grid"]
    data = {"area": area.code, "indicator": indicator.code, "period": period}
    for name, field in grid.fields.items():
        value = grid.initial.get(name, field.initial)
        data[name] = "" if value is None else value
    return data


def _targets(indicator):
    return {t.area.name: t.value for t in Target.objects.filter(indicator=indicator, period="2023")}


def test_officer_sets_two_villages(client, township_officer, garbage, shadi, luotian, makou):
    do_set_target(actor=township_officer, indicator=garbage, area=makou, period="2023", value="80")
    client.force_login(township_officer)
    page = client.get(URL, {"area": shadi.code, "indicator": garbage.code, "period": "2023"})
    html = page.content.decode()
    assert "螺田村" in html and "马口村" in html and 'value="80"' in html
    data = _grid(client, shadi, garbage)
    data[f"target_{luotian.code}"] = "95.5"
    data[f"target_{makou.code}"] = "90"
    response = client.post(URL, data)
    assert response.status_code == 302
    assert _targets(garbage) == {"螺田村": Decimal("95.5"), "马口村": Decimal("90")}
    events = AuditEvent.objects.filter(event="workplans.target_set").order_by("id")
    assert [e.data["area"] for e in events] == [makou.code, makou.code, luotian.code]
    assert events[1].data["previous"] == "80.0000"
    # Unchanged rows (prefilled, same value) write nothing
    assert client.post(URL, _grid(client, shadi, garbage)).status_code == 302
    assert AuditEvent.objects.filter(event="workplans.target_set").count() == 3


def test_bad_value_names_the_village_and_saves_nothing(
    client, township_officer, garbage, shadi, luotian, makou
):
    client.force_login(township_officer)
    data = _grid(client, shadi, garbage)
    data[f"target_{luotian.code}"] = "95"
    data[f"target_{makou.code}"] = "120"  # a percentage
    response = client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "马口村：目标值为百分比，须在0至100之间。" in html and "未保存任何目标值" in html
    data[f"target_{makou.code}"] = "九十"
    assert "马口村：目标值须为数字。" in client.post(URL, data).content.decode()
    assert not Target.objects.exists()
    assert not AuditEvent.objects.filter(event="workplans.target_set").exists()


def test_non_ratio_indicator_takes_large_numbers(client, township_officer, shadi, luotian, makou):
    load_indicator_catalogue()
    income = Indicator.objects.get(code="collective_income")
    client.force_login(township_officer)
    data = _grid(client, shadi, income)
    data[f"target_{luotian.code}"] = "300,000"
    data[f"target_{shadi.code}"] = "-1"
    data[f"target_{makou.code}"] = "95,5"  # not a thousands separator
    refused = client.post(URL, data).content.decode()
    assert "沙地镇：目标值须为不小于0的数字。" in refused and "马口村：目标值须为数字。" in refused
    data[f"target_{makou.code}"] = ""
    data[f"target_{shadi.code}"] = ""
    assert client.post(URL, data).status_code == 302
    assert _targets(income) == {"螺田村": Decimal("300000")}


def test_stale_form_is_a_conflict_and_rolls_back(
    client, township_officer, district_officer, garbage, shadi, luotian, makou
):
    client.force_login(township_officer)
    data = _grid(client, shadi, garbage)
    do_set_target(
        actor=district_officer, indicator=garbage, area=makou, period="2023", value="70"
    )  # someone else sets 马口村 after the form was opened
    data[f"target_{luotian.code}"] = "95"
    data[f"target_{makou.code}"] = "90"
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "马口村：该记录已被他人修改" in response.content.decode()
    assert _targets(garbage) == {"马口村": Decimal("70")}  # 螺田村 rolled back too


def test_cadre_without_edit_plans_is_refused(client, luotian_cadre, garbage, luotian):
    client.force_login(luotian_cadre)
    assert client.get(URL).status_code == 403
    data = {"area": luotian.code, "indicator": garbage.code, "period": "2023"}
    assert client.post(URL, {**data, f"target_{luotian.code}": "90"}).status_code == 403
    assert not Target.objects.exists()


def test_out_of_scope_areas_cannot_be_set(client, township_officer, garbage, world, luotian, makou):
    client.force_login(township_officer)
    district = world.areas["district"]
    refused = client.post(
        URL,
        {
            "area": district.code,
            "indicator": garbage.code,
            "period": "2023",
            f"target_{district.code}": "90",
        },
    )
    assert refused.status_code == 400
    # A row that is not on the form (马口村 under a 螺田村 grid) is ignored.
    data = _grid(client, luotian, garbage)
    assert set(data) >= {f"target_{luotian.code}"} and f"target_{makou.code}" not in data
    data[f"target_{luotian.code}"] = "90"
    data[f"target_{makou.code}"] = "10"
    assert client.post(URL, data).status_code == 302
    assert _targets(garbage) == {"螺田村": Decimal("90")}


def test_board_links_the_form_for_planners_only(client, township_officer, luotian_cadre, garbage):
    board = reverse("workplans:indicator_board")
    client.force_login(township_officer)
    assert URL in client.get(board).content.decode()
    client.force_login(luotian_cadre)
    assert URL not in client.get(board).content.decode()

"""驾驶舱: the data function on hand-built rows, scoping, and the page (vendored ECharts,
no inline script, drill-down links)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from zhenwu.core.errors import DomainError
from zhenwu.lib.periods import parse_period
from zhenwu.monitoring.models import Clue, MonitoringCase
from zhenwu.projects.models import Disbursement, FundingSource
from zhenwu.projects.tests.support_projects import make_project
from zhenwu.reports.dashboard import dashboard_data
from zhenwu.testing.personas import make_household

D = datetime.date
H1 = parse_period("2023H1")
TODAY = D(2023, 6, 30)


def _monitored(actor, village, number, category, risks):
    household = make_household(actor, village, number, [("王一", D(1970, 1, 1), "head")])
    household.monitoring_category = category
    household.risks = risks
    household.save(update_fields=["monitoring_category", "risks"])
    return household


@pytest.fixture
def rows(world, township_officer, luotian, makou):
    lt1 = _monitored(township_officer, luotian, "LT9001", "100A03001", ["illness", "schooling"])
    lt2 = _monitored(township_officer, luotian, "LT9002", "100A03002", ["illness"])
    mk1 = _monitored(township_officer, makou, "MK9001", "100A03003", ["natural_disaster"])
    # not monitored: no category
    make_household(township_officer, makou, "MK9002", [("赵二", D(1960, 2, 2), "head")])
    for day, channel, village in [
        (D(2023, 1, 10), "self_declared", luotian),
        (D(2023, 3, 5), "cadre_screening", luotian),
        (D(2023, 3, 20), "cadre_screening", luotian),
        (D(2023, 6, 1), "department", makou),
        (D(2023, 7, 1), "department", makou),  # outside 2023H1
    ]:
        Clue.objects.create(village=village, channel=channel, reported_on=day)
    case = {"kind": "identification", "started_on": D(2023, 5, 1)}
    MonitoringCase.objects.create(
        household=lt1, status="home_verified", deadline_on=D(2023, 6, 1), **case
    )  # overdue on 30 June
    MonitoringCase.objects.create(
        household=mk1, status="notice_posted", deadline_on=D(2023, 7, 15), **case
    )
    MonitoringCase.objects.create(
        household=lt2,
        kind="elimination",
        status="approved",
        started_on=D(2023, 4, 1),
        deadline_on=D(2023, 5, 1),
        approved_on=D(2023, 4, 20),
    )
    project = make_project(township_officer, luotian, code="XM-DB-1", name="螺田村道路")
    source = FundingSource.objects.create(
        project=project, source="central", budget_item="2130504", amount=Decimal("200000")
    )
    Disbursement.objects.create(
        project=project,
        funding_source=source,
        paid_on=D(2023, 5, 1),
        amount=Decimal("50000"),
        voucher="V1",
    )
    make_project(township_officer, makou, code="XM-DB-2", name="马口村水渠")
    return {"lt1": lt1, "lt2": lt2, "mk1": mk1}


def _values(rows):
    return {row["key"]: row["value"] for row in rows}


def test_township_figures(rows, township_officer, shadi):
    data = dashboard_data(township_officer, shadi, H1, today=TODAY)
    households = data["households"]
    assert households["total"] == 3
    assert _values(households["by_category"]) == {
        "100A03001": 1,
        "100A03002": 1,
        "100A03003": 1,
    }
    risks = _values(households["by_risk"])
    assert risks["illness"] == 2 and risks["schooling"] == 1 and risks["natural_disaster"] == 1
    clues = data["clues"]
    assert clues["months"] == ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06"]
    series = {line["key"]: line["values"] for line in clues["series"]}
    assert series["cadre_screening"] == [0, 0, 2, 0, 0, 0]
    assert series["self_declared"] == [1, 0, 0, 0, 0, 0]
    assert series["department"] == [0, 0, 0, 0, 0, 1]
    assert clues["total"] == 4
    stages = _values(data["cases"]["by_stage"])
    assert stages["home_verified"] == 1 and stages["notice_posted"] == 1
    assert data["cases"]["open"] == 2 and data["cases"]["overdue"] == 1
    assert data["eliminations"]["total"] == 1
    projects = {row["code"]: row for row in data["projects"]}
    assert projects["XM-DB-1"]["budget"] == "200000.00"
    assert projects["XM-DB-1"]["disbursed"] == "50000.00"
    assert projects["XM-DB-1"]["percent"] == 25.0
    assert projects["XM-DB-2"]["percent"] is None
    villages = {row["name"]: row for row in data["villages"]}
    assert villages["螺田村"]["households"] == 2
    assert villages["螺田村"]["clues"] == 3
    assert villages["螺田村"]["open_cases"] == 1
    assert villages["螺田村"]["eliminations"] == 1
    assert villages["马口村"]["households"] == 1
    assert villages["马口村"]["url"].endswith(
        "?area=" + villages["马口村"]["code"] + "&period=2023H1"
    )
    keys = [item["key"] for item in data["assistance"]["items"]]
    assert keys == [
        "loan_borrowers",
        "loan_amount",
        "job_people",
        "transport_people",
        "transport_amount",
    ]


def test_village_cadre_sees_only_own_village(rows, luotian_cadre, luotian):
    data = dashboard_data(luotian_cadre, luotian, H1, today=TODAY)
    assert data["households"]["total"] == 2
    assert data["clues"]["total"] == 3
    assert data["cases"]["open"] == 1
    assert [row["code"] for row in data["projects"]] == ["XM-DB-1"]
    assert [row["name"] for row in data["villages"]] == ["螺田村"]


def test_data_refuses_area_outside_scope(rows, luotian_cadre, shadi):
    """The view 404s first; the data function itself refuses too (fails closed)."""
    with pytest.raises(DomainError):  # assistance_figures_for refuses the wider area
        dashboard_data(luotian_cadre, shadi, H1, today=TODAY)


# --- the page -------------------------------------------------------------------------------

URL = "/reports/dashboard/"


def test_url_name():
    assert reverse("reports:dashboard") == URL


def test_township_page(client, rows, township_officer, shadi):
    client.force_login(township_officer)
    response = client.get(URL, {"area": shadi.code, "period": "2023H1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "螺田村" in html and "马口村" in html
    assert "/static/vendor/echarts/echarts.min.js" in html
    assert "/static/reports/dashboard.js" in html
    assert 'id="dashboard-data"' in html
    # drill-down link to each village
    assert f"?area={rows['mk1'].village.code}&amp;period=2023H1" in html


def test_default_area_is_widest(client, rows, township_officer):
    client.force_login(township_officer)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["area"].name == "沙地镇"
    assert response.context["period"].code == "2023H1"


def test_no_external_urls_and_no_inline_script(client, rows, township_officer):
    client.force_login(township_officer)
    html = client.get(URL).content.decode()
    for src in re.findall(r'<script[^>]*src="([^"]+)"', html):
        assert src.startswith("/static/"), src
    for href in re.findall(r'<link[^>]*href="([^"]+)"', html):
        assert href.startswith("/static/"), href
    assert not re.search(r"https?://", html)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    for attrs, body in scripts:
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
        if "src=" in attrs:
            assert not body.strip()
    assert " style=" not in html


def test_cadre_page_shows_only_own_village(client, rows, luotian_cadre, makou):
    client.force_login(luotian_cadre)
    response = client.get(URL, {"period": "2023H1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["area"].name == "螺田村"
    assert "马口村" not in html and "马口村水渠" not in html
    assert "螺田村道路" in html
    assert client.get(URL, {"area": makou.code}).status_code == 404


def test_auditor_and_no_membership_forbidden(client, world, auditor, no_membership_user):
    for user in (auditor, no_membership_user):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_anonymous_redirected_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302


def test_bad_period_falls_back(client, rows, township_officer):
    client.force_login(township_officer)
    response = client.get(URL, {"period": "nonsense"})
    assert response.status_code == 200
    assert response.context["period"].code == "2023H1"


def test_unknown_area_is_404(client, rows, township_officer):
    client.force_login(township_officer)
    assert client.get(URL, {"area": "999999"}).status_code == 404


def test_vendored_echarts_present():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "core" / "static" / "vendor" / "echarts"
    assert (root / "echarts.min.js").stat().st_size > 500_000
    assert "Apache License" in (root / "LICENSE").read_text()
    assert (root / "VERSION").read_text().startswith("echarts 5.")


# --- drill-down to the rows -------------------------------------------------------------------


def _total(client, url: str) -> int:
    """The row count the list page behind a dashboard number shows."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["total"]


def test_every_number_carries_its_list_url(rows, township_officer, shadi):
    data = dashboard_data(township_officer, shadi, H1, today=TODAY)
    households = data["households"]
    assert households["url"].startswith("/registry/households/?")
    category = households["by_category"][0]["url"]
    assert "area=360704101" in category and "monitoring_category=100A03001" in category
    assert "risk=illness" in {row["key"]: row for row in households["by_risk"]}["illness"]["url"]
    line = {line["key"]: line for line in data["clues"]["series"]}["cadre_screening"]
    assert len(line["urls"]) == 6
    assert "channel=cadre_screening" in line["urls"][2]
    assert "from=2023-03-01" in line["urls"][2] and "to=2023-03-31" in line["urls"][2]
    assert [cell["value"] for cell in line["cells"]] == line["values"]
    stages = {row["key"]: row for row in data["cases"]["by_stage"]}
    assert "status=home_verified" in stages["home_verified"]["url"]
    assert "overdue=1" in data["cases"]["overdue_url"]
    assert "approved=1" in data["eliminations"]["url"]
    assert all(
        item["url"].startswith("/assistance/stats/?") for item in data["assistance"]["items"]
    )
    project = {row["code"]: row for row in data["projects"]}["XM-DB-1"]
    assert project["url"].startswith("/projects/library/")
    village = {row["name"]: row for row in data["villages"]}["螺田村"]
    assert village["url"].startswith(URL)  # the village's own dashboard stays
    assert set(village["links"]) == {"households", "clues", "open_cases", "eliminations"}


def test_following_a_number_lists_as_many_rows(client, rows, township_officer, shadi):
    """Each chart value equals the row count of the list its url opens."""
    data = dashboard_data(township_officer, shadi, H1)
    client.force_login(township_officer)
    households = data["households"]
    pairs = [(households["total"], households["url"])]
    pairs += [(row["value"], row["url"]) for row in households["by_category"]]
    pairs += [(row["value"], row["url"]) for row in households["by_risk"]]
    for line in data["clues"]["series"]:
        pairs += [(cell["value"], cell["url"]) for cell in line["cells"]]
        pairs.append((sum(line["values"]), line["url"]))
    pairs.append((data["clues"]["total"], data["clues"]["url"]))
    pairs += [(row["value"], row["url"]) for row in data["cases"]["by_stage"]]
    pairs.append((data["cases"]["open"], data["cases"]["open_url"]))
    pairs.append((data["cases"]["overdue"], data["cases"]["overdue_url"]))
    pairs.append((data["eliminations"]["total"], data["eliminations"]["url"]))
    for village in data["villages"]:
        pairs += [(village[key], url) for key, url in village["links"].items()]
    counted = [(_total(client, url), url) for _value, url in pairs]
    assert counted == [(value, url) for value, url in pairs]
    assert data["clues"]["total"] == 4 and data["eliminations"]["total"] == 1


def test_registry_list_by_risk_and_category(client, rows, township_officer, shadi):
    client.force_login(township_officer)
    response = client.get(
        "/registry/households/",
        {"area": shadi.code, "status": "active", "monitored": "1", "risk": "illness"},
    )
    numbers = {row["number"] for row in response.context["rows"]}
    assert numbers == {"LT9001", "LT9002"} and response.context["total"] == 2
    assert _total(client, "/registry/households/?area=999999999&monitored=1") == 0


def test_cadre_following_township_numbers_sees_own_village(
    client, rows, township_officer, luotian_cadre, shadi
):
    data = dashboard_data(township_officer, shadi, H1)
    client.force_login(luotian_cadre)
    assert _total(client, data["households"]["url"]) == 2  # 螺田村's of the township's 3
    assert _total(client, data["clues"]["url"]) == 3
    assert _total(client, data["cases"]["open_url"]) == 1


def test_page_links_the_table_numbers(client, rows, township_officer, shadi):
    client.force_login(township_officer)
    html = client.get(URL, {"area": shadi.code, "period": "2023H1"}).content.decode()
    data = dashboard_data(township_officer, shadi, H1)
    for url in (
        data["households"]["by_category"][0]["url"],
        data["cases"]["by_stage"][0]["url"],
        data["cases"]["overdue_url"],
        data["eliminations"]["url"],
        data["villages"][0]["links"]["clues"],
        data["villages"][0]["url"],
    ):
        assert f'href="{url.replace("&", "&amp;")}"' in html, url


def test_indicator_cells_link_to_the_areas_board(client, world, township_officer, shadi, luotian):
    from zhenwu.reports.tests.halfyear_data import add_garbage_rate

    add_garbage_rate(luotian, "2023-06", 9, 12)
    data = dashboard_data(township_officer, shadi, H1, today=TODAY)
    row = next(r for r in data["indicators"]["rows"] if r["name"] == "农村生活垃圾收运率")
    cell = next(c for c in row["cells"] if c["area"] == luotian.code)
    assert cell["url"] == f"/workplans/indicators/?area={luotian.code}&period=2023H1"
    client.force_login(township_officer)
    board = client.get(cell["url"])
    assert board.status_code == 200 and "75" in board.content.decode()

"""/api/v1/projects/industries, enterprises and assets: scoped, read-only."""

from decimal import Decimal

from zhenwu.projects.actions.assets import do_record_asset_income
from zhenwu.projects.tests.test_assets import make_project, register
from zhenwu.projects.tests.test_industry_views import plants  # noqa: F401 (fixture)

BASE = "/api/v1/projects"


def test_industries_and_enterprises_scoped(client, plants, luotian_cadre, township_officer):  # noqa: F811
    client.force_login(luotian_cadre)
    body = client.get(f"{BASE}/industries").json()
    rows = {row["name"]: row for row in body}
    assert rows["板鸭"]["jobs_for_lifted"] == 12
    assert [e["name"] for e in rows["板鸭"]["enterprises"]] == ["螺田板鸭厂"]
    assert rows["水稻"]["enterprises"] == []  # 马口村's plant is out of scope
    names = [e["name"] for e in client.get(f"{BASE}/enterprises").json()["items"]]
    assert names == ["螺田板鸭厂"]
    client.force_login(township_officer)
    body = client.get(f"{BASE}/enterprises", {"village": "360704101203"}).json()
    assert [e["name"] for e in body["items"]] == ["马口富硒大米加工厂"]


def test_assets(client, township_officer, luotian_cadre, makou_cadre, luotian):
    asset = register(make_project(luotian, "P-API"), township_officer)
    do_record_asset_income(asset, actor=township_officer, year=2023, amount="100", distribution="")
    client.force_login(luotian_cadre)
    items = client.get(f"{BASE}/assets").json()["items"]
    assert [i["name"] for i in items] == ["板鸭加工厂房"]
    detail = client.get(f"{BASE}/assets/{asset.public_id}").json()
    assert Decimal(detail["incomes"][0]["amount"]) == Decimal("100")
    assert client.get(f"{BASE}/assets", {"asset_type": "household"}).json()["items"] == []
    client.force_login(makou_cadre)
    assert client.get(f"{BASE}/assets").json()["items"] == []
    assert client.get(f"{BASE}/assets/{asset.public_id}").status_code == 404

"""The dashboard draws its ECharts charts in a real browser (Debian Chromium) under the
content security policy, fetching nothing from outside the app, at desktop and phone width;
clicking a village opens that village's dashboard; clicking a bar opens the list of the
rows it counts."""

import pytest

from zhenwu.reports.tests.test_dashboard import rows  # noqa: F401 (fixture)
from zhenwu.testing.browser import session_cookie

pytestmark = pytest.mark.browser

URL = "/reports/dashboard/?period=2023H1"


def _open(page, live_server, user):
    page.context.add_cookies([session_cookie(user, live_server.url)])
    page.goto(live_server.url + URL)
    page.wait_for_selector(".chart-ready canvas", timeout=15_000)


def test_charts_render_offline_and_drill_down(live_server, township_officer, browser_page):
    page = browser_page
    _open(page, live_server, township_officer)
    drawn = page.locator(".chart-ready canvas").count()
    assert drawn == page.locator("[data-chart]").count() >= 6
    assert page.watch.outside == []
    assert not page.watch.errors, page.watch.errors
    page.locator("[data-table=villages] a", has_text="螺田村").click()
    page.wait_for_selector(".chart-ready canvas", timeout=15_000)
    assert "螺田村" in page.inner_text("h1")
    assert "area=360704101214" in page.url


def test_phone_width_stacks_charts(live_server, luotian_cadre, phone_page):
    page = phone_page
    _open(page, live_server, luotian_cadre)
    assert "螺田村" in page.inner_text("h1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    boxes = [page.locator(f"#panel-{name}").bounding_box() for name in ("categories", "risks")]
    assert boxes[1]["y"] >= boxes[0]["y"] + boxes[0]["height"]  # stacked, not side by side
    assert not page.watch.errors, page.watch.errors


def test_clicking_a_bar_opens_its_rows(live_server, rows, township_officer, browser_page):  # noqa: F811
    """The 环节 chart's 入户核实 bar (one case) opens the case list holding that one case."""
    page = browser_page
    _open(page, live_server, township_officer)
    panel = page.locator("[data-chart=cases]")
    panel.scroll_into_view_if_needed()
    point = page.evaluate(
        """() => {
          const el = document.querySelector("[data-chart=cases]");
          const data = JSON.parse(document.getElementById("dashboard-data").textContent);
          const index = data.cases.by_stage.findIndex((row) => row.key === "home_verified");
          const chart = window.echarts.getInstanceByDom(el);
          const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [index, 0.5]);
          return { x, y };
        }"""
    )
    box = panel.bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"] - 2)
    assert "/monitoring/cases/" in page.url and "status=home_verified" in page.url
    assert page.locator(".result-count").get_attribute("data-total") == "1"
    assert "LT9001" in page.inner_text("table.cases")
    assert not page.watch.errors, page.watch.errors

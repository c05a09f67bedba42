"""Every number of the monitoring figures links to the list of the rows it counted.

Follows ``links.figure_url`` of each figure of 沙地镇 (the hand-built June 2023 set of
test_analysis_data: cases approved inside and outside the month, problems fixed inside and
outside, a case whose stage on 30 June differs from today's, another township's rows) and
checks that the list page holds exactly as many rows as the figure says."""

import datetime

import pytest

from zhenwu.lib.periods import parse_period
from zhenwu.monitoring import selectors
from zhenwu.monitoring.figures import monthly_figures, period_figures, status_at
from zhenwu.monitoring.links import figure_url
from zhenwu.monitoring.models import MonitoringCase
from zhenwu.monitoring.tests.test_analysis_data import build_june

D = datetime.date
LISTED = [
    "clues",
    "open_identification",
    "overdue_identification",
    "new_households",
    "new_people",
    "eliminated_households",
    "open_problems",
    "fixed_problems",
]


@pytest.fixture
def june(world):
    return build_june(world)


def _listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["total"]


def _summary(figures: dict) -> dict:
    return {item["key"]: item for item in figures["summary"]}


def _cases_of(client, url: str) -> set[str]:
    response = client.get(url)
    return {row["household"] for row in response.context["rows"]}


def test_figure_url_maps_a_filter_to_its_list():
    url = figure_url(
        {
            "list": "cases",
            "kind": "identification",
            "township": "360704101",
            "from": "2023-01-01",
            "to": "2023-06-30",
            "status": "approved",
            "approved": "1",
        }
    )
    assert url.startswith("/monitoring/cases/?")
    assert "approved=1" in url and "from=2023-01-01" in url and "to=2023-06-30" in url
    members = figure_url({"list": "case_members", "approved": "1", "township": "360704101"})
    assert members.startswith("/monitoring/cases/?")
    assert figure_url({"list": "problems", "fixed": "1"}).startswith("/monitoring/problems/?")
    screening = figure_url({"list": "screening", "from": "2023-01-01", "to": "2023-06-30"})
    assert "month=2023-01" in screening and "until=2023-06" in screening
    assert figure_url({"list": "nothing-known"}) == "" and figure_url(None) == ""


def test_list_counts_equal_the_month_figures(client, district_officer, june, shadi):
    client.force_login(district_officer)
    summary = _summary(monthly_figures(shadi, D(2023, 6, 1)))
    counted = {key: _listed(client, figure_url(summary[key]["filter"])) for key in LISTED}
    expected = {key: summary[key]["value"] for key in LISTED}
    expected["new_people"] = expected["new_households"]  # its link lists the cases
    assert counted == expected
    assert counted["new_households"] == 1 and counted["fixed_problems"] == 1


def test_list_rows_are_the_counted_ones(client, district_officer, june, shadi):
    """Inside/outside the period and the township: the right households, not just a count."""
    client.force_login(district_officer)
    summary = _summary(monthly_figures(shadi, D(2023, 6, 1)))
    # A approved 16 June (in); B approved 5 July (out); 测试镇's case approved in June (out).
    assert _cases_of(client, figure_url(summary["new_households"]["filter"])) == {"T-A"}
    assert _cases_of(client, figure_url(summary["eliminated_households"]["filter"])) == {"T-D"}
    # On 30 June B was at village review (today approved) and C a draft.
    assert _cases_of(client, figure_url(summary["open_identification"]["filter"])) == {
        "T-B",
        "T-C",
    }
    assert _cases_of(client, figure_url(summary["overdue_identification"]["filter"])) == {"T-B"}
    fixed = client.get(figure_url(summary["fixed_problems"]["filter"])).context["rows"]
    assert [(row["household"], row["kind"]) for row in fixed] == [("T-A", "住房安全保障")]


def test_table_rows_link_to_their_rows(client, district_officer, june, shadi):
    client.force_login(district_officer)
    figures = monthly_figures(shadi, D(2023, 6, 1))
    for table in ("clues_by_channel", "clues_by_village", "cases_by_stage"):
        for row in figures[table]:
            assert _listed(client, figure_url(row["filter"])) == row["value"], (table, row)
    for row in figures["screening_by_village"]:
        response = client.get(figure_url(row["filter"]))
        assert response.context["totals"]["targets"] == row["targets"]
        assert response.context["totals"]["visited"] == row["visits"]


def test_half_year_links(client, district_officer, june, shadi):
    client.force_login(district_officer)
    summary = _summary(period_figures(shadi, parse_period("2023H1")))
    for key in ("clues", "new_households", "eliminated_households", "fixed_problems"):
        assert _listed(client, figure_url(summary[key]["filter"])) == summary[key]["value"], key
    for key in ("screening_targets", "screening_visits"):
        url = figure_url(summary[key]["filter"])
        assert "month=2023-01" in url and "until=2023-06" in url
        totals = client.get(url).context["totals"]
        assert (totals["targets"], totals["visited"]) == (
            summary["screening_targets"]["value"],
            summary["screening_visits"]["value"],
        )


def test_village_cadre_sees_only_their_village(client, luotian_cadre, june, shadi):
    """螺田村's cadre follows the township's links: only 螺田村's rows, never more."""
    client.force_login(luotian_cadre)
    summary = _summary(monthly_figures(shadi, D(2023, 6, 1)))
    clues = client.get(figure_url(summary["clues"]["filter"]))
    assert clues.context["total"] == 2  # 螺田村's two of the township's three
    assert {row["village"] for row in clues.context["rows"]} == {"螺田村"}
    assert _cases_of(client, figure_url(summary["open_identification"]["filter"])) == {"T-B"}
    assert _listed(client, figure_url(summary["fixed_problems"]["filter"])) == 1
    # Another township's link lists nothing of 螺田村.
    other = {**summary["clues"]["filter"], "township": "360704199"}
    assert _listed(client, figure_url(other)) == 0


def test_unknown_or_malformed_narrowing_lists_nothing(client, district_officer, june):
    client.force_login(district_officer)
    assert _listed(client, "/monitoring/clues/?township=999999") == 0
    assert _listed(client, "/monitoring/cases/?township=360704101&from=not-a-date") == 0
    assert _listed(client, "/monitoring/problems/?area=%27%3B--") == 0
    assert _listed(client, "/monitoring/cases/") == MonitoringCase.objects.count()


def test_status_on_a_date_matches_figures(june):
    """The list's SQL status-at-date is the figures' ``status_at``, case by case."""
    for day in (D(2023, 6, 1), D(2023, 6, 9), D(2023, 6, 30), D(2023, 7, 31)):
        annotated = dict(
            selectors.with_status_on(MonitoringCase.objects.all(), day).values_list(
                "pk", "status_then"
            )
        )
        end = selectors.end_of_day(day)
        for case in MonitoringCase.objects.prefetch_related("events"):
            assert annotated[case.pk] == status_at(case, list(case.events.all()), end)


def test_analysis_page_links_its_figures(client, district_officer, june, shadi):
    from zhenwu.monitoring.actions.analysis import do_draft_analysis

    analysis = do_draft_analysis(shadi, D(2023, 6, 1), actor=district_officer)
    client.force_login(district_officer)
    response = client.get(f"/monitoring/analysis/{analysis.public_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    summary = _summary(monthly_figures(shadi, D(2023, 6, 1)))
    for key in ("new_households", "fixed_problems", "clues", "open_identification"):
        assert figure_url(summary[key]["filter"]).replace("&", "&amp;") in html, key


def test_rule_run_links_list_the_counted_runs(client, district_officer, june, shadi, world):
    """Runs over the township or the county in the month count; other months do not."""
    from zhenwu.monitoring.models import RuleRun

    district = world.areas["district"]
    RuleRun.objects.create(area=shadi, period=D(2023, 6, 1))
    RuleRun.objects.create(area=district, period=D(2023, 6, 1))  # covers 沙地镇 too
    RuleRun.objects.create(area=shadi, period=D(2023, 5, 1))  # another month
    client.force_login(district_officer)
    summary = _summary(monthly_figures(shadi, D(2023, 6, 1)))
    url = figure_url(summary["rule_runs"]["filter"])
    assert "township=360704101" in url and "from=2023-06-01" in url
    assert _listed(client, url) == summary["rule_runs"]["value"] >= 2
    hits = figure_url(summary["rule_hits"]["filter"])
    assert "rule=" not in hits  # the run list has no per-rule filter
    assert _listed(client, hits) == summary["rule_runs"]["value"]
    assert _listed(client, url.replace("township=360704101", "township=999999")) == 0

"""From a figure to its rows: ``figure_url(filter_)`` turns the ``filter`` a figure carries
(``monitoring.figures``, ``reports.dashboard``) into the URL of the list page that shows
exactly the rows it counted.

The list pages read the same parameters (``monitoring.selectors.filter_cases`` /
``filter_problems`` / ``filter_clues`` / ``screening_overview``, ``registry.selectors.
filter_households``) and apply them on top of the user's scope, so a link never shows more
than the user may see: a village cadre following a township's link sees their village's
share of the rows.

Lists:
- ``cases``: 识别纳入 / 风险消除 cases (``approved``+``from``/``to`` = approved in the period;
  ``open_on`` = open at that date, ``status`` the stage then, ``overdue`` past the deadline
  then).
- ``case_members``: the people of the households of those cases; the link opens the cases.
- ``problems``: 问题整改 (``fixed``+``from``/``to`` = fixed in the period; ``open_on``).
- ``clues``: 风险线索 (``from``/``to`` on the report date).
- ``screening``: 每月排查 overview of the months ``from`` … ``to``.
- ``households``: the registry's household list (``monitored``, ``monitoring_category``,
  ``risk``, ``status``, ``area``).
- ``rule_runs`` / ``rule_hits``: the screening-run list narrowed to the runs covering the
  township in the period (exactly the counted runs; each run's own hit count includes other
  townships' households when it covered a county, so the hits are not listed one by one).
An unknown list gives "" (no link)."""

from django.urls import reverse
from django.utils.http import urlencode

ROUTES = {
    "cases": "monitoring:case_list",
    "case_members": "monitoring:case_list",
    "problems": "monitoring:problem_list",
    "clues": "monitoring:clue_list",
    "screening": "monitoring:screening_overview",
    "households": "registry:household_list",
    "rule_runs": "monitoring:run_list",
    "rule_hits": "monitoring:run_list",
}
# Keep only the parameters a list understands (the rule-hit figures also carry ``rule``).
RUN_PARAMETERS = {"township", "area", "from", "to"}


def figure_url(filter_: dict | None) -> str:
    """The list URL (path and query string) of a figure's ``filter``; "" when it has none."""
    if not filter_ or filter_.get("list") not in ROUTES:
        return ""
    kind = filter_["list"]
    path = reverse(ROUTES[kind])
    params = {key: str(value) for key, value in filter_.items() if key != "list" and value}
    if kind in ("rule_runs", "rule_hits"):
        params = {key: value for key, value in params.items() if key in RUN_PARAMETERS}
    if kind == "screening":
        params = _screening_params(params)
    # Sorted: one URL per filter, whatever the key order (jsonb does not keep it).
    return f"{path}?{urlencode(sorted(params.items()))}" if params else path


def _screening_params(params: dict) -> dict:
    """The overview is by month: ``from``/``to`` (dates) become ``month``/``until``."""
    start, end = params.pop("from", ""), params.pop("to", "")
    result = {key: params[key] for key in ("township", "area", "village") if key in params}
    if start:
        result["month"] = start[:7]
    if end and end[:7] != start[:7]:
        result["until"] = end[:7]
    return result


def with_urls(rows: list[dict]) -> list[dict]:
    """Adds ``url`` to each figure or row that carries a ``filter`` (for the templates)."""
    return [{**row, "url": figure_url(row.get("filter"))} for row in rows]

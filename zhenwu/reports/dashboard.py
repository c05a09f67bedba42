"""Data of the dashboard (驾驶舱): the figures behind its charts for one area and period.

Every count goes through the scoped selectors (``visible_households``, ``visible_clues``,
``visible_cases``, ``visible_projects``) and is then narrowed to the chosen area's subtree,
so a village cadre's dashboard holds only their village even if a wider area were asked
for. Assistance totals come from ``assistance_figures_for`` (which refuses an area outside
the user's scope) and indicator achievement from ``workplans.figures.board_data``.

Counting rules (docs/modules/reports.md "Dashboard"):
- monitored households: active households with a 监测对象类别 (100A03001-3), now; by risk
  type each household counts once per risk type it carries.
- new clues: reported in the period, by month and by line (channel).
- identification cases by stage: open identification cases now, by status; overdue = open
  past the deadline today (``overdue_cases_in``).
- eliminations: households with an approved elimination case approved in the period.
- projects: every visible project of the area, disbursed versus budget.

Drill-down (docs/modules/reports.md "Dashboard"): every chart item and table number
carries ``url``, the list of exactly the rows it counted (``monitoring.links.figure_url``
over a filter dict: registry households by category / risk type, clues by line and month,
cases by stage / overdue, approved eliminations of the period, project detail); assistance
totals open the assistance statistics of the same area and period, whose figures carry
their own row filters. Village rows keep ``url`` (the village's own dashboard) and add
``links`` per number.

The result is plain JSON (it is passed to the page with ``json_script``).
"""

import datetime
from collections import Counter, defaultdict

from django.db.models import Count
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from zhenwu.accounts.policy import area_in_scope, has_perm, require_area
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.areas.selectors import villages_under
from zhenwu.assistance.stats import assistance_figures_for
from zhenwu.lib.periods import Period, month_period
from zhenwu.monitoring.choices import CaseKind, CaseStatus, Channel
from zhenwu.monitoring.links import figure_url
from zhenwu.monitoring.models import OPEN_CASE_STATUSES
from zhenwu.monitoring.selectors import overdue_cases_in, visible_cases, visible_clues
from zhenwu.projects.selectors import disbursement_progress, visible_projects
from zhenwu.registry.choices import HouseholdStatus, MonitoringCategory, RiskType
from zhenwu.registry.selectors import visible_households
from zhenwu.workplans.figures import board_data

# The assistance figures the dashboard shows (keys of assistance.stats.FIGURES).
ASSISTANCE_KEYS = [
    "loan_borrowers",
    "loan_amount",
    "job_people",
    "transport_people",
    "transport_amount",
]
# What a user needs to open the dashboard at all (every field and office role has it).
DASHBOARD_PERM = Perm.VIEW_MONITORING


def can_view(user) -> bool:
    return has_perm(user, DASHBOARD_PERM)


def dashboard_data(user, area: Area, period: Period, *, today: datetime.date | None = None):
    """The dashboard of ``area`` for ``period`` as seen by ``user``; DomainError when the
    area lies outside the user's scope (the view answers 404 before that)."""
    require_area(user, area, DASHBOARD_PERM)
    with translation.override("zh-hans"):
        villages = _villages(user, area)
        data = {
            "area": {"code": area.code, "name": area.name, "level": area.level},
            "period": {"code": period.code, "label": period.label},
            "households": _households(user, area),
            "clues": _clues(user, area, period),
            "cases": _cases(user, area, today),
            "eliminations": _eliminations(user, area, period),
            "assistance": _assistance(user, area, period),
            "projects": _projects(user, area),
            "indicators": _indicators(user, area, period),
        }
        data["villages"] = _village_rows(villages, data, period)
        return data


def drill_url(code: str, period: Period) -> str:
    query = urlencode({"area": code, "period": period.code})
    return f"{reverse('reports:dashboard')}?{query}"


def _villages(user, area: Area) -> list[Area]:
    if area.level == AreaLevel.VILLAGE:
        return [area]
    return [v for v in villages_under(area) if area_in_scope(user, v, DASHBOARD_PERM)]


def _in_area(qs, area: Area, field: str):
    return qs.filter(**{f"{field}__path__startswith": area.path})


def _rows(choices, counts: dict, filter_: dict, key: str) -> list[dict]:
    """One row per choice; ``url`` lists the rows of ``filter_`` narrowed by ``key``=choice."""
    return [
        {
            "key": value,
            "label": str(label),
            "value": counts.get(value, 0),
            "url": figure_url({**filter_, key: value}),
        }
        for value, label in choices
    ]


# The filters of the lists behind the numbers (monitoring.links.figure_url).


def monitored_filter(area: Area) -> dict:
    """Active households with a 监测对象类别 under ``area`` (the registry's list)."""
    return {
        "list": "households",
        "area": area.code,
        "status": HouseholdStatus.ACTIVE.value,
        "monitored": "1",
    }


def clue_filter(area: Area, start: datetime.date, end: datetime.date, **extra) -> dict:
    return {
        "list": "clues",
        "area": area.code,
        "from": start.isoformat(),
        "to": end.isoformat(),
        **extra,
    }


def open_cases_filter(area: Area, **extra) -> dict:
    """Identification cases open now (current status)."""
    return {"list": "cases", "area": area.code, "kind": CaseKind.IDENTIFICATION.value, **extra}


def eliminations_filter(area: Area, period: Period) -> dict:
    return {
        "list": "cases",
        "area": area.code,
        "kind": CaseKind.ELIMINATION.value,
        "status": CaseStatus.APPROVED.value,
        "approved": "1",
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
    }


# --- monitored households ---------------------------------------------------------------------


def _households(user, area: Area) -> dict:
    monitored = _in_area(visible_households(user), area, "village").filter(
        status=HouseholdStatus.ACTIVE, monitoring_category__in=MonitoringCategory.values
    )
    by_category = dict(
        monitored.values_list("monitoring_category").annotate(n=Count("id")).order_by()
    )
    risks: Counter = Counter()
    by_village: Counter = Counter()
    for village_id, household_risks in monitored.values_list("village_id", "risks"):
        by_village[village_id] += 1
        for risk in set(household_risks or []):
            risks[risk] += 1
    filter_ = monitored_filter(area)
    return {
        "total": sum(by_category.values()),
        "url": figure_url(filter_),
        "by_category": _rows(
            MonitoringCategory.choices, by_category, filter_, "monitoring_category"
        ),
        "by_risk": _rows(RiskType.choices, risks, filter_, "risk"),
        "_by_village": dict(by_village),
    }


# --- clues by line and month ------------------------------------------------------------------


def _clues(user, area: Area, period: Period) -> dict:
    qs = _in_area(visible_clues(user), area, "village").filter(
        reported_on__range=(period.start, period.end)
    )
    months = [f"{m.year}-{m.month:02d}" for m in period.months()]
    counts: dict[str, Counter] = defaultdict(Counter)
    by_village: Counter = Counter()
    for reported_on, channel, village_id in qs.values_list("reported_on", "channel", "village_id"):
        counts[channel][f"{reported_on.year}-{reported_on.month:02d}"] += 1
        by_village[village_id] += 1
    # Each month cut to the period (a period may start or end inside a month).
    bounds = []
    for month in period.months():
        whole = month_period(month)
        bounds.append((max(whole.start, period.start), min(whole.end, period.end)))
    series = [
        {
            "key": value,
            "label": str(label),
            "values": [counts[value][month] for month in months],
            "url": figure_url(clue_filter(area, period.start, period.end, channel=value)),
            "urls": [
                figure_url(clue_filter(area, start, end, channel=value)) for start, end in bounds
            ],
        }
        for value, label in Channel.choices
    ]
    for line in series:  # the table's cells: each month's number with its list
        line["cells"] = [
            {"value": value, "url": url}
            for value, url in zip(line["values"], line["urls"], strict=True)
        ]
    return {
        "months": months,
        "series": series,
        "total": sum(by_village.values()),
        "url": figure_url(clue_filter(area, period.start, period.end)),
        "_by_village": dict(by_village),
    }


# --- identification cases and eliminations ----------------------------------------------------


def _cases(user, area: Area, today) -> dict:
    identification = _in_area(visible_cases(user), area, "household__village").filter(
        kind=CaseKind.IDENTIFICATION
    )
    open_counts = dict(
        identification.filter(status__in=OPEN_CASE_STATUSES)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    overdue = overdue_cases_in(identification, today=today)
    stages = [
        {
            "key": value,
            "label": str(label),
            "value": open_counts.get(value, 0),
            "url": figure_url(open_cases_filter(area, status=value)),
        }
        for value, label in CaseStatus.choices
        if value in OPEN_CASE_STATUSES
    ]
    by_village = dict(
        identification.filter(status__in=OPEN_CASE_STATUSES)
        .values_list("household__village_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "by_stage": stages,
        "open": sum(open_counts.values()),
        "open_url": figure_url(open_cases_filter(area, open="1")),
        "overdue": overdue.count(),
        "overdue_url": figure_url(open_cases_filter(area, overdue="1")),
        "_by_village": by_village,
    }


def _eliminations(user, area: Area, period: Period) -> dict:
    approved = _in_area(visible_cases(user), area, "household__village").filter(
        kind=CaseKind.ELIMINATION,
        status=CaseStatus.APPROVED,
        approved_on__range=(period.start, period.end),
    )
    pairs = set(approved.values_list("household_id", "household__village_id"))
    by_village = Counter(village_id for _household, village_id in pairs)
    return {
        "total": len(pairs),
        "url": figure_url(eliminations_filter(area, period)),
        "_by_village": dict(by_village),
    }


# --- assistance -------------------------------------------------------------------------------


def _assistance(user, area: Area, period: Period) -> dict:
    figures = assistance_figures_for(user, area, period)["figures"]
    # The assistance ledgers' lists are another module's; their statistics page shows the
    # same figures for the area and period, each with the filter of its rows.
    stats_url = (
        f"{reverse('assistance:stats')}?{urlencode({'area': area.code, 'period': period.code})}"
    )
    return {
        "url": stats_url,
        "items": [
            {
                "key": key,
                "label": figures[key]["label"],
                "value": str(figures[key]["value"]),
                "has_data": figures[key]["has_data"],
                "url": stats_url,
            }
            for key in ASSISTANCE_KEYS
        ],
    }


# --- projects ---------------------------------------------------------------------------------


def _projects(user, area: Area) -> list[dict]:
    projects = _in_area(visible_projects(user), area, "area").order_by("year", "code")
    rows = []
    for project in projects:
        disbursed, budget, ratio = disbursement_progress(project)
        rows.append(
            {
                "code": project.code,
                "name": project.name,
                "area": project.area.name,
                "disbursed": str(disbursed),
                "budget": str(budget),
                "percent": None if ratio is None else round(float(ratio) * 100, 1),
                "url": reverse("projects:project_detail", args=[project.public_id]),
            }
        )
    return rows


# --- indicator targets ------------------------------------------------------------------------


def _indicators(user, area: Area, period: Period) -> dict:
    if not has_perm(user, Perm.VIEW_PLANS):
        return {"columns": [], "rows": []}
    board = board_data(area, period)
    columns = [
        {"code": column.code, "name": column.name, "level": column.level}
        for column in board["columns"]
        if area_in_scope(user, column, Perm.VIEW_PLANS)
    ]
    shown = {column["code"] for column in columns}
    board_url = reverse("workplans:indicator_board")
    rows = []
    for row in board["rows"]:
        cells = [
            {
                "area": cell["area"].code,
                "actual": cell["actual"],
                "target": cell["target"] if cell["status"].target is not None else "",
                "status": cell["status"].status,
                "status_label": cell["status"].label,
                # The area's own board for the period: the values behind the cell.
                "url": f"{board_url}?{urlencode({'area': cell['area'].code, 'period': period.code})}",
            }
            for cell in row["cells"]
            if cell["area"].code in shown
        ]
        rows.append({"name": row["indicator"].name, "unit": row["indicator"].unit, "cells": cells})
    return {"columns": columns, "rows": rows}


# --- the village table (drill-down) -----------------------------------------------------------


def _village_rows(villages: list[Area], data: dict, period: Period) -> list[dict]:
    """One row per village with its headline counts and the link to its own dashboard."""
    sources = {
        "households": data["households"].pop("_by_village"),
        "clues": data["clues"].pop("_by_village"),
        "open_cases": data["cases"].pop("_by_village"),
        "eliminations": data["eliminations"].pop("_by_village"),
    }
    return [
        {
            "code": village.code,
            "name": village.name,
            "url": drill_url(village.code, period),
            "links": village_links(village, period),
            **{key: counts.get(village.pk, 0) for key, counts in sources.items()},
        }
        for village in villages
    ]


def village_links(village: Area, period: Period) -> dict:
    """The row lists behind a village row's numbers."""
    return {
        "households": figure_url(monitored_filter(village)),
        "clues": figure_url(clue_filter(village, period.start, period.end)),
        "open_cases": figure_url(open_cases_filter(village, open="1")),
        "eliminations": figure_url(eliminations_filter(village, period)),
    }

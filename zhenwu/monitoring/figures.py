"""Computed figures of the monitoring work for a township and a period (每月一研判 data).

Every figure is counted by an ORM query over the stored records, never typed in. Each one
carries ``filter``: the query parameters that list exactly what was counted, so a report
can link a number to its rows. A figure whose source has no rows at all is 0 with
``has_data`` false (e.g. no screening round was opened), so "0" never hides "not done".

The result is plain JSON (it is frozen into ``MonthlyAnalysis.figures``)."""

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from zhenwu.areas.models import Area
from zhenwu.areas.selectors import villages_under
from zhenwu.lib.periods import Period, month_period
from zhenwu.monitoring.choices import CaseKind, CaseStatus, Channel
from zhenwu.monitoring.models import (
    OPEN_CASE_STATUSES,
    CaseEvent,
    Clue,
    MonitoringCase,
    Problem,
    RuleHit,
    RuleRun,
    ScreeningRound,
    ScreeningVisit,
)
from zhenwu.registry.choices import PersonStatus
from zhenwu.registry.models import Person

LABELS = {
    "clues": _("新增风险线索（条）"),
    "open_identification": _("在办识别纳入程序（件，期末）"),
    "overdue_identification": _("超期未办结识别程序（件，期末）"),
    "new_households": _("新识别纳入监测对象（户）"),
    "new_people": _("新识别纳入监测对象（人）"),
    "eliminated_households": _("风险消除（户）"),
    "open_problems": _("未整改问题（个，期末）"),
    "fixed_problems": _("本期整改完成问题（个）"),
    "screening_targets": _("排查对象（户）"),
    "screening_visits": _("已走访（户）"),
    "rule_runs": _("部门数据筛查（次）"),
    "rule_hits": _("规则命中（条）"),
}
SUMMARY_KEYS = list(LABELS)


def monthly_figures(township: Area, month: datetime.date) -> dict:
    """The figures of the month containing ``month``."""
    return period_figures(township, month_period(month))


def period_figures(township: Area, period: Period) -> dict:
    with translation.override("zh-hans"):
        return _compute(township, period)


def _compute(township: Area, period: Period) -> dict:
    base = {"township": township.code, "from": period.start.isoformat()}
    base["to"] = period.end.isoformat()
    clues = _clues(township, period, base)
    cases = _cases(township, period, base)
    problems = _problems(township, period, base)
    screening = _screening(township, period, base)
    rules = _rules(township, period, base)
    summary = {**clues["summary"], **cases["summary"], **problems, **screening["summary"]}
    summary.update(rules["summary"])
    return {
        "township": {"code": township.code, "name": township.name},
        "period": {
            "code": period.code,
            "kind": period.kind,
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "computed_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "summary": [summary[key] for key in SUMMARY_KEYS],
        "clues_by_channel": clues["by_channel"],
        "clues_by_village": clues["by_village"],
        "cases_by_stage": cases["by_stage"],
        "screening_by_village": screening["by_village"],
        "rule_hits_by_rule": rules["by_rule"],
    }


def _figure(key: str, value: int, filter_: dict, has_data: bool = True) -> dict:
    return {
        "key": key,
        "label": str(LABELS[key]),
        "value": value,
        "has_data": has_data,
        "filter": filter_,
    }


def _row(key: str, label, value: int, filter_: dict) -> dict:
    return {"key": key, "label": str(label), "value": value, "filter": filter_}


def _in_township(township: Area, field: str) -> Q:
    return Q(**{f"{field}__path__startswith": township.path})


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first instant after ``day`` in the server's time zone."""
    following = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(following)


# --- clues ------------------------------------------------------------------------------------


def _clues(township: Area, period: Period, base: dict) -> dict:
    qs = Clue.objects.filter(
        _in_township(township, "village"), reported_on__range=(period.start, period.end)
    )
    list_filter = {"list": "clues", **base}
    channel_counts = dict(qs.values_list("channel").annotate(n=Count("id")).order_by())
    by_channel = [
        _row(value, label, channel_counts.get(value, 0), {**list_filter, "channel": value})
        for value, label in Channel.choices
    ]
    village_counts = dict(qs.values_list("village_id").annotate(n=Count("id")).order_by())
    by_village = [
        _row(
            village.code,
            village.name,
            village_counts.get(village.pk, 0),
            {**list_filter, "village": village.code},
        )
        for village in _villages(township)
    ]
    total = sum(channel_counts.values())
    return {
        "summary": {"clues": _figure("clues", total, list_filter)},
        "by_channel": by_channel,
        "by_village": by_village,
    }


def _villages(township: Area) -> list[Area]:
    return list(villages_under(township).order_by("code"))


# --- cases ------------------------------------------------------------------------------------


def status_at(case: MonitoringCase, events: list[CaseEvent], end: datetime.datetime) -> str:
    """The case's status at ``end``: the last step taken before it; before any step the
    status the first later step started from; without steps the current status."""
    before = [event for event in events if event.at < end]
    if before:
        return before[-1].to_status
    if events:
        return events[0].from_status
    return case.status


def _cases(township: Area, period: Period, base: dict) -> dict:
    end = _end_of(period.end)
    identification = list(
        MonitoringCase.objects.filter(
            _in_township(township, "household__village"),
            kind=CaseKind.IDENTIFICATION,
            started_on__lte=period.end,
        ).prefetch_related("events")
    )
    open_cases: dict[str, list[MonitoringCase]] = defaultdict(list)
    for case in identification:
        status = status_at(case, list(case.events.all()), end)
        if status in OPEN_CASE_STATUSES:
            open_cases[status].append(case)
    case_filter = {"list": "cases", "kind": CaseKind.IDENTIFICATION.value, **base}
    at_end = {"list": "cases", "kind": CaseKind.IDENTIFICATION.value, "township": township.code}
    at_end["open_on"] = period.end.isoformat()
    by_stage = [
        _row(status, label, len(open_cases.get(status, [])), {**at_end, "status": status})
        for status, label in CaseStatus.choices
        if status in OPEN_CASE_STATUSES
    ]
    open_all = [case for cases in open_cases.values() for case in cases]
    overdue = [case for case in open_all if case.deadline_on < period.end]
    approved = MonitoringCase.objects.filter(
        _in_township(township, "household__village"),
        status=CaseStatus.APPROVED,
        approved_on__range=(period.start, period.end),
    )
    new_households = set(
        approved.filter(kind=CaseKind.IDENTIFICATION).values_list("household_id", flat=True)
    )
    new_people = Person.objects.filter(
        household_id__in=new_households, status=PersonStatus.ACTIVE
    ).count()
    eliminated = approved.filter(kind=CaseKind.ELIMINATION).values("household_id").distinct()
    approved_filter = {**case_filter, "status": CaseStatus.APPROVED.value, "approved": "1"}
    elimination_filter = {**approved_filter, "kind": CaseKind.ELIMINATION.value}
    return {
        "summary": {
            "open_identification": _figure("open_identification", len(open_all), at_end),
            "overdue_identification": _figure(
                "overdue_identification", len(overdue), {**at_end, "overdue": "1"}
            ),
            "new_households": _figure("new_households", len(new_households), approved_filter),
            "new_people": _figure(
                "new_people", new_people, {**approved_filter, "list": "case_members"}
            ),
            "eliminated_households": _figure(
                "eliminated_households", eliminated.count(), elimination_filter
            ),
        },
        "by_stage": by_stage,
    }


# --- problems ---------------------------------------------------------------------------------


def _problems(township: Area, period: Period, base: dict) -> dict:
    qs = Problem.objects.filter(_in_township(township, "household__village"))
    open_at_end = qs.filter(found_on__lte=period.end).exclude(fixed_on__lte=period.end)
    fixed = qs.filter(fixed_on__range=(period.start, period.end))
    open_filter = {"list": "problems", "township": township.code}
    open_filter["open_on"] = period.end.isoformat()
    return {
        "open_problems": _figure("open_problems", open_at_end.count(), open_filter),
        "fixed_problems": _figure(
            "fixed_problems", fixed.count(), {"list": "problems", "fixed": "1", **base}
        ),
    }


# --- screening rounds -------------------------------------------------------------------------


def _screening(township: Area, period: Period, base: dict) -> dict:
    rounds = ScreeningRound.objects.filter(
        _in_township(township, "village"), month__range=(period.start, period.end)
    )
    targets = dict(
        rounds.values_list("village_id").annotate(n=Count("target_households")).order_by()
    )
    visits = dict(
        ScreeningVisit.objects.filter(round__in=rounds)
        .values_list("round__village_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    round_filter = {"list": "screening", **base}
    by_village = []
    for village in _villages(township):
        target, done = targets.get(village.pk, 0), visits.get(village.pk, 0)
        by_village.append(
            {
                "key": village.code,
                "label": village.name,
                "targets": target,
                "visits": done,
                "rate": round(100 * done / target, 1) if target else None,
                "has_data": village.pk in targets,
                "filter": {**round_filter, "village": village.code},
            }
        )
    has_rounds = bool(targets)
    return {
        "summary": {
            "screening_targets": _figure(
                "screening_targets", sum(targets.values()), round_filter, has_rounds
            ),
            "screening_visits": _figure(
                "screening_visits", sum(visits.values()), round_filter, has_rounds
            ),
        },
        "by_village": by_village,
    }


# --- department-data rule runs ----------------------------------------------------------------


def _rules(township: Area, period: Period, base: dict) -> dict:
    """Runs over the township, one of its villages, or an area containing it (a county
    run covers the township too); hits only of the township's households."""
    covering = [ancestor for ancestor in _ancestor_paths(township.path)]
    runs = RuleRun.objects.filter(period__range=(period.start, period.end)).filter(
        Q(area__path__startswith=township.path) | Q(area__path__in=covering)
    )
    hits = RuleHit.objects.filter(run__in=runs).filter(_in_township(township, "household__village"))
    by_rule = dict(hits.values_list("rule_code").annotate(n=Count("id")).order_by())
    hit_filter = {"list": "rule_hits", **base}
    run_count = runs.count()
    return {
        "summary": {
            "rule_runs": _figure("rule_runs", run_count, {"list": "rule_runs", **base}),
            "rule_hits": _figure(
                "rule_hits", sum(by_rule.values()), hit_filter, has_data=run_count > 0
            ),
        },
        "by_rule": [
            _row(code, _rule_title(code), count, {**hit_filter, "rule": code})
            for code, count in sorted(by_rule.items())
        ],
    }


def _rule_title(code: str) -> str:
    """The rule's Chinese title for people; the code stays in the row key and filter."""
    from zhenwu.monitoring.rules.catalog import RULES

    return next((str(rule.title) for rule in RULES if rule.code == code), code)


def _ancestor_paths(path: str) -> list[str]:
    """'/a/b/c/' → ['/a/', '/a/b/'] (strict ancestors), whatever the separator layout."""
    return [path[: i + 1] for i, char in enumerate(path[:-1]) if char == "/" and i > 0]


def figure_value(figures: dict, key: str) -> int | None:
    """Value of a summary figure by key (None when absent)."""
    for item in figures.get("summary", []):
        if item["key"] == key:
            return item["value"]
    return None

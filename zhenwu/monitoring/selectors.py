"""Monitoring reads, always through the scoping policy (accounts.policy). Fails closed:
``access_*`` raises ``NotFound`` for missing and out-of-scope records alike.

Shared by the parts of the monitoring work: each part adds its own functions below."""

import datetime
from collections import Counter

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhenwu.accounts.policy import scope_paths, scoped
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.core.errors import NotFound
from zhenwu.monitoring.models import (
    OPEN_CASE_STATUSES,
    CaseEvent,
    Clue,
    MonitoringCase,
    Problem,
    ScreeningRound,
    ScreeningVisit,
)
from zhenwu.registry.models import Household, Person
from zhenwu.registry.selectors import person_match

# --- figure filters (the list behind a number) ---------------------------------------------
#
# The monitoring figures (figures.py) and the dashboard link each number to a list page with
# the parameters below; the list must hold exactly the rows that were counted. They narrow
# the already scoped querysets, so they never widen what a user sees, and an unknown area
# code gives no rows at all (fail closed).

AREA_PARAMS = ("township", "area")


def area_by_code(code: str) -> Area | None:
    from zhenwu.areas.selectors import current

    if not code:
        return None
    return current().filter(code=code).first()


def narrowing_areas(filters: dict) -> list[Area] | None:
    """The areas named by a figure link's ``township``/``area`` codes; None when a code is
    unknown (the list then shows nothing: fail closed)."""
    areas = []
    for key in AREA_PARAMS:
        if filters.get(key):
            area = area_by_code(filters[key])
            if area is None:
                return None
            areas.append(area)
    return areas


def under_areas(qs: QuerySet, filters: dict, field: str) -> QuerySet:
    """Rows whose ``field`` (a village) lies under each of the ``township``/``area`` codes."""
    areas = narrowing_areas(filters)
    if areas is None:
        return qs.none()
    for area in areas:
        qs = qs.filter(**{f"{field}__path__startswith": area.path})
    return qs


def area_names(filters: dict) -> list[str]:
    """Names of the areas a figure link narrowed a list to (their codes ride hidden)."""
    names = []
    for key in AREA_PARAMS:
        if filters.get(key):
            area = area_by_code(filters[key])
            names.append(area.name if area else filters[key])
    return names


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after ``day`` in the server's time zone."""
    following = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(following)


def with_status_on(qs: QuerySet[MonitoringCase], day: datetime.date) -> QuerySet:
    """Annotates ``status_then``: the case's status at the end of ``day``, by the same rule
    as ``figures.status_at`` (the last step before it; before any step the status the first
    step started from; without steps the current status), in one query."""
    end = end_of_day(day)
    last_before = (
        CaseEvent.objects.filter(case=OuterRef("pk"), at__lt=end)
        .order_by("-at", "-id")
        .values("to_status")[:1]
    )
    first = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("at", "id").values("from_status")
    return qs.annotate(
        status_then=Coalesce(Subquery(last_before), Subquery(first[:1]), F("status"))
    )


# --- screening rounds (每月一排查) ------------------------------------------------------


def visible_rounds(user, perm: str = Perm.VIEW_MONITORING) -> QuerySet[ScreeningRound]:
    return scoped(ScreeningRound.objects.select_related("village"), user, perm, "village")


def access_round(user, public_id, perm: str = Perm.VIEW_MONITORING) -> ScreeningRound:
    try:
        return visible_rounds(user, perm).get(public_id=public_id)
    except (ScreeningRound.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def round_progress(round_: ScreeningRound) -> tuple[int, int, float]:
    """(visited, targets, rate 0..1). A visit needs a target, so visits count visited."""
    targets = round_.target_households.count()
    visited = round_.visits.count()
    return visited, targets, (visited / targets if targets else 0.0)


def round_targets(round_: ScreeningRound, *, query: str = "") -> QuerySet[Household]:
    """The round's target households with ``visited`` (bool), searchable by a member's name,
    pinyin, initials or ID digits (``registry.selectors.person_match``) or the number.
    The caller has already been given the round through ``access_round``."""
    visits = ScreeningVisit.objects.filter(round=round_, household=OuterRef("pk"))
    qs = (
        Household.objects.filter(pk__in=round_.target_households.values("pk"))
        .annotate(visited=Exists(visits))
        .prefetch_related("members")
        .order_by("visited", "number")
    )
    match = person_match(query)
    if match is not None:
        members = Person.objects.filter(match, household=OuterRef("pk"))
        qs = qs.filter(Exists(members) | Q(number=query.strip()))
    return qs


def screening_overview(user, month, *, until=None, filters: dict | None = None) -> list[dict]:
    """One row per current village in the user's scope: its round of ``month`` (or None),
    visited / targets / rate, problems opened and clues reported from the round's visits.

    ``until`` (a later month) sums the rounds of ``month`` … ``until`` per village (the row's
    ``round`` is then the latest); ``filters`` may narrow the villages by ``township`` /
    ``area`` / ``village`` code, as the 排查 figures of a township and period count."""
    from zhenwu.areas.selectors import current

    month = month.replace(day=1)
    until = max(until.replace(day=1), month) if until else month
    filters = filters or {}
    paths = scope_paths(user, Perm.VIEW_MONITORING)
    if not paths:
        return []
    in_scope = Q()
    for path in paths:
        in_scope |= Q(path__startswith=path)
    villages = current(Area.objects.filter(in_scope, level=AreaLevel.VILLAGE)).order_by("code")
    for key in AREA_PARAMS:
        if filters.get(key):
            area = area_by_code(filters[key])
            villages = villages.filter(path__startswith=area.path) if area else villages.none()
    if filters.get("village"):
        villages = villages.filter(code=filters["village"])
    found = list(
        visible_rounds(user)
        .filter(month__range=(month, until), village__in=villages)
        .annotate(
            targets=Count("target_households", distinct=True),
            visited=Count("visits", distinct=True),
        )
        .order_by("month")
    )
    rounds, targets, visited = {}, Counter(), Counter()
    for round_ in found:
        rounds[round_.village_id] = round_  # the latest month wins
        targets[round_.village_id] += round_.targets
        visited[round_.village_id] += round_.visited
    problems = dict(
        Problem.objects.filter(visit__round__in=found)
        .values_list("visit__round__village")
        .annotate(n=Count("id"))
    )
    clues = dict(
        Clue.objects.filter(visit__round__in=found)
        .values_list("visit__round__village")
        .annotate(n=Count("id"))
    )
    rows = []
    for village in villages:
        round_ = rounds.get(village.pk)
        village_targets, village_visited = targets[village.pk], visited[village.pk]
        rate = village_visited / village_targets if village_targets else 0.0
        rows.append(
            {
                "village": village,
                "round": round_,
                "targets": village_targets,
                "visited": village_visited,
                "rate": rate,
                "percent": round(100 * rate),
                "problems": problems.get(village.pk, 0),
                "clues": clues.get(village.pk, 0),
            }
        )
    return rows


# --- clues (线索) ---------------------------------------------------------------------------

# Allow-list of inbox filters (SECURITY.md 16): name → lookup.
CLUE_FILTERS = {
    "channel": "channel",
    "status": "status",
    "village": "village__code",
}


def visible_clues(user, perm: str = Perm.VIEW_MONITORING) -> QuerySet[Clue]:
    return scoped(Clue.objects.select_related("village", "household"), user, perm, "village")


def access_clue(user, public_id, perm: str = Perm.VIEW_MONITORING) -> Clue:
    try:
        return visible_clues(user, perm).get(public_id=public_id)
    except (Clue.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def filter_clues(qs: QuerySet[Clue], *, filters: dict, month=None) -> QuerySet[Clue]:
    """Inbox filters; ``month`` is any day of the month the clue was reported in;
    ``township``/``area`` (code) keep clues of villages under it; ``from``/``to`` bound
    ``reported_on`` (both ends included), as the 新增风险线索 figure counts."""
    for key, value in filters.items():
        if value and key in CLUE_FILTERS:
            qs = qs.filter(**{CLUE_FILTERS[key]: value})
    if month is not None:
        qs = qs.filter(reported_on__year=month.year, reported_on__month=month.month)
    qs = under_areas(qs, filters, "village")
    if filters.get("from"):
        qs = qs.filter(reported_on__gte=filters["from"])
    if filters.get("to"):
        qs = qs.filter(reported_on__lte=filters["to"])
    return qs


# --- cases (识别纳入 / 风险消除) and problems (动态清零) -------------------------------------

CASE_FILTERS = {"kind": "kind", "status": "status", "village": "household__village__code"}
PROBLEM_FILTERS = {"kind": "kind", "status": "status", "village": "household__village__code"}
UNFIXED_PROBLEM_STATUSES = ("open", "in_progress")


def visible_cases(user, perm: str = Perm.VIEW_MONITORING) -> QuerySet[MonitoringCase]:
    return scoped(
        MonitoringCase.objects.select_related("household", "household__village"),
        user,
        perm,
        "household__village",
    )


def access_case(user, public_id, perm: str = Perm.VIEW_MONITORING) -> MonitoringCase:
    try:
        return visible_cases(user, perm).get(public_id=public_id)
    except (MonitoringCase.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def filter_cases(qs, filters: dict, *, today=None):
    """Allow-listed filters; ``overdue`` keeps open identification cases past their deadline.

    Figure filters: ``township``/``area`` (code) → household's village under it;
    ``open`` → open now (current status); ``approved`` → approved cases; ``from``/``to`` → ``approved_on`` in the range (both ends
    included); ``open_on`` (a date) → cases started by then whose status *at the end of that
    day* is open, ``status`` then means the status at that date and ``overdue`` a deadline
    before that date (the 期末 figures)."""
    open_on = filters.get("open_on")
    for key, value in filters.items():
        if value and key in CASE_FILTERS and not (open_on and key == "status"):
            qs = qs.filter(**{CASE_FILTERS[key]: value})
    qs = under_areas(qs, filters, "household__village")
    if filters.get("approved"):
        qs = qs.filter(status="approved", approved_on__isnull=False)
    if filters.get("from"):
        qs = qs.filter(approved_on__gte=filters["from"])
    if filters.get("to"):
        qs = qs.filter(approved_on__lte=filters["to"])
    if filters.get("open") and not open_on:
        qs = qs.filter(status__in=OPEN_CASE_STATUSES)
    if open_on:
        qs = with_status_on(qs.filter(started_on__lte=open_on), open_on)
        qs = qs.filter(status_then__in=OPEN_CASE_STATUSES)
        if filters.get("status"):
            qs = qs.filter(status_then=filters["status"])
        if filters.get("overdue"):
            qs = qs.filter(kind="identification", deadline_on__lt=open_on)
    elif filters.get("overdue"):
        qs = overdue_cases_in(qs, today=today)
    return qs


def overdue_cases_in(qs, *, today=None):
    """The same rule as ``MonitoringCase.is_overdue``, as a query."""
    from django.utils import timezone

    from zhenwu.monitoring.models import OPEN_CASE_STATUSES

    today = today or timezone.localdate()
    return qs.filter(kind="identification", status__in=OPEN_CASE_STATUSES, deadline_on__lt=today)


def overdue_cases(user, *, today=None) -> QuerySet[MonitoringCase]:
    return overdue_cases_in(visible_cases(user), today=today)


def visible_problems(user, perm: str = Perm.VIEW_MONITORING) -> QuerySet[Problem]:
    return scoped(
        Problem.objects.select_related("household", "household__village"),
        user,
        perm,
        "household__village",
    )


def access_problem(user, public_id, perm: str = Perm.VIEW_MONITORING) -> Problem:
    try:
        return visible_problems(user, perm).get(public_id=public_id)
    except (Problem.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def filter_problems(qs, filters: dict, *, today=None):
    """Allow-listed filters; ``overdue`` keeps problems not fixed by their deadline.

    Figure filters: ``township``/``area`` (code) → household's village under it; ``fixed``
    → problems with a 整改完成 date; ``from``/``to`` → ``fixed_on`` in the range (both ends
    included); ``open_on`` (a date) → found by then and not fixed by then (期末未整改)."""
    for key, value in filters.items():
        if value and key in PROBLEM_FILTERS:
            qs = qs.filter(**{PROBLEM_FILTERS[key]: value})
    qs = under_areas(qs, filters, "household__village")
    if filters.get("fixed"):
        qs = qs.filter(fixed_on__isnull=False)
    if filters.get("from"):
        qs = qs.filter(fixed_on__gte=filters["from"])
    if filters.get("to"):
        qs = qs.filter(fixed_on__lte=filters["to"])
    if filters.get("open_on"):
        open_on = filters["open_on"]
        qs = qs.filter(found_on__lte=open_on).exclude(fixed_on__lte=open_on)
    if filters.get("overdue"):
        today = today or timezone.localdate()
        qs = qs.filter(status__in=UNFIXED_PROBLEM_STATUSES, deadline_on__lt=today)
    return qs


def eliminable_households(user, perm: str = Perm.CASE_VILLAGE_STEPS) -> QuerySet[Household]:
    """Monitored households with unresolved risk and no open elimination case (the
    candidates for "start elimination")."""
    from zhenwu.monitoring.models import OPEN_CASE_STATUSES

    open_cases = MonitoringCase.objects.filter(
        household=OuterRef("pk"), kind="elimination", status__in=OPEN_CASE_STATUSES
    )
    qs = Household.objects.select_related("village").filter(
        category="monitored", risk_status="unresolved", status="active"
    )
    return scoped(qs, user, perm, "village").exclude(Exists(open_cases)).order_by("number")


def clue_for_case(user, public_id) -> Clue:
    """A clue the user may open an identification case from (MANAGE_CLUES in its village)."""
    try:
        return scoped(
            Clue.objects.select_related("village", "household"), user, Perm.MANAGE_CLUES, "village"
        ).get(public_id=public_id)
    except (Clue.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


# --- department data and screening runs (部门数据与筛查) ------------------------------------


def visible_datasets(user):
    """Department datasets in the areas where the user may load department data (clerks)
    or run the screening (township and district officers)."""
    from zhenwu.monitoring.models import DepartmentDataset

    qs = DepartmentDataset.objects.select_related("area", "created_by")
    clerk = scoped(qs, user, Perm.UPLOAD_DEPARTMENT_DATA, "area")
    officer = scoped(qs, user, Perm.RUN_RULES, "area")
    return (clerk | officer).distinct()


def visible_runs(user, perm: str = Perm.VIEW_MONITORING):
    """Screening runs of areas inside the user's monitoring scope (they show households)."""
    from zhenwu.monitoring.models import RuleRun

    return scoped(RuleRun.objects.select_related("area", "created_by"), user, perm, "area")


def filter_runs(qs, filters: dict):
    """Runs counted for a township by the 部门数据筛查 figures: over the township, one of
    its villages or an area containing it (a county run covers the township too), with the
    month in ``from``/``to``. An unknown area code lists nothing."""
    areas = narrowing_areas(filters)
    if areas is None:
        return qs.none()
    for area in areas:
        parts = [part for part in area.path.split("/") if part]
        covering = ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts))]
        qs = qs.filter(Q(area__path__startswith=area.path) | Q(area__path__in=covering))
    if filters.get("from"):
        qs = qs.filter(period__gte=filters["from"])
    if filters.get("to"):
        qs = qs.filter(period__lte=filters["to"])
    return qs


def access_run(user, public_id, perm: str = Perm.VIEW_MONITORING):
    from zhenwu.monitoring.models import RuleRun

    try:
        return visible_runs(user, perm).get(public_id=public_id)
    except (RuleRun.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def run_hits(user, run):
    """The run's hits on households the user may see, with household, person and village."""
    from zhenwu.monitoring.models import RuleHit

    qs = RuleHit.objects.filter(run=run).select_related("household", "household__village", "person")
    return scoped(qs, user, Perm.VIEW_MONITORING, "household__village").order_by(
        "rule_code", "household__number", "id"
    )


# --- monthly analysis (每月一研判) ------------------------------------------------------


def visible_analyses(user, perm: str = Perm.MONTHLY_ANALYSIS) -> QuerySet:
    from zhenwu.monitoring.models import MonthlyAnalysis

    return scoped(MonthlyAnalysis.objects.select_related("township"), user, perm, "township")


def access_analysis(user, public_id, perm: str = Perm.MONTHLY_ANALYSIS):
    from zhenwu.monitoring.models import MonthlyAnalysis

    try:
        return visible_analyses(user, perm).get(public_id=public_id)
    except (MonthlyAnalysis.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


# 识别纳入原则上15天内完成 (DOMAIN.md §4): used where no parameter is configured.
DEFAULT_IDENTIFICATION_DAYS = 15


def clue_deadline_days(clues) -> dict[int, int]:
    """identification_days for each clue (its village's parameter on its date), by pk."""
    from zhenwu.monitoring.parameters import ParameterTable

    table = ParameterTable("identification_days", {clue.village for clue in clues})
    return {
        clue.pk: int(table.value(clue.village, clue.reported_on, DEFAULT_IDENTIFICATION_DAYS))
        for clue in clues
    }

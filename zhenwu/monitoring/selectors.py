"""Monitoring reads, always through the scoping policy (accounts.policy). Fails closed:
``access_*`` raises ``NotFound`` for missing and out-of-scope records alike.

Shared by the parts of the monitoring work: each part adds its own functions below."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from zhenwu.accounts.policy import scope_paths, scoped
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.core.errors import NotFound
from zhenwu.monitoring.models import (
    Clue,
    MonitoringCase,
    Problem,
    ScreeningRound,
    ScreeningVisit,
)
from zhenwu.registry.models import Household, Person
from zhenwu.registry.selectors import person_match

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


def screening_overview(user, month) -> list[dict]:
    """One row per current village in the user's scope: its round of ``month`` (or None),
    visited / targets / rate, problems opened and clues reported from the round's visits."""
    from zhenwu.areas.selectors import current

    month = month.replace(day=1)
    paths = scope_paths(user, Perm.VIEW_MONITORING)
    if not paths:
        return []
    in_scope = Q()
    for path in paths:
        in_scope |= Q(path__startswith=path)
    villages = current(Area.objects.filter(in_scope, level=AreaLevel.VILLAGE)).order_by("code")
    rounds = {
        r.village_id: r
        for r in visible_rounds(user)
        .filter(month=month)
        .annotate(
            targets=Count("target_households", distinct=True),
            visited=Count("visits", distinct=True),
        )
    }
    problems = dict(
        Problem.objects.filter(visit__round__in=list(rounds.values()))
        .values_list("visit__round__village")
        .annotate(n=Count("id"))
    )
    clues = dict(
        Clue.objects.filter(visit__round__in=list(rounds.values()))
        .values_list("visit__round__village")
        .annotate(n=Count("id"))
    )
    rows = []
    for village in villages:
        round_ = rounds.get(village.pk)
        targets = round_.targets if round_ else 0
        visited = round_.visited if round_ else 0
        rows.append(
            {
                "village": village,
                "round": round_,
                "targets": targets,
                "visited": visited,
                "rate": visited / targets if targets else 0.0,
                "percent": round(100 * visited / targets) if targets else 0,
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
    """Inbox filters; ``month`` is any day of the month the clue was reported in."""
    for key, value in filters.items():
        if value and key in CLUE_FILTERS:
            qs = qs.filter(**{CLUE_FILTERS[key]: value})
    if month is not None:
        qs = qs.filter(reported_on__year=month.year, reported_on__month=month.month)
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
    """Allow-listed filters; ``overdue`` keeps open identification cases past their deadline."""
    for key, value in filters.items():
        if value and key in CASE_FILTERS:
            qs = qs.filter(**{CASE_FILTERS[key]: value})
    if filters.get("overdue"):
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
    """Allow-listed filters; ``overdue`` keeps problems not fixed by their deadline."""
    from django.utils import timezone

    for key, value in filters.items():
        if value and key in PROBLEM_FILTERS:
            qs = qs.filter(**{PROBLEM_FILTERS[key]: value})
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

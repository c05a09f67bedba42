"""Work-plan and indicator reads, always through the scoping policy (accounts.policy). Fails
closed: ``access_*`` raises ``NotFound`` for missing and out-of-scope records alike.

Shared by the parts of the workplans work: each part adds its own functions below."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhenwu.accounts.policy import scope_paths
from zhenwu.accounts.roles import Perm
from zhenwu.core.errors import NotFound
from zhenwu.workplans.choices import TaskStatus
from zhenwu.workplans.models import ProgressUpdate, Task, WorkPlan

_LOOKUP_ERRORS = (ObjectDoesNotExist, ValueError, TypeError, ValidationError)

# --- plans, tasks and progress (工作计划) ----------------------------------------------------


def _plan_scope(qs: QuerySet, user, perm: str, area_field: str) -> QuerySet:
    """Plans of an area in the user's scope, and of the areas above it: a 螺田村 cadre reads
    the plans of 螺田村, of 沙地镇 and of 赣县区 (read-only: writes check ``require_area``)."""
    paths = scope_paths(user, perm)
    if not paths:
        return qs.none()
    condition = Q()
    for path in paths:
        above = [path[: i + 1] for i, char in enumerate(path) if char == "/" and i > 0]
        condition |= Q(**{f"{area_field}__path__startswith": path})
        condition |= Q(**{f"{area_field}__path__in": above})
    return qs.filter(condition)


def _open_overdue(today) -> Q:
    return Q(
        sections__tasks__deadline_on__lt=today,
        sections__tasks__status__in=(TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS),
    )


def visible_plans(user, perm: str = Perm.VIEW_PLANS) -> QuerySet[WorkPlan]:
    """Plans with ``task_count``, ``done_count`` and ``overdue_count``."""
    today = timezone.localdate()
    return (
        _plan_scope(WorkPlan.objects.select_related("area"), user, perm, "area")
        .annotate(
            task_count=Count("sections__tasks", distinct=True),
            done_count=Count(
                "sections__tasks",
                filter=Q(sections__tasks__status=TaskStatus.DONE),
                distinct=True,
            ),
            overdue_count=Count("sections__tasks", filter=_open_overdue(today), distinct=True),
        )
        .order_by("-period", "area__path")
    )


def access_plan(user, public_id, perm: str = Perm.VIEW_PLANS) -> WorkPlan:
    try:
        return visible_plans(user, perm).get(public_id=public_id)
    except _LOOKUP_ERRORS:
        raise NotFound from None


def visible_tasks(user, perm: str = Perm.VIEW_PLANS) -> QuerySet[Task]:
    return _plan_scope(
        Task.objects.select_related("section__plan__area", "indicator"),
        user,
        perm,
        "section__plan__area",
    )


def access_task(user, public_id, perm: str = Perm.VIEW_PLANS) -> Task:
    try:
        return visible_tasks(user, perm).get(public_id=public_id)
    except _LOOKUP_ERRORS:
        raise NotFound from None


def access_progress_update(user, public_id, perm: str = Perm.VIEW_PLANS) -> ProgressUpdate:
    """A progress update (and so its attachment) the user may read."""
    qs = _plan_scope(
        ProgressUpdate.objects.select_related("task__section__plan__area"),
        user,
        perm,
        "task__section__plan__area",
    )
    try:
        return qs.get(public_id=public_id)
    except _LOOKUP_ERRORS:
        raise NotFound from None


def overdue_tasks(user, today=None) -> QuerySet[Task]:
    """逾期任务 the user can see: past the deadline, neither done nor cancelled."""
    today = today or timezone.localdate()
    return visible_tasks(user).filter(
        deadline_on__lt=today, status__in=(TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)
    )


# --- indicators, targets and measurements (指标) -------------------------------------------


def indicator_areas(user, perm: str = Perm.VIEW_PLANS) -> QuerySet:
    """Current areas (district, township, village) inside the user's scope for ``perm``,
    widest first: the area choices of the indicator board and the entry form."""
    from zhenwu.areas.models import Area
    from zhenwu.areas.selectors import current

    paths = scope_paths(user, perm)
    if not paths:
        return Area.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return current(Area.objects.filter(condition)).order_by("level", "code")


def access_indicator_area(user, code, perm: str = Perm.VIEW_PLANS):
    """An area of the board by its code; ``NotFound`` outside the scope."""
    try:
        return indicator_areas(user, perm).get(code=str(code))
    except _LOOKUP_ERRORS:
        raise NotFound from None


def access_indicator(code):
    """An indicator of the catalogue (the catalogue itself is not area-bound)."""
    from zhenwu.workplans.models import Indicator

    try:
        return Indicator.objects.get(code=str(code))
    except _LOOKUP_ERRORS:
        raise NotFound from None


def visible_measurements(user, perm: str = Perm.VIEW_PLANS) -> QuerySet:
    from zhenwu.accounts.policy import scoped
    from zhenwu.workplans.models import Measurement

    qs = Measurement.objects.select_related("indicator", "area")
    return scoped(qs, user, perm, "area").order_by("indicator__code", "area__code", "period")


def visible_targets(user, perm: str = Perm.VIEW_PLANS) -> QuerySet:
    from zhenwu.accounts.policy import scoped
    from zhenwu.workplans.models import Target

    qs = Target.objects.select_related("indicator", "area")
    return scoped(qs, user, perm, "area").order_by("indicator__code", "area__code", "period")


def target_rows(area, indicator, period_code: str) -> list[tuple]:
    """The rows of the target form: (area, its Target for exactly ``period_code`` or None)
    for ``area`` and then each current child township or village. ``area`` must come from
    ``access_indicator_area(user, code, Perm.EDIT_PLANS)``: the rows stay inside it."""
    from zhenwu.areas.models import Area, AreaLevel
    from zhenwu.areas.selectors import current
    from zhenwu.workplans.models import Target

    levels = (AreaLevel.TOWNSHIP, AreaLevel.VILLAGE)
    children = current(Area.objects.filter(parent=area, level__in=levels)).order_by("code")
    areas = [area, *children]
    targets = {
        t.area_id: t
        for t in Target.objects.filter(indicator=indicator, area__in=areas, period=period_code)
    }
    return [(each, targets.get(each.pk)) for each in areas]

"""Scoped reads of the projects app. Everything goes through ``accounts.policy.scoped``:
no permission or no membership, no rows; ``access_*`` raises ``NotFound`` (→ 404) for a
missing and an out-of-scope record alike.

Scope of a project: its ``area`` (the township or one village). A village cadre sees the
projects of their own village only, not the township-wide ones; a township officer sees
the township's and its villages'."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from zhenwu.accounts.policy import scoped
from zhenwu.accounts.roles import Perm
from zhenwu.core.errors import NotFound

# --- 项目库 -------------------------------------------------------------------------------

# Warning thresholds (docs/modules/projects.md "Projects").
UNDERSPENT_AFTER_DAYS = 183  # about six months after 批复 …
UNDERSPENT_RATIO = Decimal("0.5")  # … less than half of the budget paid out
# 绩效目标 are due within 20 working days of 批复; approximated as 28 calendar days
# (holidays are not modelled).
TARGETS_DUE_DAYS = 28
PERCENT = Decimal("0.1")


def visible_projects(user, perm: str = Perm.VIEW_PROJECTS):
    from zhenwu.projects.models import Project

    return scoped(Project.objects.select_related("area"), user, perm, "area")


def access_project(user, public_id, perm: str = Perm.VIEW_PROJECTS):
    from zhenwu.projects.models import Project

    try:
        return visible_projects(user, perm).get(public_id=public_id)
    except (Project.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def access_milestone(user, public_id, perm: str = Perm.VIEW_PROJECTS):
    from zhenwu.projects.models import Milestone

    qs = scoped(Milestone.objects.select_related("project__area"), user, perm, "project__area")
    try:
        return qs.get(public_id=public_id)
    except (Milestone.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def access_target(user, public_id, perm: str = Perm.VIEW_PROJECTS):
    from zhenwu.projects.models import PerformanceTarget

    qs = scoped(
        PerformanceTarget.objects.select_related("project__area"), user, perm, "project__area"
    )
    try:
        return qs.get(public_id=public_id)
    except (PerformanceTarget.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def disbursement_progress(project) -> tuple[Decimal, Decimal, Decimal | None]:
    """(disbursed, budget, ratio) in yuan; ratio is disbursed / budget (None without a
    budget), not rounded."""
    from zhenwu.projects.actions.projects import total_budget, total_disbursed

    disbursed, budget = total_disbursed(project), total_budget(project)
    ratio = (disbursed / budget) if budget > 0 else None
    return disbursed, budget, ratio


def progress_percent(ratio: Decimal | None) -> Decimal | None:
    return None if ratio is None else (ratio * 100).quantize(PERCENT)


def status_timeline(project) -> list[dict]:
    """The project's steps from the audit log: creation, then each status change."""
    from zhenwu.core.models import AuditEvent
    from zhenwu.projects.actions.projects import ADVANCED_EVENT

    events = AuditEvent.objects.filter(
        object_id=str(project.public_id),
        event__in=["projects.project_created", ADVANCED_EVENT],
    ).order_by("id")
    timeline = []
    for event in events:
        timeline.append(
            {
                "at": event.at,
                "on": event.data.get("on") or event.at.date().isoformat(),
                "from": event.data.get("from", ""),
                "to": event.data.get("to", "proposed"),
                "user": event.username,
            }
        )
    return timeline


def approved_on(project) -> datetime.date | None:
    """The day of 批复 (from the audit log; the model has no field for it)."""
    for step in status_timeline(project):
        if step["to"] == "approved":
            return datetime.date.fromisoformat(step["on"])
    return None


def project_warnings(project, on: datetime.date) -> list[dict]:
    """Warnings of one project on day ``on``: [{"code", "message"}], in a fixed order.

    overdue_milestone  a milestone past its due day and not done;
    overdue_end        planned end passed and not completed;
    underspent         批复 more than UNDERSPENT_AFTER_DAYS ago, still approved/in progress,
                       less than UNDERSPENT_RATIO of the budget paid out;
    over_budget        more paid out than budgeted (with an approver's override);
    targets_missing    no 绩效目标 TARGETS_DUE_DAYS after 批复."""
    from django.utils.translation import gettext as _

    from zhenwu.projects.states import reached

    warnings = []
    overdue = [m for m in project.milestones.all() if m.done_on is None and m.due_on < on]
    if overdue:
        warnings.append(
            {
                "code": "overdue_milestone",
                "message": _("%(n)s个节点逾期未完成") % {"n": len(overdue)},
            }
        )
    if (
        project.planned_end_on
        and project.planned_end_on < on
        and not reached(project.status, "completed")
    ):
        warnings.append({"code": "overdue_end", "message": _("超过计划完工日期仍未完工")})
    disbursed, budget, ratio = disbursement_progress(project)
    approved = approved_on(project) if reached(project.status, "approved") else None
    if (
        project.status in ("approved", "in_progress")
        and approved is not None
        and (on - approved).days > UNDERSPENT_AFTER_DAYS
        and (ratio is None or ratio < UNDERSPENT_RATIO)
    ):
        warnings.append({"code": "underspent", "message": _("批复超过半年，资金拨付不足50%")})
    if disbursed > budget:
        warnings.append({"code": "over_budget", "message": _("拨付超过预算")})
    if (
        approved is not None
        and (on - approved).days > TARGETS_DUE_DAYS
        and not project.performance_targets.exists()
    ):
        warnings.append({"code": "targets_missing", "message": _("批复后未按时设定绩效目标")})
    return warnings


# --- assets and industry ------------------------------------------------------------------


def visible_assets(user):
    """Assets of the projects in the user's scope (a village cadre: their village's)."""
    from zhenwu.projects.models import Asset

    qs = Asset.objects.select_related("project__area", "household__village")
    return scoped(qs, user, Perm.VIEW_PROJECTS, "project__area")


def access_asset(user, public_id):
    from zhenwu.projects.models import Asset

    try:
        return visible_assets(user).get(public_id=public_id)
    except (Asset.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound from None


def visible_enterprises(user):
    """Enterprises in the user's scope (a village cadre: those of their village)."""
    from zhenwu.projects.models import Enterprise

    qs = Enterprise.objects.select_related("village", "industry", "project")
    return scoped(qs, user, Perm.VIEW_PROJECTS, "village")


def access_enterprise(user, public_id):
    from zhenwu.projects.models import Enterprise

    try:
        return visible_enterprises(user).get(public_id=public_id)
    except (Enterprise.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound from None


def visible_industries(user):
    """Industries of an area in the user's scope or above it: a village cadre sees the
    township's featured industries (with only their own village's enterprises)."""
    from django.db.models import Q

    from zhenwu.accounts.policy import scope_paths
    from zhenwu.projects.models import Industry

    paths = scope_paths(user, Perm.VIEW_PROJECTS)
    if not paths:
        return Industry.objects.none()
    condition = Q()
    for path in paths:
        ancestors = [path[: i + 1] for i, char in enumerate(path) if char == "/"]
        condition |= Q(area__path__startswith=path) | Q(area__path__in=ancestors)
    return Industry.objects.filter(condition).select_related("area")

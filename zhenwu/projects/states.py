"""项目生命周期: the transition table of a project and the permission each step needs.

proposed (申报) → in_library (入库) → approved (批复) → in_progress (实施中) → completed (完工)
→ accepted (验收) → assets_registered (资产登记). Strictly forward, one step at a time.

入库, 批复 and 验收 are approvals: they need ``projects.approve`` and maker ≠ checker (the
approver is neither the project's creator nor whoever made the previous step). The other
steps need ``projects.edit``."""

from zhenwu.accounts.roles import Perm
from zhenwu.core.errors import DomainError
from zhenwu.projects.choices import ProjectStatus

S = ProjectStatus

PROJECT_TRANSITIONS: dict[str, str | None] = {
    S.PROPOSED: S.IN_LIBRARY,
    S.IN_LIBRARY: S.APPROVED,
    S.APPROVED: S.IN_PROGRESS,
    S.IN_PROGRESS: S.COMPLETED,
    S.COMPLETED: S.ACCEPTED,
    S.ACCEPTED: S.ASSETS_REGISTERED,
    S.ASSETS_REGISTERED: None,
}

APPROVAL_STEPS = frozenset({S.IN_LIBRARY, S.APPROVED, S.ACCEPTED})

# The date field an arrival in a status sets (实际开工 / 实际完工 / 验收日期).
DATE_FIELDS = {
    S.IN_PROGRESS: "started_on",
    S.COMPLETED: "completed_on",
    S.ACCEPTED: "accepted_on",
}

# Statuses in which money may be paid out (after 批复, before 资产登记).
FUNDED_STATUSES = frozenset({S.APPROVED, S.IN_PROGRESS, S.COMPLETED, S.ACCEPTED})

ORDER = list(PROJECT_TRANSITIONS)


def next_status(current: str) -> str | None:
    return PROJECT_TRANSITIONS.get(current)


def step_permission(target: str) -> str:
    return Perm.APPROVE_PROJECTS if target in APPROVAL_STEPS else Perm.EDIT_PROJECTS


def check_project_transition(current: str, target: str) -> None:
    """DomainError("illegal_transition") unless ``target`` is the next step of ``current``."""
    if target not in ProjectStatus.values or PROJECT_TRANSITIONS.get(current) != target:
        raise DomainError("illegal_transition")


def reached(current: str, status: str) -> bool:
    """Has a project in ``current`` passed through ``status``?"""
    return ORDER.index(current) >= ORDER.index(status)

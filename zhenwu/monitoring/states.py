"""Transition tables. Only actions assign ``status``, and only through these tables.

Identification and elimination share one review chain (DOMAIN.md §4-5):
draft → home_verified → village_reviewed → notice_posted → township_reviewed → approved,
with "return one step" and "reject" (both with a reason) at the review steps."""

from zhenwu.accounts.roles import Perm
from zhenwu.core.errors import DomainError
from zhenwu.monitoring.choices import CaseStatus, ClueStatus, ProblemStatus

CASE_CHAIN = [
    CaseStatus.DRAFT,
    CaseStatus.HOME_VERIFIED,
    CaseStatus.VILLAGE_REVIEWED,
    CaseStatus.NOTICE_POSTED,
    CaseStatus.TOWNSHIP_REVIEWED,
    CaseStatus.APPROVED,
]

# The permission needed to move a case INTO each status (or to return/reject it from the
# status before): village steps by cadres, review by the township, approval by the district.
STEP_PERMISSION = {
    CaseStatus.HOME_VERIFIED: Perm.CASE_VILLAGE_STEPS,
    CaseStatus.VILLAGE_REVIEWED: Perm.CASE_VILLAGE_STEPS,
    CaseStatus.NOTICE_POSTED: Perm.CASE_VILLAGE_STEPS,
    CaseStatus.TOWNSHIP_REVIEWED: Perm.CASE_TOWNSHIP_REVIEW,
    CaseStatus.APPROVED: Perm.CASE_DISTRICT_APPROVAL,
}

# A reviewer can send the case back one step from these statuses.
RETURNABLE = {
    CaseStatus.HOME_VERIFIED,
    CaseStatus.VILLAGE_REVIEWED,
    CaseStatus.NOTICE_POSTED,
    CaseStatus.TOWNSHIP_REVIEWED,
}

CLUE_TRANSITIONS = {
    ClueStatus.NEW: {ClueStatus.VERIFYING, ClueStatus.DISMISSED, ClueStatus.CASE_OPENED},
    ClueStatus.VERIFYING: {ClueStatus.DISMISSED, ClueStatus.CASE_OPENED},
    ClueStatus.DISMISSED: set(),
    ClueStatus.CASE_OPENED: set(),
}

PROBLEM_TRANSITIONS = {
    ProblemStatus.OPEN: {ProblemStatus.IN_PROGRESS, ProblemStatus.FIXED},
    ProblemStatus.IN_PROGRESS: {ProblemStatus.FIXED},
    ProblemStatus.FIXED: {ProblemStatus.VERIFIED, ProblemStatus.IN_PROGRESS},
    ProblemStatus.VERIFIED: set(),
}


def next_case_status(status: str) -> str:
    index = CASE_CHAIN.index(status)  # ValueError for closed statuses is a programming error
    if index == len(CASE_CHAIN) - 1:
        raise DomainError("illegal_transition")
    return CASE_CHAIN[index + 1]


def previous_case_status(status: str) -> str:
    if status not in RETURNABLE:
        raise DomainError("illegal_transition")
    return CASE_CHAIN[CASE_CHAIN.index(status) - 1]


def check_transition(table: dict, current: str, target: str) -> None:
    if target not in table.get(current, set()):
        raise DomainError("illegal_transition")

"""Transition tables of the assistance ledgers. Only actions assign ``status``, and only
through these tables.

Payment batches (发放批次): draft → approved → exported → paid. An exported batch may be
exported again (a lost file, a bank asking for a new one); every export is audited."""

from zhenwu.assistance.choices import BatchStatus
from zhenwu.core.errors import DomainError

BATCH_TRANSITIONS: dict[str, set[str]] = {
    BatchStatus.DRAFT: {BatchStatus.APPROVED},
    BatchStatus.APPROVED: {BatchStatus.EXPORTED},
    BatchStatus.EXPORTED: {BatchStatus.EXPORTED, BatchStatus.PAID},
    BatchStatus.PAID: set(),
}


def check_batch_transition(current: str, target: str) -> None:
    """DomainError("illegal_transition") unless ``current → target`` is in the table."""
    if target not in BATCH_TRANSITIONS.get(current, set()):
        raise DomainError("illegal_transition")


def can_move_batch(current: str, target: str) -> bool:
    return target in BATCH_TRANSITIONS.get(current, set())

"""The editable parts (slots) of written reports and their placeholders.

A ``Slot`` is one heading or paragraph of a report whose wording staff may change: its
default text (used until someone saves a revision), the placeholders it may use and the
kind of block it becomes. Reports register their slots here by report name."""

from dataclasses import dataclass

TITLE = "title"


@dataclass(frozen=True)
class Slot:
    key: str
    kind: str  # title, h1, h2 or p
    title: str  # shown in the editor (Chinese)
    names: tuple[str, ...]
    default: str
    help: str = ""


@dataclass(frozen=True)
class SlotSet:
    report: str
    title: str
    slots: tuple[Slot, ...]
    labels: dict  # placeholder → its meaning (Chinese)

    def get(self, key: str) -> Slot | None:
        return next((slot for slot in self.slots if slot.key == key), None)


_REGISTRY: dict[str, SlotSet] = {}


def register(slot_set: SlotSet) -> SlotSet:
    _REGISTRY[slot_set.report] = slot_set
    return slot_set


def slot_set(report: str) -> SlotSet | None:
    if not _REGISTRY:
        _load()
    return _REGISTRY.get(report)


def slot_sets() -> list[SlotSet]:
    if not _REGISTRY:
        _load()
    return list(_REGISTRY.values())


def _load() -> None:
    from zhenwu.reports import halfyear_slots  # noqa: F401  (registers itself)

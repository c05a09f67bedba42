"""Reading the narrative templates: which text a report uses, and each slot's history."""

from dataclasses import dataclass

from zhenwu.areas.models import Area
from zhenwu.reports.models import NarrativeTemplate
from zhenwu.reports.slots import Slot, SlotSet


@dataclass(frozen=True)
class CurrentText:
    """The text a slot uses for an area: ``revision`` None means the code's default."""

    slot: Slot
    text: str
    revision: NarrativeTemplate | None

    @property
    def is_default(self) -> bool:
        return self.revision is None


def _ancestor_paths(area: Area) -> list[str]:
    parts = [part for part in area.path.split("/") if part]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


def current_texts(slot_set: SlotSet, area: Area) -> dict[str, CurrentText]:
    """Per slot: the highest revision saved for the nearest area of ``area``'s ancestry
    (the township's own before its district's), else the default text."""
    rows = (
        NarrativeTemplate.objects.filter(
            report=slot_set.report, area__path__in=_ancestor_paths(area)
        )
        .select_related("area", "created_by")
        .order_by()
    )
    best: dict[str, NarrativeTemplate] = {}
    for row in rows:
        held = best.get(row.slot)
        if held is None or (len(row.area.path), row.revision) > (
            len(held.area.path),
            held.revision,
        ):
            best[row.slot] = row
    result = {}
    for slot in slot_set.slots:
        row = best.get(slot.key)
        result[slot.key] = CurrentText(slot, row.text if row else slot.default, row)
    return result


def latest_revision(report: str, slot: str, area: Area) -> int:
    """The highest revision saved for exactly this area (0 when none)."""
    row = (
        NarrativeTemplate.objects.filter(report=report, slot=slot, area=area)
        .order_by("-revision")
        .values_list("revision", flat=True)
        .first()
    )
    return row or 0


def history(report: str, slot: str, area: Area) -> list[NarrativeTemplate]:
    """Every revision that applies to ``area`` (its own and its ancestors'), newest first."""
    return list(
        NarrativeTemplate.objects.filter(
            report=report, slot=slot, area__path__in=_ancestor_paths(area)
        )
        .select_related("area", "created_by")
        .order_by("-created_at", "-revision")
    )

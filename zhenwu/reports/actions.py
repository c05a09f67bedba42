"""Changing the narrative templates (叙述模板): save a new revision.

Only holders of ``reports.templates`` on the area may save (township and district
officers). A revision is checked before it is stored (every mistake named with its line),
never overwritten, and audited in the same transaction. Two people editing at once: the
form carries the revision it started from; the second save sees a newer one and is refused
with ``conflict`` (the unique revision number makes this hold under concurrency too)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area
from zhenwu.core import audit
from zhenwu.core.errors import DomainError, NotFound
from zhenwu.lib.document import narrative
from zhenwu.reports.models import NarrativeTemplate
from zhenwu.reports.selectors import current_texts, latest_revision
from zhenwu.reports.slots import slot_set

MAX_LENGTH = 5000


def save_template(
    actor,
    *,
    report: str,
    slot: str,
    area: Area,
    text: str,
    base_revision: int,
    note: str = "",
) -> NarrativeTemplate:
    require_perm(actor, Perm.EDIT_REPORT_TEMPLATES)
    require_area(actor, area, Perm.EDIT_REPORT_TEMPLATES)
    slots = slot_set(report)
    definition = slots.get(slot) if slots else None
    if definition is None:
        raise NotFound()
    text = text.replace("\r\n", "\n").strip()
    errors = narrative.check(text, definition.names) if text else [_("模板内容不能为空。")]
    if len(text) > MAX_LENGTH:
        errors.append(_("模板过长（最多%(max)s字）。") % {"max": MAX_LENGTH})
    if errors:
        raise DomainError("template_invalid", errors="；".join(errors))
    if current_texts(slots, area)[slot].text == text:
        raise DomainError("template_unchanged")
    try:
        with transaction.atomic():
            latest = latest_revision(report, slot, area)
            if latest != base_revision:
                raise DomainError("conflict")
            row = NarrativeTemplate.objects.create(
                report=report,
                slot=slot,
                area=area,
                revision=latest + 1,
                text=text,
                note=note.strip()[:200],
                created_by=actor,
                updated_by=actor,
            )
            audit.record(
                "reports.template_saved",
                actor=actor,
                obj=row,
                data={
                    "report": report,
                    "slot": slot,
                    "area": area.code,
                    "revision": row.revision,
                },
            )
    except IntegrityError:
        raise DomainError("conflict") from None
    return row

"""Change history (变更记录) of households and members, read from the audit log.

The audit rows already hold masked values only; the history still shows just which fields
changed, so that it reveals nothing the page itself would omit for the reader.
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from zhenwu.core.models import AuditEvent
from zhenwu.lib.masking import mask_bank_account, mask_phone
from zhenwu.registry.choices import ExpenseKind, RiskType
from zhenwu.registry.models import Household, Person

HISTORY_LIMIT = 50
OBJECT_TYPES = ("registry.household", "registry.person")
# Reads are audited too, but they are not changes.
READ_EVENTS = (
    "registry.household_viewed",
    "registry.person_viewed",
    "registry.value_revealed",
    "registry.search",
)
# Income and expense events, and changes of these fields, only for readers of sensitive data.
SENSITIVE_EVENTS = ("registry.income_recorded", "registry.rigid_expense_recorded")
SENSITIVE_FIELDS = frozenset({"health", "disability", "bank_account", "labour_capacity"})
EVENT_LABELS = {
    "registry.household_created": _("建档"),
    "registry.household_updated": _("修改户信息"),
    "registry.household_deleted": _("删除农户"),
    "registry.person_created": _("新增成员"),
    "registry.person_updated": _("修改成员信息"),
    "registry.person_deleted": _("删除成员"),
    "registry.income_recorded": _("登记年度收入"),
    "registry.rigid_expense_recorded": _("登记刚性支出"),
    "registry.import": _("批量导入"),
}


def change_history(records: list, *, sensitive: bool, limit: int = HISTORY_LIMIT) -> list[dict]:
    """Newest first: time, user, event, subject (household number or member name), fields.
    Without ``sensitive`` the history leaves out what the page itself omits."""
    subjects = {str(record.public_id): record for record in records}
    hidden_events = READ_EVENTS if sensitive else READ_EVENTS + SENSITIVE_EVENTS
    rows = (
        AuditEvent.objects.filter(object_type__in=OBJECT_TYPES, object_id__in=list(subjects))
        .exclude(event__in=hidden_events)
        .order_by("-id")[:limit]
    )
    return [
        {
            "at": row.at,
            "username": row.username,
            "event": EVENT_LABELS.get(row.event, row.event),
            "subject": _subject_label(subjects.get(row.object_id)),
            "fields": _changed_fields(row, sensitive),
        }
        for row in rows
    ]


def _subject_label(record) -> str:
    if isinstance(record, Household):
        return record.number
    return getattr(record, "name", "")


def _changed_fields(row: AuditEvent, sensitive: bool) -> list[str]:
    data = row.data or {}
    if row.event == "registry.income_recorded":
        return [str(_("%(year)s 年度") % {"year": data.get("year", "")})]
    if row.event == "registry.rigid_expense_recorded":
        kind = dict(ExpenseKind.choices).get(data.get("kind"), data.get("kind", ""))
        return [f"{data.get('month', '')[:7]} {kind}"]
    model = Person if row.object_type == "registry.person" else Household
    names = [n for n in data.get("changes") or {} if sensitive or n not in SENSITIVE_FIELDS]
    return [field_label(model, name) for name in names]


def field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def display_value(record, name: str) -> str:
    """A stored value as the reader may see it: choices by label, personal values masked."""
    value = getattr(record, name, None)
    if name == "village":
        return record.village.name
    if name == "phone":
        return mask_phone(value) or "—"
    if name == "bank_account":
        return mask_bank_account(value) or "—"
    if name == "id_number":
        return record.id_masked
    if name == "risks":
        labels = dict(RiskType.choices)
        return "、".join(str(labels.get(code, code)) for code in value or []) or "—"
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    display = getattr(record, f"get_{name}_display", None)
    if display is not None and value:
        return str(display())
    return "—" if value in (None, "") else str(value)

"""Registry writes. One action = one transaction = one audit event (STYLE.md).

Views, the API, imports and the demo never ``save()`` a household or person directly."""

from django.db import IntegrityError, transaction
from django.db.models import F

from zhenwu.accounts.policy import require_area, require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import AreaLevel
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.lib.ids import IdNumberError
from zhenwu.registry.identity import apply_id_number, apply_name, id_hash_of
from zhenwu.registry.models import Household, IncomeRecord, Person, RigidExpense
from zhenwu.registry.present import (
    household_audit_view,
    person_audit_view,
    protected_changes,
    protected_values,
)

HOUSEHOLD_EDITABLE = {
    "number",
    "group_name",
    "natural_village",
    "address",
    "phone",
    "category",
    "lifted_year",
    "lifted_subtype",
    "monitoring_category",
    "monitoring_since",
    "status",
    "no_labour",
    "relocated",
    "relocation_site",
    "risks",
    "note",
}
PERSON_EDITABLE = {
    "relation",
    "ethnicity",
    "education",
    "school_status",
    "health",
    "disability",
    "labour_capacity",
    "work_place",
    "work_months",
    "medical_insurance",
    "critical_illness_insurance",
    "pension_insurance",
    "receives_dibao",
    "receives_tekun",
    "phone",
    "bank_account",
    "status",
}


def _require_village(area) -> None:
    if area is None or area.level != AreaLevel.VILLAGE:
        raise DomainError("area_level")


def _bump_version(model, obj, expected_version: int, actor) -> None:
    """Optimistic lock: the row must still carry the version the editor started from."""
    updated = model.objects.filter(pk=obj.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if updated != 1:
        raise DomainError("conflict")
    obj.version = expected_version + 1
    obj.updated_by = actor


def _set_fields(obj, changes: dict, allowed: set[str]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(obj, field, value)


@transaction.atomic
def do_create_household(*, actor, village, data: dict) -> Household:
    require_perm(actor, Perm.EDIT_REGISTRY)
    _require_village(village)
    require_area(actor, village, Perm.EDIT_REGISTRY)
    household = Household(village=village, created_by=actor, updated_by=actor)
    _set_fields(household, data, HOUSEHOLD_EDITABLE)
    household.full_clean()
    household.save()
    audit.record(
        "registry.household_created",
        actor=actor,
        obj=household,
        data={"after": household_audit_view(household)},
    )
    return household


@transaction.atomic
def do_update_household(
    household: Household, *, actor, expected_version: int, changes: dict, village=None
) -> Household:
    """Edit fields; ``village`` moves the household (the new village must be in scope too)."""
    require_perm(actor, Perm.EDIT_REGISTRY)
    require_area(actor, household.village, Perm.EDIT_REGISTRY)
    before = household_audit_view(household)
    if village is not None and village.pk != household.village_id:
        _require_village(village)
        require_area(actor, village, Perm.EDIT_REGISTRY)
        household.village = village
    _set_fields(household, changes, HOUSEHOLD_EDITABLE)
    household.full_clean(exclude=["number"] if "number" not in changes else None)
    _bump_version(Household, household, expected_version, actor)
    household.save()
    after = household_audit_view(household)
    audit.record(
        "registry.household_updated",
        actor=actor,
        obj=household,
        data={"changes": audit.diff(before, after)},
    )
    return household


def _check_unique_id(person: Person) -> None:
    clash = Person.objects.filter(id_hash=person.id_hash).exclude(pk=person.pk).exists()
    if clash:
        raise DomainError("duplicate_id_number")


@transaction.atomic
def do_add_person(household: Household, *, actor, name: str, id_number: str, data: dict) -> Person:
    require_perm(actor, Perm.EDIT_REGISTRY)
    require_area(actor, household.village, Perm.EDIT_REGISTRY)
    person = Person(household=household, created_by=actor, updated_by=actor)
    apply_name(person, name)
    try:
        apply_id_number(person, id_number)
    except IdNumberError as error:
        raise DomainError("invalid_id_number", reason=error.reason) from None
    _set_fields(person, data, PERSON_EDITABLE)
    _check_unique_id(person)
    person.full_clean(exclude=["id_hash", "name_pinyin", "name_initials"])
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise DomainError("duplicate_id_number") from None
    audit.record(
        "registry.person_created",
        actor=actor,
        obj=person,
        data={"after": person_audit_view(person)},
    )
    return person


@transaction.atomic
def do_update_person(
    person: Person,
    *,
    actor,
    expected_version: int,
    changes: dict,
    name: str | None = None,
    id_number: str | None = None,
) -> Person:
    require_perm(actor, Perm.EDIT_REGISTRY)
    require_area(actor, person.household.village, Perm.EDIT_REGISTRY)
    before, before_protected = person_audit_view(person), protected_values(person)
    if name is not None and name != person.name:
        apply_name(person, name)
    if id_number is not None and id_hash_of(id_number) != person.id_hash:
        try:
            apply_id_number(person, id_number)
        except IdNumberError as error:
            raise DomainError("invalid_id_number", reason=error.reason) from None
        _check_unique_id(person)
    _set_fields(person, changes, PERSON_EDITABLE)
    person.full_clean(exclude=["id_hash", "name_pinyin", "name_initials"])
    _bump_version(Person, person, expected_version, actor)
    person.save()
    changes_logged = audit.diff(before, person_audit_view(person))
    changes_logged.update(protected_changes(before_protected, protected_values(person)))
    audit.record(
        "registry.person_updated", actor=actor, obj=person, data={"changes": changes_logged}
    )
    return person


@transaction.atomic
def do_record_income(
    household: Household, *, actor, year: int, components: dict, member_count: int | None = None
) -> IncomeRecord:
    """Create or replace the household's income of ``year`` (annual components in yuan)."""
    require_perm(actor, Perm.EDIT_REGISTRY)
    require_area(actor, household.village, Perm.EDIT_REGISTRY)
    if member_count is None:
        member_count = household.members.filter(status="active").count() or 1
    record, created = IncomeRecord.objects.select_for_update().get_or_create(
        household=household,
        year=year,
        defaults={"member_count": member_count, "created_by": actor, **components},
    )
    if not created:
        for field, value in components.items():
            setattr(record, field, value)
        record.member_count = member_count
        record.version += 1
    record.updated_by = actor
    record.full_clean(exclude=["household", "net_income", "per_capita_net_income"])
    record.save()
    audit.record(
        "registry.income_recorded",
        actor=actor,
        obj=household,
        data={"year": year, "created": created},
    )
    return record


@transaction.atomic
def do_record_rigid_expense(
    household: Household,
    *,
    actor,
    month,
    kind: str,
    amount,
    person: Person | None = None,
    note: str = "",
) -> RigidExpense:
    require_perm(actor, Perm.EDIT_REGISTRY)
    require_area(actor, household.village, Perm.EDIT_REGISTRY)
    if person is not None and person.household_id != household.pk:
        raise DomainError("not_found")
    expense = RigidExpense(
        household=household,
        person=person,
        month=month.replace(day=1),
        kind=kind,
        amount=amount,
        note=note,
        created_by=actor,
        updated_by=actor,
    )
    expense.full_clean()
    expense.save()
    audit.record(
        "registry.rigid_expense_recorded",
        actor=actor,
        obj=household,
        data={"month": str(expense.month), "kind": kind},
    )
    return expense


REVEALABLE = {"id_number", "phone", "bank_account"}


@transaction.atomic
def do_reveal(person: Person, *, actor, field: str, reason: str) -> str:
    """Return one full value after a typed reason; audited (SECURITY.md 10)."""
    require_perm(actor, Perm.REVEAL_IDENTITY)
    require_area(actor, person.household.village, Perm.REVEAL_IDENTITY)
    if field not in REVEALABLE:
        raise DomainError("permission_denied")
    if field == "bank_account":
        require_perm(actor, Perm.VIEW_BANK)
    if len((reason or "").strip()) < 4:
        raise DomainError("reason_required")
    audit.record(
        "registry.value_revealed",
        actor=actor,
        obj=person,
        data={"field": field, "reason": reason.strip()[:200]},
    )
    return getattr(person, field) or ""


# Fields that only a monitoring decision (县级审定 of an identification or elimination case)
# may set; the general household edit cannot touch risk_status / risk_eliminated_on.
MONITORING_DECISION_FIELDS = {
    "category",
    "monitoring_category",
    "monitoring_since",
    "risk_status",
    "risk_eliminated_on",
    "risks",
}


@transaction.atomic
def do_apply_monitoring_decision(
    household: Household, *, actor, expected_version: int, changes: dict, case_id: str
) -> Household:
    """Record on the household the outcome of an approved monitoring case (called by
    ``monitoring.actions.cases`` inside its own transaction; audited here as well)."""
    require_perm(actor, Perm.CASE_DISTRICT_APPROVAL)
    require_area(actor, household.village, Perm.CASE_DISTRICT_APPROVAL)
    before = _decision_view(household)
    _set_fields(household, changes, MONITORING_DECISION_FIELDS)
    household.full_clean(exclude=["number"])
    _bump_version(Household, household, expected_version, actor)
    household.save()
    audit.record(
        "registry.household_monitoring_decided",
        actor=actor,
        obj=household,
        data={"case": case_id, "changes": audit.diff(before, _decision_view(household))},
    )
    return household


def _decision_view(household: Household) -> dict:
    view = household_audit_view(household)
    view.update(risk_status=household.risk_status, risk_eliminated_on=household.risk_eliminated_on)
    return view

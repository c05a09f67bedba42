"""Masked views of records, for audit before/after and for outputs.

Sensitive values never appear in full here: ID and phone masked, health and bank replaced
by a marker that only says whether the value changed."""

from zhenwu.lib.masking import mask_phone

HIDDEN = "[受保护]"

HOUSEHOLD_FIELDS = [
    "number",
    "group_name",
    "natural_village",
    "address",
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
]
PERSON_FIELDS = [
    "name",
    "sex",
    "birth_date",
    "relation",
    "ethnicity",
    "education",
    "school_status",
    "labour_capacity",
    "work_place",
    "work_months",
    "medical_insurance",
    "critical_illness_insurance",
    "pension_insurance",
    "receives_dibao",
    "receives_tekun",
    "status",
]
PROTECTED_PERSON_FIELDS = ["health", "disability", "bank_account"]


def household_audit_view(household) -> dict:
    view = {f: getattr(household, f) for f in HOUSEHOLD_FIELDS}
    view["village"] = household.village.code if household.village_id else None
    view["phone"] = mask_phone(household.phone)
    return view


def person_audit_view(person) -> dict:
    view = {f: getattr(person, f) for f in PERSON_FIELDS}
    view["id_number"] = person.id_masked
    view["phone"] = mask_phone(person.phone)
    view["household"] = str(person.household.public_id) if person.household_id else None
    return view


def protected_values(person) -> dict:
    """Raw protected values, only to compare before/after; never stored or returned."""
    return {f: getattr(person, f) for f in PROTECTED_PERSON_FIELDS}


def protected_changes(before: dict, after: dict) -> dict:
    """{field: [HIDDEN, HIDDEN]} for each protected field that changed (value not logged)."""
    return {f: [HIDDEN, HIDDEN] for f in PROTECTED_PERSON_FIELDS if before[f] != after[f]}

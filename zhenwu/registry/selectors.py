"""Registry reads, always through the scoping policy (accounts.policy). Fails closed."""

import re

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet

from zhenwu.accounts.policy import scoped
from zhenwu.accounts.roles import Perm
from zhenwu.core import audit
from zhenwu.core.errors import NotFound
from zhenwu.lib.ids import normalize_id_number
from zhenwu.lib.text import normalize_cell
from zhenwu.registry.identity import id_hash_of
from zhenwu.registry.models import Household, Person

_LAST4 = re.compile(r"^\d{3}[\dX]$")
_ID18 = re.compile(r"^\d{17}[\dX]$")
_LATIN = re.compile(r"^[a-z]+$")

# Allow-list of filters the UI and API accept (SECURITY.md 16).
HOUSEHOLD_FILTERS = {
    "village": "village__code",
    "category": "category",
    "status": "status",
    "monitoring_category": "monitoring_category",
}
# Filters a figure's link carries (reports.dashboard, monitoring.links): ``area`` (a code:
# villages under it; unknown → no rows), ``risk`` (one 风险类型 the household carries) and
# ``monitored`` (any 监测对象类别).
HOUSEHOLD_FIGURE_FILTERS = ("area", "risk", "monitored")


def visible_households(user, perm: str = Perm.VIEW_REGISTRY) -> QuerySet[Household]:
    return scoped(Household.objects.select_related("village"), user, perm, "village")


def visible_persons(user, perm: str = Perm.VIEW_REGISTRY) -> QuerySet[Person]:
    return scoped(
        Person.objects.select_related("household", "household__village"),
        user,
        perm,
        "household__village",
    )


def access_household(user, public_id, perm: str = Perm.VIEW_REGISTRY) -> Household:
    try:
        return visible_households(user, perm).get(public_id=public_id)
    except (Household.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def access_person(user, public_id, perm: str = Perm.VIEW_REGISTRY) -> Person:
    try:
        return visible_persons(user, perm).get(public_id=public_id)
    except (Person.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def person_match(query: str) -> Q | None:
    """How a search box term finds a member: full ID number, last 4 ID digits, pinyin
    (full or initials) or part of the Chinese name."""
    term = normalize_cell(query)
    if not term:
        return None
    upper = normalize_id_number(term)
    if _ID18.match(upper):
        return Q(id_hash=id_hash_of(upper) or "-")
    if _LAST4.match(upper):
        return Q(id_last4=upper)
    lower = term.lower().replace(" ", "")
    if _LATIN.match(lower):
        return Q(name_initials__startswith=lower) | Q(name_pinyin__startswith=lower)
    return Q(name__contains=term)


def filter_households(
    qs: QuerySet[Household], *, query: str = "", filters: dict | None = None
) -> QuerySet[Household]:
    filters = filters or {}
    for key, value in filters.items():
        if value and key in HOUSEHOLD_FILTERS:
            qs = qs.filter(**{HOUSEHOLD_FILTERS[key]: value})
    if filters.get("area"):
        from zhenwu.areas.selectors import current

        area = current().filter(code=filters["area"]).first()
        qs = qs.filter(village__path__startswith=area.path) if area else qs.none()
    if filters.get("monitored"):
        from zhenwu.registry.choices import MonitoringCategory

        qs = qs.filter(monitoring_category__in=MonitoringCategory.values)
    if filters.get("risk"):
        qs = with_risk(qs, filters["risk"])
    match = person_match(query)
    if match is not None:
        members = Person.objects.filter(match, household=OuterRef("pk"))
        qs = qs.filter(Exists(members) | Q(number=normalize_cell(query)))
    return qs


def with_risk(qs: QuerySet[Household], risk: str) -> QuerySet[Household]:
    """Households whose ``risks`` list holds ``risk``: JSON containment where the database
    has it (PostgreSQL), else read from the rows (SQLite, the test database)."""
    from django.db import connection

    if connection.features.supports_json_field_contains:
        return qs.filter(risks__contains=[risk])
    keep = [pk for pk, risks in qs.values_list("pk", "risks") if risk in (risks or [])]
    return qs.filter(pk__in=keep)


def search_households(
    user, *, query: str = "", filters: dict | None = None, audit_search: bool = True
) -> QuerySet[Household]:
    """Scoped search; every search with a term or filter is audited with its count."""
    allowed = (*HOUSEHOLD_FILTERS, *HOUSEHOLD_FIGURE_FILTERS)
    filters = {k: v for k, v in (filters or {}).items() if v and k in allowed}
    qs = filter_households(visible_households(user), query=query, filters=filters)
    if audit_search and (query or filters):
        audit.record(
            "registry.search",
            actor=user,
            object_type="registry.household",
            data={"query_kind": query_kind(query), "filters": filters, "count": qs.count()},
        )
    return qs


def search_persons(user, *, query: str = "", household=None) -> QuerySet[Person]:
    """Scoped member search (optionally within one household, by public id); audited."""
    qs = visible_persons(user)
    filters = {}
    if household:
        qs = qs.filter(household__public_id=household)
        filters["household"] = str(household)
    match = person_match(query)
    if match is not None:
        qs = qs.filter(match)
    if query or filters:
        audit.record(
            "registry.search",
            actor=user,
            object_type="registry.person",
            data={"query_kind": query_kind(query), "filters": filters, "count": qs.count()},
        )
    return qs


def query_kind(query: str) -> str:
    """The audit row keeps the kind of term, not a typed ID number."""
    term = normalize_id_number(query or "")
    if not term:
        return ""
    if _ID18.match(term):
        return "id_number"
    return "last4:" + term if _LAST4.match(term) else "text:" + normalize_cell(query)[:30]

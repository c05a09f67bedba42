"""农户档案 REST endpoints: households and their members, at /api/v1/.

Thin, like the views: validate with ``schemas``, read through ``selectors`` (area scope of
the caller, 404 for missing and out of scope alike), write through ``actions`` (permission,
area, optimistic lock, audit). Detail reads and searches are audited before the answer
leaves, so a read that cannot be audited fails.
"""

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from zhenwu.accounts.policy import area_in_scope
from zhenwu.api.auth import request_user
from zhenwu.api.errors import validation_failed
from zhenwu.api.pagination import keyset_page
from zhenwu.areas.selectors import current
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.registry.actions import (
    do_add_person,
    do_create_household,
    do_update_household,
    do_update_person,
)
from zhenwu.registry.models import Person
from zhenwu.registry.schemas import (
    PROTECTED_INPUT,
    FieldAccess,
    HouseholdCreate,
    HouseholdListQuery,
    HouseholdOut,
    HouseholdPage,
    HouseholdPatch,
    PersonCreate,
    PersonListQuery,
    PersonOut,
    PersonPage,
    PersonPatch,
    household_out,
    household_summary_out,
    person_out,
)
from zhenwu.registry.selectors import (
    HOUSEHOLD_FILTERS,
    access_household,
    access_person,
    search_households,
    search_persons,
)

router = Router(tags=["农户档案"])

UNKNOWN_AREA = _("区划代码不存在。")


def _village(code: str):
    """An area by code; the actions then check level and scope (403 out_of_scope)."""
    area = current().filter(code=code).first()
    if area is None:
        raise validation_failed("village", UNKNOWN_AREA, "unknown_area")
    return area


def _detail(user, household) -> dict:
    members = Prefetch("members", queryset=Person.objects.order_by("id"))
    prefetch_related_objects([household], members, "incomes")
    return household_out(household, FieldAccess.of(user, household.village))


def _require_field_perms(user, village, fields) -> None:
    """Writing health, disability or a bank account needs the right to read it there."""
    for field in fields:
        perm = PROTECTED_INPUT.get(field)
        if perm and not area_in_scope(user, village, perm):
            raise DomainError("permission_denied")


class _AccessByVillage:
    """FieldAccess per village, computed once per page."""

    def __init__(self, user):
        self.user = user
        self.cache = {}

    def __call__(self, village) -> FieldAccess:
        if village.pk not in self.cache:
            self.cache[village.pk] = FieldAccess.of(self.user, village)
        return self.cache[village.pk]


@router.get("/households", response=HouseholdPage, exclude_unset=True, summary="农户列表与搜索")
def list_households(request, params: Query[HouseholdListQuery]):
    """Households in the caller's scope, in id order, one page at a time (``next_cursor``).
    A search term or filter is audited (``registry.search``)."""
    user = request_user(request)
    filters = {
        key: getattr(value, "value", value)
        for key, value in params.model_dump(include=set(HOUSEHOLD_FILTERS)).items()
        if value
    }
    qs = search_households(user, query=params.q or "", filters=filters)
    rows, next_cursor = keyset_page(
        qs.prefetch_related("members"), cursor=params.cursor, limit=params.limit
    )
    return {"items": [household_summary_out(h) for h in rows], "next_cursor": next_cursor}


@router.get(
    "/households/{public_id}", response=HouseholdOut, exclude_unset=True, summary="农户详情"
)
def get_household(request, public_id: str):
    """One household with its members (and incomes for callers who may see them)."""
    user = request_user(request)
    household = access_household(user, public_id)
    audit.record("registry.household_viewed", actor=user, obj=household)
    return _detail(user, household)


@router.post("/households", response={201: HouseholdOut}, exclude_unset=True, summary="新增农户")
def create_household(request, payload: HouseholdCreate):
    user = request_user(request)
    village = _village(payload.village)
    household = do_create_household(
        actor=user, village=village, data=payload.changes(exclude={"village"})
    )
    return Status(201, _detail(user, household))


@router.patch(
    "/households/{public_id}", response=HouseholdOut, exclude_unset=True, summary="修改农户"
)
def update_household(request, public_id: str, payload: HouseholdPatch):
    """Only the fields sent change. ``version`` must be the one read; 409 otherwise."""
    user = request_user(request)
    household = access_household(user, public_id)
    village = _village(payload.village) if payload.village else None
    household = do_update_household(
        household,
        actor=user,
        expected_version=payload.version,
        changes=payload.changes(exclude={"version", "village"}),
        village=village,
    )
    return _detail(user, household)


@router.get("/persons", response=PersonPage, exclude_unset=True, summary="成员列表与搜索")
def list_persons(request, params: Query[PersonListQuery]):
    """Members in the caller's scope; a search term or household filter is audited."""
    user = request_user(request)
    rows, next_cursor = keyset_page(
        search_persons(user, query=params.q or "", household=params.household),
        cursor=params.cursor,
        limit=params.limit,
    )
    access = _AccessByVillage(user)
    items = [person_out(p, access(p.household.village)) for p in rows]
    return {"items": items, "next_cursor": next_cursor}


@router.get("/persons/{public_id}", response=PersonOut, exclude_unset=True, summary="成员详情")
def get_person(request, public_id: str):
    user = request_user(request)
    person = access_person(user, public_id)
    audit.record("registry.person_viewed", actor=user, obj=person)
    return person_out(person, FieldAccess.of(user, person.household.village))


@router.post(
    "/households/{public_id}/persons",
    response={201: PersonOut},
    exclude_unset=True,
    summary="新增家庭成员",
)
def add_person(request, public_id: str, payload: PersonCreate):
    user = request_user(request)
    household = access_household(user, public_id)
    data = payload.changes(exclude={"name", "id_number"})
    _require_field_perms(user, household.village, data)
    person = do_add_person(
        household, actor=user, name=payload.name, id_number=payload.id_number, data=data
    )
    return Status(201, person_out(person, FieldAccess.of(user, household.village)))


@router.patch(
    "/persons/{public_id}", response=PersonOut, exclude_unset=True, summary="修改家庭成员"
)
def update_person(request, public_id: str, payload: PersonPatch):
    """Only the fields sent change. ``version`` must be the one read; 409 otherwise."""
    user = request_user(request)
    person = access_person(user, public_id)
    changes = payload.changes(exclude={"version", "name", "id_number"})
    _require_field_perms(user, person.household.village, changes)
    person = do_update_person(
        person,
        actor=user,
        expected_version=payload.version,
        changes=changes,
        name=payload.name,
        id_number=payload.id_number,
    )
    return person_out(person, FieldAccess.of(user, person.household.village))

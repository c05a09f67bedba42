"""THE scoping policy. Every selector and API endpoint that reads or writes area-bound data
goes through here. It fails closed: no membership, no rows; no permission, no rows.

A membership grants its role's permissions inside its area's subtree. Permissions are
checked per membership, so a user who is a township officer in 沙地镇 and nothing elsewhere
sees nothing elsewhere.
"""

from django.db.models import Q, QuerySet

from zhenwu.accounts.roles import ROLE_PERMISSIONS
from zhenwu.core.errors import DomainError

_CACHE_ATTR = "_zhenwu_memberships"


def memberships_of(user) -> list:
    """Memberships with their areas, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(user.memberships.select_related("area").order_by("id"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def permissions_of(user) -> frozenset[str]:
    perms: set[str] = set()
    for membership in memberships_of(user):
        perms |= ROLE_PERMISSIONS.get(membership.role, frozenset())
    return frozenset(perms)


def has_perm(user, perm: str) -> bool:
    return perm in permissions_of(user)


def require_perm(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise DomainError("permission_denied")


def scope_paths(user, perm: str) -> list[str]:
    """Area paths where ``user`` holds ``perm``, with nested paths collapsed."""
    paths = sorted(
        {
            m.area.path
            for m in memberships_of(user)
            if perm in ROLE_PERMISSIONS.get(m.role, frozenset())
        }
    )
    collapsed: list[str] = []
    for path in paths:
        if not any(path.startswith(kept) for kept in collapsed):
            collapsed.append(path)
    return collapsed


def scoped(qs: QuerySet, user, perm: str, area_field: str) -> QuerySet:
    """Filter ``qs`` to rows whose ``area_field`` (an Area FK path, e.g. "village" or
    "household__village") lies in the user's scope for ``perm``. Empty when none."""
    paths = scope_paths(user, perm)
    if not paths:
        return qs.none()
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{area_field}__path__startswith": path})
    return qs.filter(condition)


def area_in_scope(user, area, perm: str) -> bool:
    return area is not None and any(area.path.startswith(p) for p in scope_paths(user, perm))


def require_area(user, area, perm: str) -> None:
    """For writes: refuse to create or move a record into an area outside the scope."""
    if not area_in_scope(user, area, perm):
        raise DomainError("out_of_scope")


def role_label(user) -> str:
    """'village_cadre@360704101214,...' for audit rows."""
    return ",".join(f"{m.role}@{m.area.code}" for m in memberships_of(user))[:200]


def highest_area(user, perm: str):
    """The widest area where the user holds ``perm`` (for defaults such as list filters)."""
    candidates = [
        m.area for m in memberships_of(user) if perm in ROLE_PERMISSIONS.get(m.role, frozenset())
    ]
    return min(candidates, key=lambda a: a.path.count("/"), default=None)

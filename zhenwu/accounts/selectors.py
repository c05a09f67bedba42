"""Account reads for user management, scoped to the manager's subtree (SECURITY.md 2).

A manager sees a user only when every membership of that user lies inside the manager's
``accounts.manage_users`` scope, so a township officer never learns about district or
administrator accounts. Out of scope is the same ``NotFound`` as missing.
"""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from zhenwu.accounts.models import Membership, User
from zhenwu.accounts.policy import memberships_of, scope_paths
from zhenwu.accounts.roles import DELEGABLE_ROLES, ROLE_PERMISSIONS, ROLE_RANK, Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.areas.selectors import current
from zhenwu.core.errors import NotFound


def _paths_condition(paths: list[str], field: str) -> Q:
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def manageable_users(actor) -> QuerySet[User]:
    """Users all of whose memberships lie in the actor's subtree. Empty without the permission."""
    paths = scope_paths(actor, Perm.MANAGE_USERS)
    if not paths:
        return User.objects.none()
    inside = _paths_condition(paths, "area__path")
    memberships = Membership.objects.filter(user=OuterRef("pk"))
    return (
        User.objects.filter(Exists(memberships.filter(inside)))
        .exclude(Exists(memberships.exclude(inside)))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("area").order_by("area__path", "role"),
            )
        )
        .order_by("username")
    )


def access_managed_user(actor, pk) -> User:
    try:
        return manageable_users(actor).get(pk=int(pk))
    except (User.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def _delegating_memberships(actor) -> list:
    """The actor's memberships that allow granting roles (ranked roles with manage_users)."""
    return [
        m
        for m in memberships_of(actor)
        if m.role in ROLE_RANK and Perm.MANAGE_USERS in ROLE_PERMISSIONS.get(m.role, frozenset())
    ]


def grantable_roles(actor) -> list[str]:
    """Roles the actor may hand out somewhere, highest first (accounts.actions re-checks)."""
    ranks = [ROLE_RANK[m.role] for m in _delegating_memberships(actor)]
    if not ranks:
        return []
    top = max(ranks)
    roles = [role for role in DELEGABLE_ROLES if ROLE_RANK[role] <= top]
    return sorted(roles, key=lambda role: -ROLE_RANK[role])


def grantable_areas(actor) -> QuerySet[Area]:
    """Current areas (county down to village) inside the subtrees where the actor delegates."""
    paths = sorted({m.area.path for m in _delegating_memberships(actor)})
    if not paths:
        return Area.objects.none()
    return current(
        Area.objects.filter(_paths_condition(paths, "path")).filter(
            level__gte=AreaLevel.COUNTY, level__lte=AreaLevel.VILLAGE
        )
    ).order_by("path")

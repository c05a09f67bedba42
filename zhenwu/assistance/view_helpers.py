"""Small helpers shared by the assistance ledger views."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from zhenwu.accounts.policy import has_perm, scope_paths
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.areas.selectors import current
from zhenwu.core.errors import DomainError, NotFound


def _or_404(call):
    try:
        return call()
    except NotFound:
        raise Http404 from None


def _require(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied


def _refusal(request, error: DomainError) -> None:
    if error.code == "permission_denied":
        raise PermissionDenied
    messages.error(request, error.message)


def villages_of(user, perm: str = Perm.VIEW_ASSISTANCE):
    """Current villages in the user's scope, for filter choices."""
    paths = scope_paths(user, perm)
    if not paths:
        return Area.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return current(Area.objects.filter(condition, level=AreaLevel.VILLAGE)).order_by("code")

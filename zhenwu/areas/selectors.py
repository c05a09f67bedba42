"""Area queries. Area names and codes are not personal data; the tree is readable by any user,
but pickers offer only areas inside the user's scope (see accounts.policy)."""

import datetime

from django.db.models import Q, QuerySet

from zhenwu.areas.models import Area, AreaLevel


def current(qs: QuerySet[Area] | None = None, on: datetime.date | None = None) -> QuerySet[Area]:
    on = on or datetime.date.today()
    qs = Area.objects.all() if qs is None else qs
    return qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


def subtree(area: Area) -> QuerySet[Area]:
    return Area.objects.filter(path__startswith=area.path)


def villages_under(area: Area) -> QuerySet[Area]:
    return current(subtree(area).filter(level=AreaLevel.VILLAGE)).order_by("code")


def find_area(code_or_name: str) -> Area | None:
    """Look up an area by code, or by unique current name (CLI convenience)."""
    area = current().filter(code=code_or_name).first()
    if area:
        return area
    matches = list(current().filter(name=code_or_name)[:2])
    return matches[0] if len(matches) == 1 else None

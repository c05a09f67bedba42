"""驾驶舱 (dashboard): charts of one area and period, each with a plain table under it.

Thin: the figures come from ``reports.dashboard`` (scoped selectors). Without the dashboard
permission (auditor, no membership) → 403; an area outside the user's scope → 404; no
area given → the user's widest area. The chart data reaches the static script through
``json_script`` (CSP forbids inline scripts)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from zhenwu.accounts.policy import area_in_scope, highest_area
from zhenwu.areas.selectors import current
from zhenwu.registry.views_import import areas_for
from zhenwu.reports.dashboard import DASHBOARD_PERM, can_view, dashboard_data
from zhenwu.workplans.figures import safe_period

DEFAULT_PERIOD = "2023H1"


@login_required
def dashboard(request):
    user = request.user
    if not can_view(user):
        raise PermissionDenied
    area = _area(user, request.GET.get("area"))
    period = safe_period(request.GET.get("period"), DEFAULT_PERIOD)
    data = dashboard_data(user, area, period)
    context = {
        "data": data,
        "area": area,
        "period": period,
        "areas": areas_for(user, DASHBOARD_PERM),
        "parent": _parent(user, area),
    }
    return render(request, "reports/dashboard.html", context)


def _area(user, code):
    if not code:
        area = highest_area(user, DASHBOARD_PERM)
        if area is None:
            raise PermissionDenied
        return area
    area = current().filter(code=code).first()
    if area is None or not area_in_scope(user, area, DASHBOARD_PERM):
        raise Http404
    return area


def _parent(user, area):
    """The area one level up, if the user may see it (the "back" link of a drill-down)."""
    parent = area.parent
    if parent is not None and area_in_scope(user, parent, DASHBOARD_PERM):
        return parent
    return None

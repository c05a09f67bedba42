"""目标值设置: for holders of Perm.EDIT_PLANS, the targets of one indicator and period for an
area and each of its villages in one grid form (current targets prefilled; blank =
unchanged). All rows are validated first, then saved in one transaction through
``do_set_target`` (which checks scope and audits each row); any error saves nothing and
names the village. Each row carries the target's version (conflict-safe).

Thin: the area through ``selectors.access_indicator_area`` with EDIT_PLANS (outside → 404),
the rows through ``selectors.target_rows`` (the area and its children only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from zhenwu.accounts.policy import has_perm, highest_area
from zhenwu.accounts.roles import Perm
from zhenwu.core.errors import DomainError, NotFound
from zhenwu.registry.views_import import areas_for
from zhenwu.workplans import selectors
from zhenwu.workplans.actions.indicators import do_set_target
from zhenwu.workplans.forms_targets import DEFAULT_TARGET_PERIOD, TargetGridForm, TargetPickForm
from zhenwu.workplans.models import Indicator


class _RowFailed(Exception):
    def __init__(self, area, error: DomainError):
        super().__init__(error.code)
        self.area = area
        self.error = error


def _pick_form(user, source):
    """The picker, bound to the request's choices over the defaults (the widest area, the
    first indicator, the year): the board links here with only area and period."""
    initial = highest_area(user, Perm.EDIT_PLANS)
    indicators = list(Indicator.objects.order_by("code"))
    data = {
        "area": initial.code if initial else "",
        "indicator": indicators[0].code if indicators else "",
        "period": DEFAULT_TARGET_PERIOD,
    }
    data.update({key: source[key] for key in data if source.get(key)})
    return TargetPickForm(
        data,
        areas=areas_for(user, Perm.EDIT_PLANS),
        initial_area=initial,
        indicators=indicators,
    )


def _save(user, grid: TargetGridForm, period_code: str) -> int:
    """Every change or none: one transaction; the first failing row rolls all back."""
    with transaction.atomic():
        for area, value, version in grid.changes:
            try:
                do_set_target(
                    actor=user,
                    indicator=grid.indicator,
                    area=area,
                    period=period_code,
                    value=value,
                    expected_version=version,
                )
            except DomainError as error:
                raise _RowFailed(area, error) from None
    return len(grid.changes)


@login_required
def targets(request):
    user = request.user
    if not has_perm(user, Perm.EDIT_PLANS):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    pick = _pick_form(user, source)
    grid = None
    status = 200
    if pick.is_bound and pick.is_valid():
        indicator, period = pick.cleaned_data["indicator"], pick.cleaned_data["period"]
        try:
            area = selectors.access_indicator_area(
                user, pick.cleaned_data["area"].code, Perm.EDIT_PLANS
            )
        except NotFound:
            raise Http404 from None
        rows = selectors.target_rows(area, indicator, period.code)
        if request.method == "POST":
            grid = TargetGridForm(request.POST, indicator=indicator, rows=rows)
            if grid.is_valid():
                try:
                    saved = _save(user, grid, period.code)
                except _RowFailed as failed:
                    grid.add_error(
                        f"target_{failed.area.code}",
                        _("%(area)s：%(message)s")
                        % {"area": failed.area.name, "message": failed.error.message},
                    )
                else:
                    messages.success(request, _("已保存 %(count)s 个目标值。") % {"count": saved})
                    query = urlencode(
                        {"area": area.code, "indicator": indicator.code, "period": period.code}
                    )
                    return redirect(f"{reverse('workplans:indicator_targets')}?{query}")
            status = 400
        else:
            grid = TargetGridForm(indicator=indicator, rows=rows)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "workplans/indicators_targets.html",
        {"pick": pick, "grid": grid},
        status=status,
    )

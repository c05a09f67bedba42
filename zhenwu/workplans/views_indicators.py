"""指标看板 (target versus actual by village): pick an area and a period; a table of
indicators × the area and its villages with actual, target and status; the entry form for
cadres; the .xlsx export (audited).

Thin: areas through ``workplans.selectors`` (scoped; outside → 404), figures through
``workplans.figures``, writes through ``workplans.actions.indicators``."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhenwu.accounts.policy import has_perm, highest_area
from zhenwu.accounts.roles import Perm
from zhenwu.core.errors import DomainError, NotFound
from zhenwu.registry.views_import import XLSX_TYPE, areas_for
from zhenwu.workplans import selectors
from zhenwu.workplans.actions.indicators import do_record_measurement
from zhenwu.workplans.choices import IndicatorSource
from zhenwu.workplans.exports_indicators import board_filename, export_board
from zhenwu.workplans.figures import board_data
from zhenwu.workplans.forms_indicators import DEFAULT_PERIOD, BoardForm, MeasurementForm
from zhenwu.workplans.models import Indicator


def _entry_form(user, data=None, initial=None):
    if not has_perm(user, Perm.ENTER_MEASUREMENTS):
        return None
    indicators = list(Indicator.objects.filter(source=IndicatorSource.ENTERED))
    return MeasurementForm(
        data,
        areas=areas_for(user, Perm.ENTER_MEASUREMENTS),
        initial_area=highest_area(user, Perm.ENTER_MEASUREMENTS),
        indicators=indicators,
        initial=initial,
    )


@login_required
def board(request):
    if not has_perm(request.user, Perm.VIEW_PLANS):
        raise PermissionDenied
    initial = highest_area(request.user, Perm.VIEW_PLANS)
    data = request.GET if "area" in request.GET else None
    if data is None and initial is not None:
        data = {"area": initial.code, "period": DEFAULT_PERIOD}
    form = BoardForm(data, areas=areas_for(request.user, Perm.VIEW_PLANS), initial_area=initial)
    table = None
    export = request.GET.get("format") == "xlsx"
    if export and form.is_bound and not form.is_valid():
        if form.has_error("area"):
            raise Http404  # not an area of the user's scope: no file, fail closed
        return render(request, "workplans/indicators_board.html", {"form": form}, status=400)
    if form.is_bound and form.is_valid():
        area, period = form.cleaned_data["area"], form.cleaned_data["period"]
        try:
            area = selectors.access_indicator_area(request.user, area.code)
        except NotFound:
            raise Http404 from None
        table = board_data(area, period)
        if export:
            return _download(request.user, table)
    month = timezone.localdate().strftime("%Y-%m")
    entry = _entry_form(request.user, initial={"period": month})
    return render(
        request,
        "workplans/indicators_board.html",
        {
            "form": form,
            "table": table,
            "entry": entry,
            "can_set_targets": has_perm(request.user, Perm.EDIT_PLANS),
        },
    )


def _download(user, table) -> FileResponse:
    """指标完成情况 .xlsx of the board (area already scoped); audited (``workplans.exported``)."""
    content = export_board(user, table)
    name = board_filename(table, timezone.localdate())
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=name, content_type=XLSX_TYPE
    )


@login_required
@require_POST
def enter(request):
    form = _entry_form(request.user, request.POST)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        cleaned = form.cleaned_data
        try:
            do_record_measurement(
                actor=request.user,
                indicator=cleaned["indicator"],
                area=cleaned["area"],
                period=cleaned["period"].code,
                value=cleaned["value"],
                numerator=cleaned["numerator"],
                denominator=cleaned["denominator"],
                note=cleaned["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已保存。"))
            query = urlencode({"area": cleaned["area"].code, "period": cleaned["period"].code})
            return redirect(f"{reverse('workplans:indicator_board')}?{query}")
    return render(
        request,
        "workplans/indicators_enter.html",
        {"entry": form},
        status=400,
    )

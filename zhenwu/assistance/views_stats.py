"""帮扶数据统计 page: area and period pickers (areas in the user's scope), the figures by
village with totals, measures by category, and the .xlsx export of the tables.

Thin: figures through ``assistance.stats.assistance_figures_for`` (scoped), the export
through ``assistance.exports.export_figures`` (audited)."""

import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.policy import has_perm, highest_area
from zhenwu.accounts.roles import Perm
from zhenwu.assistance.exports import export_figures
from zhenwu.assistance.stats import assistance_figures_for
from zhenwu.core import audit
from zhenwu.core.errors import DomainError
from zhenwu.core.models import AuditOutcome
from zhenwu.lib.periods import PeriodError, parse_period
from zhenwu.registry.views_import import XLSX_TYPE, AreaChoiceForm, areas_for

DEFAULT_PERIOD = "2023H1"


class StatsForm(AreaChoiceForm):
    period = forms.CharField(
        label=_("统计期"),
        max_length=10,
        initial=DEFAULT_PERIOD,
        help_text=_("如 2023-06（月）、2023Q2（季度）、2023H1（半年）、2023（年）"),
    )

    def clean_period(self):
        try:
            return parse_period(self.cleaned_data["period"])
        except PeriodError:
            raise forms.ValidationError(
                _("统计期格式不正确，应为 2023-06、2023Q2、2023H1 或 2023。")
            ) from None


def _require_view(user) -> None:
    if not has_perm(user, Perm.VIEW_ASSISTANCE):
        audit.record(
            "assistance.stats_view",
            actor=user,
            outcome=AuditOutcome.DENIED,
            data={"perm": Perm.VIEW_ASSISTANCE},
        )
        raise PermissionDenied


@login_required
def stats(request):
    _require_view(request.user)
    areas = areas_for(request.user, Perm.VIEW_ASSISTANCE)
    initial = highest_area(request.user, Perm.VIEW_ASSISTANCE)
    data = request.GET if "area" in request.GET else None
    if data is None and initial is not None:
        data = {"area": initial.code, "period": DEFAULT_PERIOD}
    form = StatsForm(data, areas=areas, initial_area=initial)
    figures = None
    if form.is_bound and form.is_valid():
        area, period = form.cleaned_data["area"], form.cleaned_data["period"]
        try:
            if request.GET.get("format") == "xlsx":
                return _download(request.user, area, period)
            figures = assistance_figures_for(request.user, area, period)
        except DomainError:
            raise PermissionDenied from None
    return render(
        request,
        "assistance/stats_page.html",
        {"form": form, "figures": figures, "table": _table(figures) if figures else None},
    )


def _shown(value, kind: str) -> str:
    """Money with thousands separators and two places (5,120,000.00); counts as they are."""
    return f"{value:,.2f}" if kind == "money" else str(value)


def _table(figures: dict) -> dict:
    """The summary, the village rows and the total row as labelled display text."""
    summary = [
        {**item, "shown": _shown(item["value"], item["kind"])} for item in figures["summary"]
    ]

    def cells(values) -> list[dict]:
        return [
            {"label": item["label"], "shown": _shown(value, item["kind"])}
            for value, item in zip(values, summary, strict=True)
        ]

    active = [row for row in figures["villages"] if any(row["values"])]
    return {
        "summary": summary,
        "rows": [{"name": row["name"], "cells": cells(row["values"])} for row in active],
        "idle": len(figures["villages"]) - len(active),
        "total": cells([item["value"] for item in summary]),
        "measures": [
            m for m in figures["measures_by_category"] if m["planned"] or m["implemented"]
        ],
        "rates": "、".join(f"{rate.normalize():f}" for rate in figures["job_rates"]),
    }


def _download(user, area, period) -> FileResponse:
    figures, content = export_figures(user, area, period)
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"{figures['area']['name']}{figures['period']['label']}帮扶数据统计_{stamp}.xlsx"
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=name, content_type=XLSX_TYPE
    )

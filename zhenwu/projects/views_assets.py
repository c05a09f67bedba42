"""项目资产 pages: the asset ledger (filters by type, area and year; totals by type), one
asset with its yearly income records, the income form and the registration form of an
accepted project.

Thin: reads through ``projects.selectors`` (scoped; ``NotFound`` → 404), writes through
``projects.actions.assets``."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhenwu.accounts.policy import area_in_scope, has_perm, scope_paths
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import Area, AreaLevel
from zhenwu.areas.selectors import current
from zhenwu.core.errors import DomainError, NotFound
from zhenwu.projects import selectors
from zhenwu.projects.actions.assets import (
    REGISTERABLE,
    do_record_asset_income,
    do_register_asset,
)
from zhenwu.projects.choices import AssetType
from zhenwu.projects.forms_assets import AssetFilterForm, AssetForm, IncomeForm
from zhenwu.registry.selectors import visible_households

ZERO = Decimal("0")


def _or_404(call):
    try:
        return call()
    except NotFound:
        raise Http404 from None


def _require(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied


def scope_areas(user, perm: str):
    """Townships and villages in the user's scope (for the area filter)."""
    paths = scope_paths(user, perm)
    if not paths:
        return Area.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    levels = (AreaLevel.TOWNSHIP, AreaLevel.VILLAGE)
    return current(Area.objects.filter(condition, level__in=levels)).order_by("level", "code")


def totals_by_type(assets) -> list[dict]:
    """Count, value and recorded income per asset type (every type listed, even empty)."""
    rows = {
        row["asset_type"]: row
        for row in assets.order_by()
        .values("asset_type")
        .annotate(count=Count("id"), value=Sum("value"))
    }
    income = {
        row["asset_type"]: row["income"]
        for row in assets.order_by().values("asset_type").annotate(income=Sum("incomes__amount"))
    }
    totals = []
    for asset_type in AssetType:
        row = rows.get(asset_type.value, {})
        totals.append(
            {
                "type": asset_type,
                "label": asset_type.label,
                "count": row.get("count", 0),
                "value": row.get("value") or ZERO,
                "income": income.get(asset_type.value) or ZERO,
            }
        )
    return totals


def _filtered_assets(request):
    """The assets the user sees, filtered like the ledger page: (form, assets, filters)."""
    user = request.user
    form = AssetFilterForm(request.GET or None, areas=scope_areas(user, Perm.VIEW_PROJECTS))
    assets = selectors.visible_assets(user)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        if data.get("asset_type"):
            assets = assets.filter(asset_type=data["asset_type"])
            filters["asset_type"] = data["asset_type"]
        if data.get("area") is not None:
            assets = assets.filter(project__area__path__startswith=data["area"].path)
            filters["area"] = data["area"].code
        if data.get("year"):
            assets = assets.filter(registered_on__year=data["year"])
            filters["year"] = data["year"]
    assets = assets.annotate(income_total=Sum("incomes__amount")).order_by(
        "project__area__code", "-registered_on", "id"
    )
    return form, assets, filters


@login_required
def asset_list(request):
    _require(request.user, Perm.VIEW_PROJECTS)
    form, assets, _filters = _filtered_assets(request)
    totals = totals_by_type(assets)
    return render(
        request,
        "projects/assets_list.html",
        {
            "form": form,
            "assets": assets,
            "totals": totals,
            "grand": {
                "count": sum(t["count"] for t in totals),
                "value": sum((t["value"] for t in totals), ZERO),
                "income": sum((t["income"] for t in totals), ZERO),
            },
            "query": request.GET.urlencode(),
        },
    )


@login_required
def asset_export(request):
    """项目资产台账 .xlsx of the filtered ledger; audited (``projects.asset_export``)."""
    from django.http import HttpResponse

    from zhenwu.projects.exports import export_assets

    _require(request.user, Perm.VIEW_PROJECTS)
    _form, assets, filters = _filtered_assets(request)
    response = HttpResponse(
        export_assets(request.user, assets, filters),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="asset-ledger.xlsx"'
    return response


@login_required
def asset_detail(request, public_id):
    user = request.user
    asset = _or_404(lambda: selectors.access_asset(user, public_id))
    can_edit = area_in_scope(user, asset.project.area, Perm.EDIT_PROJECTS)
    return render(
        request,
        "projects/assets_detail.html",
        {
            "asset": asset,
            "incomes": asset.incomes.order_by("-year"),
            "can_edit": can_edit,
            "income_form": IncomeForm(initial={"year": timezone.localdate().year})
            if can_edit
            else None,
        },
    )


@login_required
@require_POST
def asset_income(request, public_id):
    user = request.user
    asset = _or_404(lambda: selectors.access_asset(user, public_id))
    form = IncomeForm(request.POST)
    if form.is_valid():
        try:
            do_record_asset_income(asset, actor=user, **form.cleaned_data)
            messages.success(request, _("资产收益已登记。"))
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("请检查收益信息。"))
    return redirect("projects:asset_detail", public_id=asset.public_id)


def _household(user, project, number: str):
    """The household with that number, if the user may see it; None for none given."""
    if not number:
        return None
    household = visible_households(user).filter(number=number.strip()).first()
    if household is None:
        raise DomainError("asset_household_outside_area")
    return household


@login_required
def asset_register(request, public_id):
    user = request.user
    _require(user, Perm.EDIT_PROJECTS)
    project = _or_404(lambda: selectors.access_project(user, public_id, Perm.EDIT_PROJECTS))
    form = AssetForm(request.POST or None, initial={"registered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            household = _household(user, project, data.pop("household_number"))
            asset = do_register_asset(project, actor=user, household=household, **data)
            messages.success(request, _("资产已登记。"))
            return redirect("projects:asset_detail", public_id=asset.public_id)
        except DomainError as error:
            messages.error(request, error.message)
    return render(
        request,
        "projects/assets_register.html",
        {
            "project": project,
            "form": form,
            "registerable": project.status in REGISTERABLE,
            "assets": project.assets.order_by("registered_on", "id"),
        },
    )

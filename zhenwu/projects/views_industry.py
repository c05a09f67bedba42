"""特色产业 page: the featured industries with their enterprises and cooperatives, jobs for
脱贫 people and linked households per industry and per village; forms to add an industry
or an enterprise, and to edit an enterprise (optimistic locking).

Thin: reads through ``projects.selectors`` (scoped; a village cadre sees only their own
village's enterprises), writes through ``projects.actions.industry``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhenwu.accounts.policy import area_in_scope, has_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import AreaLevel
from zhenwu.core.errors import DomainError, NotFound
from zhenwu.projects import selectors
from zhenwu.projects.actions.industry import (
    do_create_enterprise,
    do_create_industry,
    do_update_enterprise,
)
from zhenwu.projects.forms_industry import (
    EnterpriseEditForm,
    EnterpriseForm,
    IndustryForm,
    VillageFilterForm,
)
from zhenwu.projects.views_assets import scope_areas


def _require(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied


def _villages(user, perm: str):
    return scope_areas(user, perm).filter(level=AreaLevel.VILLAGE)


def industry_overview(user, village=None) -> dict:
    """Industries with their (visible) enterprises and totals, and totals per village."""
    enterprises = selectors.visible_enterprises(user)
    if village is not None:
        enterprises = enterprises.filter(village=village)
    enterprises = list(enterprises.order_by("village__code", "name"))
    industries = []
    for industry in selectors.visible_industries(user).order_by("area__path", "id"):
        members = [e for e in enterprises if e.industry_id == industry.pk]
        industries.append(
            {
                "industry": industry,
                "enterprises": members,
                "jobs": sum(e.jobs_for_lifted for e in members),
                "linked": sum(e.linked_households for e in members),
            }
        )
    visible_ids = {row["industry"].pk for row in industries}
    others = [e for e in enterprises if e.industry_id not in visible_ids]
    per_village = (
        selectors.visible_enterprises(user)
        .filter(pk__in=[e.pk for e in enterprises])
        .order_by()
        .values("village__code", "village__name")
        .annotate(count=Count("id"), jobs=Sum("jobs_for_lifted"), linked=Sum("linked_households"))
        .order_by("village__code")
    )
    return {
        "industries": industries,
        "others": others,
        "per_village": list(per_village),
        "total_jobs": sum(e.jobs_for_lifted for e in enterprises),
        "total_linked": sum(e.linked_households for e in enterprises),
        "enterprise_count": len(enterprises),
    }


@login_required
def industry_page(request):
    user = request.user
    _require(user, Perm.VIEW_PROJECTS)
    form = VillageFilterForm(request.GET or None, villages=_villages(user, Perm.VIEW_PROJECTS))
    form.is_valid()
    village = getattr(form, "cleaned_data", {}).get("village")
    context = {"form": form, **industry_overview(user, village)}
    if has_perm(user, Perm.EDIT_PROJECTS):
        industries = selectors.visible_industries(user).order_by("name")
        context["industry_form"] = IndustryForm(areas=scope_areas(user, Perm.EDIT_PROJECTS))
        context["enterprise_form"] = EnterpriseForm(
            villages=_villages(user, Perm.EDIT_PROJECTS), industries=industries
        )
    return render(request, "projects/industry_page.html", context)


@login_required
@require_POST
def industry_create(request):
    user = request.user
    _require(user, Perm.EDIT_PROJECTS)
    form = IndustryForm(request.POST, areas=scope_areas(user, Perm.EDIT_PROJECTS))
    if form.is_valid():
        try:
            do_create_industry(actor=user, **form.cleaned_data)
            messages.success(request, _("特色产业已设立。"))
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("请检查产业信息。"))
    return redirect("projects:industry")


@login_required
@require_POST
def enterprise_create(request):
    user = request.user
    _require(user, Perm.EDIT_PROJECTS)
    form = EnterpriseForm(
        request.POST,
        villages=_villages(user, Perm.EDIT_PROJECTS),
        industries=selectors.visible_industries(user),
    )
    if form.is_valid():
        try:
            do_create_enterprise(actor=user, **form.cleaned_data)
            messages.success(request, _("经营主体已登记。"))
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("请检查经营主体信息。"))
    return redirect("projects:industry")


@login_required
def enterprise_edit(request, public_id):
    user = request.user
    try:
        enterprise = selectors.access_enterprise(user, public_id)
    except NotFound:
        raise Http404 from None
    if not area_in_scope(user, enterprise.village, Perm.EDIT_PROJECTS):
        raise PermissionDenied
    industries = selectors.visible_industries(user).order_by("name")
    initial = {
        "name": enterprise.name,
        "kind": enterprise.kind,
        "industry": enterprise.industry_id,
        "products": enterprise.products,
        "jobs_for_lifted": enterprise.jobs_for_lifted,
        "linked_households": enterprise.linked_households,
        "version": enterprise.version,
    }
    form = EnterpriseEditForm(request.POST or None, initial=initial, industries=industries)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        version = changes.pop("version")
        try:
            do_update_enterprise(enterprise, actor=user, expected_version=version, changes=changes)
            messages.success(request, _("经营主体已更新。"))
            return redirect("projects:industry")
        except DomainError as error:
            messages.error(request, error.message)
    return render(
        request, "projects/industry_enterprise_edit.html", {"enterprise": enterprise, "form": form}
    )

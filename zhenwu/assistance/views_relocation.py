"""Pages of 易地搬迁后续扶持: sites, the relocated households of a site with their latest
follow-up visit and employment share, registration and follow-up visits.

Thin: reads through ``assistance.selectors`` (scoped; ``NotFound`` → 404), writes through
``assistance.actions.relocation``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhenwu.accounts.policy import area_in_scope, has_perm
from zhenwu.accounts.roles import Perm
from zhenwu.areas.models import AreaLevel
from zhenwu.assistance import selectors
from zhenwu.assistance.actions import relocation as relocation_actions
from zhenwu.assistance.forms_plans import FollowUpForm, RegisterRelocationForm, SiteForm
from zhenwu.assistance.views_plans import or_404, refusal, require, scope_areas
from zhenwu.core.errors import DomainError


def _site_areas(user):
    levels = [AreaLevel.TOWNSHIP, AreaLevel.VILLAGE]
    return scope_areas(user, Perm.EDIT_ASSISTANCE, levels)


@login_required
def site_list(request):
    user = request.user
    require(user, Perm.VIEW_ASSISTANCE)
    areas = _site_areas(user) if has_perm(user, Perm.EDIT_ASSISTANCE) else []
    form = SiteForm(request.POST or None, areas=areas)
    if request.method == "POST":
        require(user, Perm.EDIT_ASSISTANCE)
        if form.is_valid():
            area = next(a for a in areas if a.code == form.cleaned_data["area"])
            try:
                site = relocation_actions.do_create_site(
                    actor=user,
                    area=area,
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                )
            except DomainError as error:
                refusal(request, error)
            else:
                messages.success(request, _("已添加安置点。"))
                return redirect("assistance:site_detail", site.public_id)
    visible = selectors.visible_relocations(user)
    counts = dict(visible.values_list("site").annotate(n=Count("id")))
    sites = [
        (s, counts.get(s.pk, 0))
        for s in selectors.visible_sites(user).order_by("area__path", "name")
    ]
    context = {"sites": sites, "form": form if areas else None}
    return render(request, "assistance/relocation_sites.html", context)


@login_required
def site_detail(request, public_id):
    user = request.user
    require(user, Perm.VIEW_ASSISTANCE)
    site = or_404(lambda: selectors.access_site(user, public_id))
    context = {
        "site": site,
        "overview": selectors.site_overview(user, site),
        "can_edit": has_perm(user, Perm.EDIT_ASSISTANCE),
        "register_form": RegisterRelocationForm(initial={"moved_on": timezone.localdate()}),
    }
    return render(request, "assistance/relocation_site.html", context)


@login_required
@require_POST
def relocation_register(request, public_id):
    user = request.user
    require(user, Perm.EDIT_ASSISTANCE)
    site = or_404(lambda: selectors.access_site(user, public_id))
    form = RegisterRelocationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写户编号和搬迁入住日期。"))
        return redirect("assistance:site_detail", site.public_id)
    number = form.cleaned_data["number"].strip()
    candidates = selectors.households_in_scope(user, Perm.EDIT_ASSISTANCE)
    household = candidates.filter(number=number).first()
    if household is None:
        messages.error(request, _("未找到该户编号，或该户不在您的管辖范围内。"))
        return redirect("assistance:site_detail", site.public_id)
    try:
        relocation_actions.do_register_relocation(
            household, site, actor=user, moved_on=form.cleaned_data["moved_on"]
        )
    except DomainError as error:
        refusal(request, error)
    else:
        messages.success(request, _("已登记搬迁户。"))
    return redirect("assistance:site_detail", site.public_id)


@login_required
def follow_up(request, public_id):
    user = request.user
    require(user, Perm.EDIT_ASSISTANCE)
    relocation = or_404(lambda: selectors.access_relocation(user, public_id))
    if not area_in_scope(user, relocation.household.village, Perm.EDIT_ASSISTANCE):
        raise PermissionDenied  # visible in a wider role, but not editable here
    form = FollowUpForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            relocation_actions.do_record_follow_up(
                relocation,
                actor=user,
                visited_on=data["visited_on"],
                labour_members=data["labour_members"],
                employed_members=data["employed_members"],
                monthly_income=data["monthly_income"],
                notes=data["notes"],
            )
        except DomainError as error:
            refusal(request, error)
        else:
            messages.success(request, _("已录入走访记录。"))
            return redirect("assistance:site_detail", relocation.site.public_id)
    visits = relocation.visits.order_by("-visited_on", "-id")[:20]
    context = {"relocation": relocation, "form": form, "visits": visits}
    return render(request, "assistance/relocation_visit.html", context)

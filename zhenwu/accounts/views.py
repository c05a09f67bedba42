"""Login, logout, password change and user management pages. Thin: forms validate,
``accounts.actions`` write and audit, ``accounts.selectors`` scope."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhenwu.accounts import actions, selectors, two_factor
from zhenwu.accounts.forms import AreaRoleForm, LoginForm, PasswordChangeForm, UserCreateForm
from zhenwu.accounts.passwords import PASSWORD_EXPIRED_SESSION_KEY
from zhenwu.accounts.policy import has_perm, memberships_of
from zhenwu.accounts.roles import Perm
from zhenwu.core.errors import DomainError, NotFound

# Where a user lands after login, first match wins: (permission, URL name).
LANDING_PAGES = [
    (Perm.VIEW_REGISTRY, "registry:household_list"),
    (Perm.MANAGE_USERS, "accounts:user_list"),
    (Perm.VIEW_AUDIT, "core:audit_log"),
]


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("accounts:home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["timed_out"] = self.request.GET.get("timeout") == "1"
        return context


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5); the session is flushed and the logout audited (auth_events)."""

    next_page = "accounts:login"


@login_required
def home(request):
    """Send each user to the first page their roles allow, else to their account page."""
    for perm, url_name in LANDING_PAGES:
        if has_perm(request.user, perm):
            try:
                return redirect(url_name)
            except NoReverseMatch:
                continue
    return redirect("accounts:profile")


@login_required
def profile(request):
    context = {
        "memberships": memberships_of(request.user),
        "has_2fa": two_factor.has_confirmed_device(request.user),
    }
    return render(request, "accounts/profile.html", context)


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_change_password(request.user, form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            # Keeps this session; every other session of the user ends (hash changed).
            update_session_auth_hash(request, request.user)
            request.session.pop(PASSWORD_EXPIRED_SESSION_KEY, None)
            messages.success(request, _("密码已修改。"))
            return redirect("accounts:home")
    context = {"form": form, "expired": request.session.get(PASSWORD_EXPIRED_SESSION_KEY)}
    return render(request, "accounts/password_change.html", context)


def _require_manager(request) -> None:
    if not has_perm(request.user, Perm.MANAGE_USERS):
        raise PermissionDenied


def _managed_user_or_404(request, pk):
    try:
        return selectors.access_managed_user(request.user, pk)
    except NotFound:
        raise Http404 from None


def _area_role_kwargs(actor) -> dict:
    return {"areas": selectors.grantable_areas(actor), "roles": selectors.grantable_roles(actor)}


@login_required
def user_list(request):
    _require_manager(request)
    users = list(selectors.manageable_users(request.user)[:500])
    can_create = bool(selectors.grantable_roles(request.user))
    return render(request, "accounts/user_list.html", {"users": users, "can_create": can_create})


@login_required
def user_create(request):
    _require_manager(request)
    kwargs = _area_role_kwargs(request.user)
    if not kwargs["roles"]:
        raise PermissionDenied
    form = UserCreateForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.do_create_user(
                username=data["username"],
                password=data["password1"],
                area=data["area"],
                role=data["role"],
                actor=request.user,
                display_name=data["display_name"],
                must_change_password=True,
            )
        except ValidationError as error:
            form.add_error("password1", error)
        except DomainError as error:
            form.add_error("role", error.message)
        else:
            messages.success(request, _("账号已创建，首次登录时须修改密码。"))
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request, pk):
    _require_manager(request)
    managed = _managed_user_or_404(request, pk)
    form = AreaRoleForm(**_area_role_kwargs(request.user))
    return _render_user_detail(request, managed, form)


def _render_user_detail(request, managed, grant_form, status=200):
    context = {
        "managed": managed,
        "memberships": list(managed.memberships.all()),
        "grant_form": grant_form,
        "is_self": managed.pk == request.user.pk,
        "has_2fa": two_factor.has_confirmed_device(managed),
        "can_reset_2fa": two_factor.can_reset_2fa(request.user),
    }
    return render(request, "accounts/user_detail.html", context, status=status)


@login_required
@require_POST
def user_grant(request, pk):
    _require_manager(request)
    managed = _managed_user_or_404(request, pk)
    form = AreaRoleForm(request.POST, **_area_role_kwargs(request.user))
    if not form.is_valid():
        return _render_user_detail(request, managed, form, status=400)
    try:
        actions.do_grant_membership(
            managed,
            area=form.cleaned_data["area"],
            role=form.cleaned_data["role"],
            actor=request.user,
        )
    except DomainError as error:
        form.add_error(None, error.message)
        return _render_user_detail(request, managed, form, status=400)
    messages.success(request, _("已授予角色。"))
    return redirect("accounts:user_detail", pk=managed.pk)


@login_required
@require_POST
def user_revoke(request, pk, membership_id):
    _require_manager(request)
    managed = _managed_user_or_404(request, pk)
    membership = next((m for m in managed.memberships.all() if m.pk == membership_id), None)
    if membership is None:
        raise Http404
    # The last role is not revoked: the account would drop out of every manager's view.
    if managed.pk == request.user.pk or len(managed.memberships.all()) < 2:
        messages.error(
            request, _("不能撤销自己的角色或账号的最后一个角色；如需停用账号，请使用“停用”。")
        )
        return redirect("accounts:user_detail", pk=managed.pk)
    try:
        actions.do_revoke_membership(membership, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已撤销角色。"))
    return redirect("accounts:user_detail", pk=managed.pk)


@login_required
@require_POST
def user_set_active(request, pk):
    _require_manager(request)
    managed = _managed_user_or_404(request, pk)
    active = request.POST.get("active") == "1"
    if managed.pk == request.user.pk:
        messages.error(request, _("不能停用自己的账号。"))
        return redirect("accounts:user_detail", pk=managed.pk)
    try:
        actions.do_set_active(managed, active=active, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("账号已启用。") if active else _("账号已停用。"))
    return redirect("accounts:user_detail", pk=managed.pk)

"""Second-factor pages (两步验证, SECURITY.md 7): bind a phone app, enter its code after the
password, and the security administrator's reset. Rules and writes: ``accounts.two_factor``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhenwu.accounts import selectors, two_factor
from zhenwu.accounts.forms import OtpCodeForm
from zhenwu.core.errors import NotFound

CODE_ERRORS = {
    "wrong": _("验证码不正确或已过期，请输入手机应用当前显示的验证码。"),
    "throttled": _("尝试过于频繁，请稍等几秒后再输入。"),
}


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if safe and target.startswith("/") and not target.startswith("/accounts/2fa/"):
        return target
    return reverse("accounts:home")


def _with_next(url_name: str, request) -> str:
    target = request.GET.get("next") or request.POST.get("next")
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': target})}" if target else url


def _check(request, device, form, *, stage: str):
    """Check the posted code (see ``two_factor.check_code``). On lockout the user is logged
    out and AxesMiddleware answers with the lockout page."""
    outcome = two_factor.check_code(request, device, form.cleaned_data["code"], stage=stage)
    if outcome in CODE_ERRORS:
        form.add_error("code", CODE_ERRORS[outcome])
    return outcome


@never_cache
@login_required
def otp_enrol(request):
    """Show a new secret (text and QR code) and confirm it with a first code."""
    user = request.user
    if user.is_verified():
        return redirect("accounts:profile")
    if two_factor.has_confirmed_device(user):
        return redirect(_with_next("accounts:otp_verify", request))
    device = two_factor.pending_device(user)
    form = OtpCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            outcome = _check(request, device, form, stage="enrol")
            if outcome == "locked":
                return redirect("accounts:login")
            if outcome == "ok":
                two_factor.do_confirm_enrolment(request, device)
                messages.success(
                    request, _("两步验证已启用。以后每次登录都需输入手机应用中的验证码。")
                )
                return redirect(_next_url(request))
    context = {
        "form": form,
        "secret": two_factor.secret_text(device),
        "qr_data_uri": two_factor.qr_data_uri(device),
        "required": two_factor.must_use_2fa(user),
        "next": _next_url(request),
    }
    return render(request, "accounts/otp_enrol.html", context, status=status)


@never_cache
@login_required
def otp_verify(request):
    """After the password: the code of the bound device, before any other page."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    device = two_factor.confirmed_device(user)
    if device is None:
        if two_factor.must_use_2fa(user):
            return redirect(_with_next("accounts:otp_enrol", request))
        # Reset by the security administrator meanwhile, and not required: nothing to ask.
        request.session[two_factor.ENROLLED_SESSION_KEY] = False
        return redirect(_next_url(request))
    form = OtpCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            outcome = _check(request, device, form, stage="verify")
            if outcome == "locked":
                return redirect("accounts:login")
            if outcome == "ok":
                two_factor.do_verify_session(request, device)
                return redirect(_next_url(request))
    context = {"form": form, "next": _next_url(request), "issuer": settings.OTP_TOTP_ISSUER}
    return render(request, "accounts/otp_verify.html", context, status=status)


@login_required
@require_POST
def user_reset_2fa(request, pk):
    """Security administrator: unbind a user's phone app (lost or replaced phone)."""
    if not two_factor.can_reset_2fa(request.user):
        raise PermissionDenied
    try:
        managed = selectors.access_managed_user(request.user, pk)
    except NotFound:
        raise Http404 from None
    if managed.pk == request.user.pk:
        messages.error(request, _("不能重置自己的两步验证；请由其他安全管理员或在服务器上处理。"))
    else:
        two_factor.do_reset_2fa(managed, actor=request.user)
        messages.success(request, _("已重置该账号的两步验证，本人下次登录时须重新绑定手机应用。"))
    return redirect("accounts:user_detail", pk=managed.pk)

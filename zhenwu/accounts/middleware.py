"""Idle timeout (30 min by default), second factor and forced password change
(SECURITY.md 5, 7, 8)."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from zhenwu.accounts.two_factor import session_needs_code

EXEMPT_PREFIXES = (
    "/static/",
    "/accounts/logout/",
    "/accounts/password/",
    "/accounts/2fa/",
    "/i18n/",
    "/api/",
)
# Pages an unverified session (password given, code not yet) may open.
OTP_EXEMPT_PREFIXES = ("/static/", "/accounts/logout/", "/accounts/2fa/", "/i18n/")


class SessionLimitsMiddleware:
    """Needs django_otp's OTPMiddleware before it (``request.user.is_verified``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            # The API keeps its own idle check (zhenwu.api.auth). A session without its
            # second factor is no session there (401); a token does not use the session.
            if session_needs_code(request):
                request.user = AnonymousUser()
            return self.get_response(request)
        now = int(time.time())
        last_seen = request.session.get("zhenwu_last_seen")
        if last_seen and now - last_seen > settings.SESSION_IDLE_SECONDS:
            logout(request)
            return redirect(f"{reverse('accounts:login')}?timeout=1")
        request.session["zhenwu_last_seen"] = now
        if not request.path.startswith(OTP_EXEMPT_PREFIXES) and session_needs_code(request):
            target = reverse("accounts:otp_verify")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        if user.must_change_password and not request.path.startswith(EXEMPT_PREFIXES):
            return redirect("accounts:password_change")
        return self.get_response(request)

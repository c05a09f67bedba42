"""Idle timeout (30 min by default) and forced password change (SECURITY.md 5, 8)."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/static/", "/accounts/logout/", "/accounts/password/", "/i18n/", "/api/")


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            now = int(time.time())
            last_seen = request.session.get("zhenwu_last_seen")
            if last_seen and now - last_seen > settings.SESSION_IDLE_SECONDS:
                logout(request)
                return redirect(f"{reverse('accounts:login')}?timeout=1")
            request.session["zhenwu_last_seen"] = now
            if user.must_change_password and not request.path.startswith(EXEMPT_PREFIXES):
                return redirect("accounts:password_change")
        return self.get_response(request)

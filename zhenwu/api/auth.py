"""Who is calling the API (接口认证): a browser session of the UI, or an integration's token.

Both resolve to a ``User``; what that user may see is decided by ``accounts.policy`` through
the selectors, exactly as in the UI. Anything else is anonymous and gets HTTP 401.
"""

import datetime
import time
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from zhenwu.accounts.models import ApiToken, hash_token
from zhenwu.api.errors import unauthenticated_response
from zhenwu.core.errors import DomainError

TOKEN_PREFIX = "zw_"
# last_used_at is informational; writing it on every request would turn reads into writes.
TOKEN_TOUCH_INTERVAL = datetime.timedelta(minutes=1)
# Written by accounts.middleware.SessionLimitsMiddleware, which leaves /api/ to us.
LAST_SEEN_KEY = "zhenwu_last_seen"
SESSION_TOUCH_SECONDS = 60

CSRF_FAILED = _("CSRF 校验失败，请刷新页面后重试。")


def session_user(request):
    """The session's user, if the session is still good: the same idle limit and forced
    password change as the UI (SessionLimitsMiddleware skips /api/ paths)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.must_change_password or user.is_service_account:
        return None
    now = int(time.time())
    last_seen = request.session.get(LAST_SEEN_KEY)
    if last_seen and now - last_seen > settings.SESSION_IDLE_SECONDS:
        return None
    # API use is activity; a minute's precision spares a session write on every call.
    if not last_seen or now - last_seen >= SESSION_TOUCH_SECONDS:
        request.session[LAST_SEEN_KEY] = now
    return user


def token_user(raw: str):
    """The service account behind a usable token (not revoked, not expired), or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    if token is None or not token.is_usable():
        return None
    user = token.user
    if not (user.is_active and user.is_service_account):
        return None
    _touch(token)
    return user


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    stale_before = now - TOKEN_TOUCH_INTERVAL
    if token.last_used_at is not None and token.last_used_at >= stale_before:
        return
    # The filter makes concurrent requests write at most once per interval.
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale_before)
    ).update(last_used_at=now)


class SessionAuth(APIKeyCookie):
    """The UI's login session; unsafe methods need the CSRF token (X-CSRFToken header).

    Unlike ninja's ``django_auth`` the CSRF check runs only for a logged-in session, so an
    anonymous request gets 401, not a CSRF 403."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = session_user(request)
        if user is None:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False):
            if check_csrf(request) is not None:
                raise DomainError("csrf_failed", message=CSRF_FAILED)
        return user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer zw_...`` of a service account (接口账号)."""

    def authenticate(self, request, token):
        return token_user(token)


def request_user(request):
    """The authenticated user of an API operation."""
    return request.auth


def docs_access(view):
    """The OpenAPI document and its docs page describe a government system: only for
    logged-in users. The docs page sends anonymous browsers to the login page; the JSON
    document also accepts a token, and answers 401 otherwise."""
    is_json = getattr(getattr(view, "func", None), "__name__", "") == "openapi_json"

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if session_user(request) is not None:
            return view(request, *args, **kwargs)
        if is_json:
            bearer = request.headers.get("Authorization", "")
            scheme, _space, raw = bearer.partition(" ")
            if scheme.lower() == "bearer" and token_user(raw.strip()) is not None:
                return view(request, *args, **kwargs)
            return unauthenticated_response()
        return redirect_to_login(request.get_full_path())

    return wrapper

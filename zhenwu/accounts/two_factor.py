"""Second factor: TOTP codes from a phone app (两步验证, SECURITY.md 7), on django-otp.

Who must use it: township and district officers and the three administrators; village
cadres only with ``REQUIRE_2FA_CADRES``; nobody while ``REQUIRE_2FA`` is off (demo, test).
Whoever has confirmed a device is asked for its code at every login regardless.

A session is *verified* once django-otp's ``login`` has stored the device in it
(``request.user.is_verified()``, from ``django_otp.middleware.OTPMiddleware``);
``accounts.middleware`` keeps an unverified session on the verify and enrolment pages.

Wrong codes are audited, slowed down by the device's own throttle (1, 2, 4, 8 ... seconds,
kept across logins: a password login resets axes' count, not this) and counted by
django-axes like wrong passwords, so that guessing codes locks the account as guessing
passwords does.
"""

import base64
import io

import django_otp
import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import logout
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhenwu.accounts.policy import memberships_of
from zhenwu.accounts.roles import Role
from zhenwu.core import audit
from zhenwu.core.models import AuditOutcome

# Session flag written at login: the user had a confirmed device then (one query per login
# instead of one per request).
ENROLLED_SESSION_KEY = "zhenwu_otp_enrolled"

ROLES_REQUIRING_2FA = frozenset(
    {
        Role.DISTRICT_OFFICER,
        Role.TOWNSHIP_OFFICER,
        Role.AUDITOR,
        Role.SYSTEM_ADMIN,
        Role.SECURITY_ADMIN,
    }
)


def roles_requiring_2fa() -> frozenset[str]:
    if settings.REQUIRE_2FA_CADRES:
        return ROLES_REQUIRING_2FA | {Role.VILLAGE_CADRE}
    return ROLES_REQUIRING_2FA


def must_use_2fa(user) -> bool:
    """The user's roles require a second factor (and the requirement is switched on)."""
    if not settings.REQUIRE_2FA or not user.is_authenticated:
        return False
    required = roles_requiring_2fa()
    return any(m.role in required for m in memberships_of(user))


def can_reset_2fa(user) -> bool:
    """Resetting another user's device is the security administrator's duty (三权分立)."""
    return any(m.role == Role.SECURITY_ADMIN for m in memberships_of(user))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_needs_code(request) -> bool:
    """The session's user must enter a code (or enrol) before anything else."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    return bool(request.session.get(ENROLLED_SESSION_KEY)) or must_use_2fa(user)


def remember_enrolment(request, user) -> None:
    """At login: whether this user has a device to be asked about."""
    request.session[ENROLLED_SESSION_KEY] = has_confirmed_device(user)


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device shown on the enrolment page; the same secret on every reload
    until it is confirmed or reset."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="totp", confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth URI as an SVG QR code in a data: URI (img-src allows data:), made on the
    server: no CDN, no script, and the secret never leaves this page."""
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        buffer, kind="svg", scale=5, border=2, xmldecl=False, svgns=True
    )
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _normalise(code: str) -> str:
    return "".join(str(code or "").split())


def _is_throttled(device: TOTPDevice) -> bool:
    allowed, _details = device.verify_is_allowed()
    return not allowed


def check_code(request, device: TOTPDevice, code: str, *, stage: str) -> str:
    """Check a code against the user's device. Returns "ok", "wrong", "throttled" or
    "locked" (the lockout limit is reached; the user is logged out). Audited either way."""
    user = request.user
    if _is_throttled(device):
        # Not checked, so not counted towards the lockout (a double submit after a typo).
        _record_failure(request, user, stage=stage, reason="throttled", count=False)
        return "throttled"
    with transaction.atomic():
        # Locked, so that two requests with the same code cannot both pass (no replay).
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        accepted = locked.verify_token(_normalise(code))
    if accepted:
        return "ok"
    _record_failure(request, user, stage=stage, reason="wrong_code")
    return "locked" if _lock_if_limit_reached(request, user) else "wrong"


def _record_failure(request, user, *, stage: str, reason: str, count: bool = True) -> None:
    audit.record(
        "accounts.otp_failed",
        actor=user,
        obj=user,
        outcome=AuditOutcome.FAILURE,
        data={"stage": stage, "reason": reason},
    )
    if not count:
        return
    # Counted by django-axes like a wrong password (by username, see AXES_LOCKOUT_PARAMETERS).
    AxesProxyHandler.user_login_failed(
        sender=check_code, credentials={"username": user.get_username()}, request=request
    )


def _lock_if_limit_reached(request, user) -> bool:
    if not getattr(request, "axes_locked_out", False):
        return False
    # AxesMiddleware turns this response into the lockout page (accounts/locked.html).
    logout(request)
    return True


@transaction.atomic
def do_confirm_enrolment(request, device: TOTPDevice) -> None:
    """The first correct code confirms the device; this session is then verified."""
    user = request.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _verify_session(request, device)
    audit.record("accounts.otp_enrolled", actor=user, obj=user, data={"device": device.pk})


@transaction.atomic
def do_verify_session(request, device: TOTPDevice) -> None:
    _verify_session(request, device)
    audit.record("accounts.otp_verified", actor=request.user, obj=request.user)


def _verify_session(request, device: TOTPDevice) -> None:
    # A new session id when the session gains the second factor, as at login.
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[ENROLLED_SESSION_KEY] = True


@transaction.atomic
def do_reset_2fa(user, *, actor=None) -> int:
    """Delete the user's devices (lost phone). At the next request or login the user is
    asked to enrol again if their roles require it. ``actor=None``: the server console."""
    deleted, _per_model = TOTPDevice.objects.filter(user=user).delete()
    audit.record("accounts.otp_reset", actor=actor, obj=user, data={"devices": deleted})
    return deleted

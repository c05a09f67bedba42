"""Audit of logins, logouts and failures (SECURITY.md 6, 9), and what a login decides for
the session: whether a second-factor code will be asked (SECURITY.md 7) and whether the
password has expired (SECURITY.md 5). Django's auth signals are the only place these events
surface, so receivers are used here and nowhere else."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from zhenwu.accounts import two_factor
from zhenwu.accounts.actions import do_expire_password
from zhenwu.accounts.passwords import PASSWORD_EXPIRED_SESSION_KEY, password_is_expired
from zhenwu.core import audit
from zhenwu.core.models import AuditOutcome


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit.record("auth.login", actor=user, obj=user)
    if request is None:
        return
    request.session["zhenwu_last_seen"] = None
    two_factor.remember_enrolment(request, user)
    if not user.must_change_password and password_is_expired(user):
        do_expire_password(user)
        request.session[PASSWORD_EXPIRED_SESSION_KEY] = True


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record("auth.logout", actor=user, obj=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # Never store the attempted password; the username is kept to spot guessing.
    audit.record(
        "auth.login_failed",
        outcome=AuditOutcome.FAILURE,
        username=str(credentials.get("username", ""))[:150],
        object_type="accounts.user",
    )

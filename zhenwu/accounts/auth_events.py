"""Audit of logins, logouts and failures (SECURITY.md 6, 9). Django's auth signals are the
only place these events surface, so receivers are used here and nowhere else."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from zhenwu.core import audit
from zhenwu.core.models import AuditOutcome


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    if request is not None:
        request.session["zhenwu_last_seen"] = None
    audit.record("auth.login", actor=user, obj=user)


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

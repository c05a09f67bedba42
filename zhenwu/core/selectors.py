"""Reads of the audit log. Only holders of ``audit.view`` (the auditor) may read it."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from zhenwu.accounts.policy import require_perm
from zhenwu.accounts.roles import Perm
from zhenwu.core.models import AuditEvent

# Allow-listed filters (SECURITY.md 16).
AUDIT_FILTERS = ("event", "username", "outcome", "object_id", "date_from", "date_to")


def audit_events(user, filters: dict | None = None) -> QuerySet[AuditEvent]:
    require_perm(user, Perm.VIEW_AUDIT)
    qs = AuditEvent.objects.all().order_by("-id")
    filters = filters or {}
    if filters.get("event"):
        qs = qs.filter(event__startswith=filters["event"])
    if filters.get("username"):
        qs = qs.filter(username=filters["username"])
    if filters.get("outcome"):
        qs = qs.filter(outcome=filters["outcome"])
    if filters.get("object_id"):
        qs = qs.filter(object_id=filters["object_id"])
    if filters.get("date_from"):
        qs = qs.filter(at__gte=_start_of(filters["date_from"]))
    if filters.get("date_to"):
        qs = qs.filter(at__lt=_start_of(filters["date_to"]) + datetime.timedelta(days=1))
    return qs


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

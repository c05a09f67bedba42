"""A database-backed rate limit that works across processes (gunicorn workers)."""

import datetime

from django.utils import timezone

from zhenwu.core.crypto import blind_index
from zhenwu.core.errors import DomainError
from zhenwu.core.models import RateLimitEvent


def hit(scope: str, key: str, *, limit: int, window: datetime.timedelta) -> None:
    """Count one attempt for (scope, key); raise DomainError("rate_limited") past ``limit``
    attempts within ``window``. Old events of the scope are pruned as we go."""
    now = timezone.now()
    key_hash = blind_index(f"{scope}:{key}")
    RateLimitEvent.objects.filter(scope=scope, at__lt=now - window).delete()
    recent = RateLimitEvent.objects.filter(
        scope=scope, key_hash=key_hash, at__gte=now - window
    ).count()
    if recent >= limit:
        raise DomainError("rate_limited")
    RateLimitEvent.objects.create(scope=scope, key_hash=key_hash, at=now)

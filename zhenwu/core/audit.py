"""Writing audit rows. Call inside the same transaction as the change it records."""

import hashlib
import json

from django.db import connection, transaction

from zhenwu.core import context
from zhenwu.core.models import AuditChainHead, AuditEvent, AuditOutcome

GENESIS = "0" * 64


def _row_digest(previous_hash: str, fields: dict) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((previous_hash + payload).encode()).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict:
    return {
        "at": event.at.isoformat() if event.at else "",
        "user": event.user_id,
        "username": event.username,
        "role": event.role,
        "ip": event.ip,
        "request_id": event.request_id,
        "channel": event.channel,
        "event": event.event,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "outcome": event.outcome,
        "data": event.data,
    }


def record(
    event: str,
    *,
    actor=None,
    obj=None,
    outcome=AuditOutcome.SUCCESS,
    data: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    username: str = "",
) -> AuditEvent:
    """Append one audit row. If it cannot be written, the surrounding change fails too."""
    from django.utils import timezone

    from zhenwu.accounts.policy import role_label

    ctx = context.get()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "public_id", None) or obj.pk)
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        last_hash = _lock_chain_head()
        row = AuditEvent(
            at=timezone.now(),
            user=user,
            username=(user.username if user else username)[:150],
            role=role_label(user) if user else "",
            ip=ctx.ip,
            request_id=ctx.request_id,
            channel=ctx.channel,
            event=event,
            object_type=object_type,
            object_id=str(object_id)[:64],
            outcome=outcome,
            data=json.loads(json.dumps(data or {}, default=str)),
            previous_hash=last_hash,
        )
        row.hash = _row_digest(row.previous_hash, _hashed_fields(row))
        row.save()
        _set_chain_head(row.hash)
    return row


# Every business write appends one row, so the head is read and moved with plain SQL: the
# ORM's query compilation cost more than the rest of the append (the demo build's profile).
def _head_sql(template: str) -> str:
    quote, meta = connection.ops.quote_name, AuditChainHead._meta
    return template.format(
        table=quote(meta.db_table),
        hash=quote(meta.get_field("last_hash").column),
        id=quote(meta.pk.column),
    )


def _lock_chain_head() -> str:
    """The chain head's hash, read under a row lock (created on the first append)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(_head_sql("SELECT {hash} FROM {table} WHERE {id} = %s") + lock, [1])
        found = cursor.fetchone()
    if found is not None:
        return found[0]
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    return head.last_hash


def _set_chain_head(last_hash: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_head_sql("UPDATE {table} SET {hash} = %s WHERE {id} = %s"), [last_hash, 1])


def verify_chain() -> tuple[bool, int | None]:
    """Recompute the chain; return (ok, id of the first broken row)."""
    previous = GENESIS
    for row in AuditEvent.objects.order_by("id").iterator():
        if row.previous_hash != previous or row.hash != _row_digest(previous, _hashed_fields(row)):
            return False, row.id
        previous = row.hash
    return True, None


def diff(before: dict, after: dict) -> dict:
    """Only the fields that changed, as {field: [before, after]} (values already masked)."""
    return {
        k: [before.get(k), after.get(k)]
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }

"""Keyset (cursor) pagination by primary key: constant cost per page at a million rows and
no COUNT of the whole list (DESIGN.md §5). The cursor is opaque and signed, so clients
cannot build one by hand; it only says where the next page starts, never widens a scope."""

from django.core import signing
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhenwu.api.errors import validation_failed

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
_SALT = "zhenwu.api.cursor"
INVALID_CURSOR = _("分页游标无效，请从第一页重新开始。")


def encode_cursor(last_id: int) -> str:
    return signing.dumps(last_id, salt=_SALT, compress=False)


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        value = signing.loads(cursor, salt=_SALT)
    except signing.BadSignature:
        raise validation_failed("cursor", INVALID_CURSOR, "invalid_cursor") from None
    if not isinstance(value, int):
        raise validation_failed("cursor", INVALID_CURSOR, "invalid_cursor")
    return value


def keyset_page(qs: QuerySet, *, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """One page of ``qs`` in id order after ``cursor``, and the cursor of the next page."""
    after = decode_cursor(cursor)
    if after is not None:
        qs = qs.filter(pk__gt=after)
    rows = list(qs.order_by("pk")[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1].pk)

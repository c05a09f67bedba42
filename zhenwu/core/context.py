"""Per-request context (request id, IP, user) for audit rows written deep in actions."""

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None
    channel: str = "system"  # web, api, cli, task, system


# Frozen, so the shared default cannot be mutated.
current = contextvars.ContextVar("zhenwu_request_context", default=RequestContext())  # noqa: B039


def get() -> RequestContext:
    return current.get()

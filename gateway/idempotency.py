"""Keys that make the gateway's writes safe to deliver twice (issue #11, finding 2).

Every write the gateway sends over RabbitMQ carries a key fixed before the message leaves: a
message redelivered after a service crash carries the same key, and the service finds the record
that key already made instead of making a second one. The key is the caller's own when it sends
one (an ``Idempotency-Key`` header, or a portal form's ``submission_id``, made when the page was
rendered, so that a client pressing "send" again after an error records once), else a new one.
"""
from __future__ import annotations

import re
import secrets

_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,100}$")


def new_key() -> str:
    return secrets.token_urlsafe(16)


def valid(key) -> bool:
    return isinstance(key, str) and bool(_KEY.match(key))


def request_key(request, offered: str | None = None) -> str:
    """The caller's key (``offered``, else the Idempotency-Key header) when well-formed, else a new one."""
    for candidate in (offered, request.headers.get("Idempotency-Key")):
        if valid(candidate):
            return candidate
    return new_key()

"""Records keyed by the request that made them (issue #11: every write the gateway sends over
RabbitMQ can be redelivered without a second record).

The gateway fixes a key per HTTP request before the RPC message leaves (gateway/idempotency.py);
a message redelivered after a crash carries the same key. A record created by a request takes
its id from that key, so the second delivery finds the first record instead of making another;
a change to a record remembers the last few keys it applied, so a second delivery is a no-op.
"""
from __future__ import annotations

import hashlib
import uuid

from interlude.errors import InvalidInput

MAX_KEY = 100
KEPT_KEYS = 20   # a redelivery follows its first delivery closely: the last few are enough


def check(request_key) -> str | None:
    if request_key is not None and (not isinstance(request_key, str) or not 0 < len(request_key) <= MAX_KEY):
        raise InvalidInput(f"request_key must be text of 1-{MAX_KEY} characters.")
    return request_key


def keyed_id(prefix: str, clinic_id: str, request_key: str | None, *, length: int = 16) -> str:
    """A new record's id: derived from the request's key when it has one, else random."""
    if check(request_key) is None:
        return f"{prefix}_{uuid.uuid4().hex[:length]}"
    digest = hashlib.sha256(f"{prefix}\n{clinic_id}\n{request_key}".encode()).hexdigest()
    return f"{prefix}_{digest[:length]}"


def applied(record: dict, request_key: str | None, field: str = "applied_keys") -> bool:
    """Whether a change with this key was already applied to ``record``."""
    return check(request_key) is not None and request_key in (record.get(field) or [])


def remember(record: dict, request_key: str | None, field: str = "applied_keys") -> dict:
    """The change to store with an update: the record's recent keys plus this one."""
    if check(request_key) is None:
        return {}
    return {field: ((record.get(field) or []) + [request_key])[-KEPT_KEYS:]}

"""Collection names, indexes and small validators shared by the progress domain."""
from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from functools import lru_cache

from interlude import request_keys
from interlude.errors import InvalidInput
from interlude.ports.documents import Collection, DocumentStore
from interlude.text import plain_text
from services.catalog.contract import Measure, load_measures

EVENTS = "progress_events"
CLIENTS = "clients"
ASSIGNMENTS = "assignments"
TOKENS = "portal_tokens"
OUTBOX = "reminder_outbox"
AUDIT = "audit"
WEBHOOKS = "webhook_subscriptions"
DELIVERIES = "webhook_deliveries"

INDEXES = {
    EVENTS: [(["client_id", "seq"], True), (["clinic_id", "client_id"], False),
             (["client_id", "type"], False)],
    CLIENTS: [(["clinic_id", "practitioner_id"], False)],
    ASSIGNMENTS: [(["clinic_id", "client_id"], False)],
    TOKENS: [(["assignment_id"], False), (["client_id"], False)],
    OUTBOX: [(["status", "created_at"], False), (["client_id"], False)],
    AUDIT: [(["clinic_id", "at"], False), (["client_id"], False)],
    WEBHOOKS: [(["clinic_id"], False)],
    DELIVERIES: [(["status", "next_attempt_at"], False), (["subscription_id", "created_at"], False)],
}

MAX_FIELDS = 200
MAX_FIELD_TEXT = 5_000
_FIELD_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


def ensure_indexes(store: DocumentStore) -> None:
    """Every progress index, made once when the service starts (the unique one on an event's
    sequence number is what makes concurrent appends safe)."""
    for collection_name, indexes in INDEXES.items():
        for fields, unique in indexes:
            store.collection(collection_name).ensure_index(fields, unique=unique)


def collection(store: DocumentStore, name: str) -> Collection:
    return store.collection(name)


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:20]}"


def keyed_id(prefix: str, clinic_id: str, request_key: str | None) -> str:
    """The id of a record created by one request: derived from the request's key when it has
    one, so that the same request delivered twice finds its record instead of making another."""
    return request_keys.keyed_id(prefix, clinic_id, request_key, length=20)


def as_date(value, what: str) -> str:
    """A calendar date given as a date or 'YYYY-MM-DD', returned as 'YYYY-MM-DD'."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip()[:10]) if len(value.strip()) == 10 else None
        except ValueError:
            value = None
    if not isinstance(value, date) or not 2000 <= value.year <= 2100:
        raise InvalidInput(f"{what} must be a date written YYYY-MM-DD.")
    return value.isoformat()



# input ------------------------------------------------------------------------------------
def identifier(value, what: str) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise InvalidInput(f"{what} must be an id of letters, digits, '_' or '-' (at most 80).")
    return value


def clean_fields(fields) -> dict[str, str]:
    """Worksheet answers: field id -> plain text (at most 5,000 characters, 200 fields)."""
    if not isinstance(fields, dict):
        raise InvalidInput("fields must be an object of field id to text.")
    if len(fields) > MAX_FIELDS:
        raise InvalidInput(f"At most {MAX_FIELDS} fields can be saved at once.")
    cleaned = {}
    for key, value in fields.items():
        if not isinstance(key, str) or not _FIELD_ID.match(key):
            raise InvalidInput("Each field id must be 1-64 letters, digits or '_.:-'.")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        cleaned[key] = plain_text(value, f"field {key}", max_len=MAX_FIELD_TEXT, required=False)
    return cleaned


@lru_cache(maxsize=1)
def measures() -> dict[str, Measure]:
    """The published measures by slug (read once from the catalogue's content)."""
    return load_measures()

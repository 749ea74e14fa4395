"""The permanent record: an append-only store of progress events (collection ``progress_events``).

Each event is ``{id, clinic_id, client_id, seq, type, at, actor, data}``. ``seq`` numbers one client's
events in order; it is taken with an atomic increment on the client record, and a unique index on
``(client_id, seq)`` backs it, so concurrent appends never share a number (a number may be skipped
when two deliveries of one message race, never reused).

This module can only add events. Nothing here, or anywhere in the progress domain, changes one:
a correction is a new event naming the event it corrects, and projections read the correction in
its place. The single exception is erasure of a client's whole record on request
(``records.delete_client``).

Idempotency: an append may carry a key (a submission id, a message id). The event id is derived from
the clinic, the client and that key, so a redelivered message finds its event already there and
gets it back instead of appending a second one.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

from interlude import clock
from interlude.errors import Conflict, InvalidInput, NotFound
from interlude.ports.documents import DocumentStore, TenantScope
from services.progress.application import storage

EVENT_TYPES = (
    "client_created", "assigned", "opened", "draft_saved", "submitted", "rated", "audio_played",
    "measure_scored", "risk_flagged", "workbook_edition_created", "assignment_revoked", "correction",
    "reminder_sent", "record_exported",
)
# Events a correction may withdraw or (measure_scored only) replace.
CORRECTABLE = frozenset({"submitted", "rated", "audio_played", "measure_scored", "risk_flagged"})
ACTOR_KINDS = ("client", "system")   # or a user id
MAX_DATA_BYTES = 2_000_000
MAX_KEY = 200


def event_id_for(clinic_id: str, client_id: str, key: str) -> str:
    digest = hashlib.sha256(f"{clinic_id}\n{client_id}\n{key}".encode()).hexdigest()
    return f"evk_{digest[:40]}"


def append(store: DocumentStore, clinic_id: str, client_id: str, type: str, *, actor: str,
           data: dict | None = None, idempotency_key: str | None = None,
           now: datetime | None = None) -> dict:
    """Append one event and return it. With ``idempotency_key``, appending the same key again
    returns the event already stored (Conflict if that key was used for another type of event).
    Raises NotFound if the client is not in this clinic."""
    if type not in EVENT_TYPES:
        raise InvalidInput(f"Unknown event type {type!r}.")
    if not isinstance(actor, str) or not 0 < len(actor) <= 80:
        raise InvalidInput("An event needs its actor: a user id, 'client' or 'system'.")
    data = dict(data or {})
    if len(json.dumps(data, default=_refuse)) > MAX_DATA_BYTES:
        raise InvalidInput("This event is too large.")
    events = storage.collection(store, storage.EVENTS)
    event_id = storage.new_id("evt")
    if idempotency_key is not None:
        if not isinstance(idempotency_key, str) or not 0 < len(idempotency_key) <= MAX_KEY:
            raise InvalidInput(f"An idempotency key must be text of 1-{MAX_KEY} characters.")
        event_id = event_id_for(clinic_id, client_id, idempotency_key)
        if (existing := events.get(event_id)) is not None:
            return _same(existing, clinic_id, client_id, type)
    clients = storage.collection(store, storage.CLIENTS)
    if TenantScope(clients, clinic_id).get(client_id) is None:
        raise NotFound("No such client in this clinic.")
    seq = clients.increment(client_id, "event_seq")
    event = {"id": event_id, "clinic_id": clinic_id, "client_id": client_id, "seq": seq,
             "type": type, "at": clock.iso(clock.utcnow(now)), "actor": actor, "data": data}
    try:
        return events.insert(event)
    except Conflict:
        existing = events.get(event_id) if idempotency_key is not None else None
        if existing is None:
            raise
        return _same(existing, clinic_id, client_id, type)


def _same(existing: dict, clinic_id: str, client_id: str, type: str) -> dict:
    if (existing["clinic_id"], existing["client_id"], existing["type"]) != (clinic_id, client_id, type):
        raise Conflict("This idempotency key was already used for another event.")
    return existing


def _refuse(value):
    raise InvalidInput(f"Event data must be plain JSON, not {value.__class__.__name__}.")


def client_events(store: DocumentStore, clinic_id: str, client_id: str, *,
                  types: list[str] | tuple[str, ...] | None = None) -> list[dict]:
    """One client's events in order (by ``seq``); ``types`` narrows them."""
    where: dict = {"client_id": client_id}
    if types:
        where["type"] = {"$in": list(types)}
    return TenantScope(storage.collection(store, storage.EVENTS), clinic_id).find(where, sort=[("seq", 1)])


def events_of_clients(store: DocumentStore, clinic_id: str, client_ids: list[str]) -> dict[str, list[dict]]:
    """Events of several clients of one clinic, in order, by client id."""
    by_client: dict[str, list[dict]] = {client_id: [] for client_id in client_ids}
    scope = TenantScope(storage.collection(store, storage.EVENTS), clinic_id)
    for start in range(0, len(client_ids), 500):
        batch = client_ids[start:start + 500]
        for event in scope.find({"client_id": {"$in": batch}}, sort=[("seq", 1)]):
            by_client[event["client_id"]].append(event)
    return by_client


def get_event(store: DocumentStore, clinic_id: str, event_id: str) -> dict | None:
    return TenantScope(storage.collection(store, storage.EVENTS), clinic_id).get(event_id)


def append_correction(store: DocumentStore, clinic_id: str, client_id: str, corrects: str, *,
                      actor: str, reason: str, replacement: dict | None = None,
                      now: datetime | None = None) -> dict:
    """A ``correction`` event: it withdraws the event ``corrects`` (``replacement`` None) or, for a
    measure score, stands in for it with ``replacement`` as its data. The corrected event stays in
    the record; a later correction of the same event takes precedence over an earlier one."""
    target = get_event(store, clinic_id, corrects)
    if target is None or target["client_id"] != client_id:
        raise NotFound("No such event in this client's record.")
    if target["type"] not in CORRECTABLE:
        raise InvalidInput(f"A {target['type']} event cannot be corrected; correctable: "
                           f"{', '.join(sorted(CORRECTABLE))}.")
    if replacement is not None and target["type"] != "measure_scored":
        raise InvalidInput("Only a measure score can be replaced; other events can be withdrawn.")
    data = {"corrects": corrects, "corrected_type": target["type"], "reason": reason,
            "replacement": replacement}
    if "assignment_id" in target["data"]:
        data["assignment_id"] = target["data"]["assignment_id"]
    return append(store, clinic_id, client_id, "correction", actor=actor, data=data, now=now)

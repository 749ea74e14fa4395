"""The client's record as a whole: export as JSON, deletion on request, corrections, and the audit
trail (collection ``audit``) that says who exported or deleted which client's record and when.

An audit entry holds ids, an action and counts, never the record's content. It is written before a
deletion removes anything and is not itself removed, so a deletion always leaves its trace.
"""
from __future__ import annotations

from datetime import datetime

from interlude import clock
from interlude.actor import Actor
from interlude.errors import NotFound
from interlude.ports.documents import DocumentStore, TenantScope
from interlude.text import plain_text
from services.progress.application import clients, events, storage, submission
from services.progress.application.assignments import public_assignment

RECORD_FORMAT = "interlude.client-record"
RECORD_VERSION = 1
AUDIT_ACTIONS = ("record_exported", "client_deleted")


def _audit(store: DocumentStore, actor: Actor, action: str, client_id: str, now, **counts) -> dict:
    entry = {"id": storage.new_id("aud"), "at": clock.iso(clock.utcnow(now)), "actor_id": actor.user_id,
             "actor_role": actor.role, "action": action, "client_id": client_id, "counts": counts or None}
    return TenantScope(storage.collection(store, storage.AUDIT), actor.clinic_id).insert(entry)


def audit_trail(store: DocumentStore, actor: Actor, *, client_id: str | None = None) -> list[dict]:
    """The clinic's audit entries, oldest first (clinic admins only); entries outlive the clients
    they name."""
    actor.require_role("clinic_admin")
    where = {"client_id": client_id} if client_id else {}
    return TenantScope(storage.collection(store, storage.AUDIT), actor.clinic_id).find(where, sort=[("at", 1)])


def export_client(store: DocumentStore, actor: Actor, client_id: str, *, now: datetime | None = None) -> dict:
    """The whole record: ``{format, version, exported_at, client, assignments, events}`` (portal
    link secrets are never part of it). Recorded in the audit trail and as ``record_exported``."""
    client = clients.client_for(store, actor, client_id)
    exported = events.append(store, actor.clinic_id, client["id"], "record_exported", actor=actor.user_id,
                             data={}, now=now)
    found = TenantScope(storage.collection(store, storage.ASSIGNMENTS), actor.clinic_id).find(
        {"client_id": client["id"]}, sort=[("created_at", 1)])
    record = {"format": RECORD_FORMAT, "version": RECORD_VERSION, "exported_at": exported["at"],
              "client": clients.public_client(client), "assignments": [public_assignment(a) for a in found],
              "events": events.client_events(store, actor.clinic_id, client["id"])}
    _audit(store, actor, "record_exported", client["id"], now, assignments=len(found),
           events=len(record["events"]))
    return record


def delete_client(store: DocumentStore, actor: Actor, client_id: str, *, now: datetime | None = None) -> dict:
    """Erase the client on request: events, assignments, portal links, pending reminders, webhook
    deliveries about the client (sent or not: they hold its scores) and the client record. The audit entry is written first and survives. Returns what was removed (counts).
    If interrupted, calling again finishes the deletion."""
    client = clients.client_for(store, actor, client_id)
    audit = _audit(store, actor, "client_deleted", client["id"], now)
    where = {"clinic_id": actor.clinic_id, "client_id": client["id"]}
    removed = {name: storage.collection(store, collection).delete_many(where) for name, collection in (
        ("events", storage.EVENTS), ("links", storage.TOKENS), ("reminders", storage.OUTBOX),
        ("assignments", storage.ASSIGNMENTS), ("webhook_deliveries", storage.DELIVERIES))}
    scope = TenantScope(storage.collection(store, storage.CLIENTS), actor.clinic_id)
    removed["client"] = int(scope.delete(client["id"]))
    return {"client_id": client["id"], "audit_id": audit["id"], "removed": removed}


# corrections ------------------------------------------------------------------------------
def _reason(reason) -> str:
    return plain_text(reason, "reason", max_len=500)


def withdraw_event(store: DocumentStore, actor: Actor, client_id: str, event_id: str, *, reason: str,
                   now: datetime | None = None) -> dict:
    """Withdraw a submission, rating, listening, score or risk flag recorded in error. The event
    stays in the timeline; projections leave it out."""
    client = clients.client_for(store, actor, client_id)
    return events.append_correction(store, actor.clinic_id, client["id"], event_id, actor=actor.user_id,
                                    reason=_reason(reason), now=now)


def review_risk_flag(store: DocumentStore, actor: Actor, client_id: str, event_id: str, *, note: str,
                     now: datetime | None = None) -> dict:
    """Close a risk flag on the dashboard once the practitioner has followed it up (a correction
    withdrawing the flag from the open list, with the practitioner's note as its reason)."""
    target = events.get_event(store, actor.clinic_id, event_id)
    if target is None or target["type"] != "risk_flagged" or target["client_id"] != client_id:
        raise NotFound("No such risk flag in this client's record.")
    return withdraw_event(store, actor, client_id, event_id, reason=f"Reviewed: {_reason(note)}", now=now)


def correct_measure(store: DocumentStore, actor: Actor, client_id: str, event_id: str, *, answers,
                    reason: str, taken_on=None, now: datetime | None = None) -> dict:
    """Replace a measure score (e.g. a paper form misread) by the score of the corrected answers."""
    client = clients.client_for(store, actor, client_id)
    target = events.get_event(store, actor.clinic_id, event_id)
    if target is None or target["type"] != "measure_scored" or target["client_id"] != client["id"]:
        raise NotFound("No such measure score in this client's record.")
    scored, _ = submission.score_answers(storage.measures()[target["data"]["measure"]], answers, None)
    day = storage.as_date(taken_on, "taken_on") if taken_on is not None else target["data"].get("taken_on")
    replacement = {**target["data"], **scored["score"].to_dict(), "answers": scored["answers"], "taken_on": day}
    return events.append_correction(store, actor.clinic_id, client["id"], event_id, actor=actor.user_id,
                                    reason=_reason(reason), replacement=replacement, now=now)

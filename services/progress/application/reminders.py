"""Reminders through an outbox (collection ``reminder_outbox``).

``due_reminders`` finds assignments due within 24 hours ('due_soon') or past due ('overdue') and
writes one outbox entry for each; an entry's id is derived from the assignment, the due date and the
kind, so each reminder is created once however often the scan runs. ``deliver`` hands pending
entries to a ``ReminderSender`` (in service: the log and the clinic's webhook subscriptions for
``assignment.due`` / ``assignment.overdue``, which sign, retry and log each attempt): it first
claims an entry with a compare-and-set, so two deliverers never send the same one, and marks it sent afterwards. An entry whose deliverer died
mid-send is claimed again after ``lease``; the entry id travels with it for the receiver to drop a
repeat. Entries and payloads hold ids, the kind and the due date only, never client content.
"""
from __future__ import annotations

import abc
import hashlib
import uuid
from datetime import datetime, timedelta

from interlude import clock
from interlude.errors import Conflict, NotFound
from interlude.logging import get_logger
from interlude.ports.documents import DocumentStore
from services.progress.application import events, storage, webhook_deliveries
from services.progress.domain import status
from services.progress.domain import webhooks as webhook_rules

log = get_logger(__name__)
KINDS = ("due_soon", "overdue")
PAYLOAD_FIELDS = ("id", "kind", "clinic_id", "client_id", "assignment_id", "due")


def reminder_id(assignment_id: str, due: str, kind: str) -> str:
    return "rem_" + hashlib.sha256(f"{assignment_id}\n{due}\n{kind}".encode()).hexdigest()[:40]


def due_reminders(store: DocumentStore, now: datetime | None = None) -> list[dict]:
    """Write outbox entries for every assignment (all clinics) now due soon or overdue and not yet
    reminded for that due date and kind; return the entries created by this call."""
    now = clock.utcnow(now)
    outbox, created = storage.collection(store, storage.OUTBOX), []
    by_client: dict[tuple[str, str], list[dict]] = {}
    for assignment in storage.collection(store, storage.ASSIGNMENTS).find(sort=[("created_at", 1)]):
        by_client.setdefault((assignment["clinic_id"], assignment["client_id"]), []).append(assignment)
    for (clinic_id, client_id), items in by_client.items():
        history = status.effective(events.client_events(store, clinic_id, client_id))
        for assignment in items:
            state = status.assignment_status(assignment, history, now)
            if state["status"] == "overdue":
                kind = "overdue"
            elif state["status"] in ("assigned", "opened", "draft") and \
                    now >= status.deadline(state["due"]) - status.REMIND_WINDOW:
                kind = "due_soon"
            else:
                continue
            entry = {"id": reminder_id(assignment["id"], state["due"], kind), "kind": kind,
                     "clinic_id": clinic_id, "client_id": client_id, "assignment_id": assignment["id"],
                     "due": state["due"], "status": "pending", "attempts": 0, "claim": None,
                     "claimed_at": None, "sent_at": None, "created_at": clock.iso(now)}
            try:
                created.append(outbox.insert(entry))
            except Conflict:
                continue   # already created for this due date and kind
    return created


class ReminderSender(abc.ABC):
    @abc.abstractmethod
    def send(self, reminder: dict) -> None:
        """Deliver one reminder (``PAYLOAD_FIELDS`` and ``sent_at``); raise if it was not delivered."""


class LogSender(ReminderSender):
    """The default: writes a log line with the ids only (a deployment with no partner)."""

    def send(self, reminder: dict) -> None:
        log.info("reminder_due", reminder_id=reminder["id"], kind=reminder["kind"],
                 clinic_id=reminder["clinic_id"], client_id=reminder["client_id"],
                 assignment_id=reminder["assignment_id"])


class WebhookQueueSender(LogSender):
    """Logs the reminder (ids only) and queues it as an ``assignment.due`` or ``assignment.overdue``
    webhook event for the clinic's subscriptions (webhook_deliveries: signed, retried, logged)."""

    def __init__(self, store: DocumentStore):
        self.store = store

    def send(self, reminder: dict) -> None:
        super().send(reminder)
        event_type = webhook_rules.ASSIGNMENT_OVERDUE if reminder["kind"] == "overdue" else webhook_rules.ASSIGNMENT_DUE
        webhook_deliveries.publish(self.store, reminder["clinic_id"], event_type, reminder["id"], {
            "client_id": reminder["client_id"], "assignment_id": reminder["assignment_id"], "due": reminder["due"],
            "reminder_id": reminder["id"]})


def deliver(store: DocumentStore, sender: ReminderSender, *, now: datetime | None = None, limit: int = 100,
            lease: timedelta = timedelta(minutes=15), max_attempts: int = 5) -> dict:
    """Send pending outbox entries; ``{"sent", "failed", "skipped"}`` counts. A failed send goes
    back to pending until ``max_attempts``, then stays 'failed'."""
    now = clock.utcnow(now)
    outbox, counts = storage.collection(store, storage.OUTBOX), {"sent": 0, "failed": 0, "skipped": 0}
    candidates = outbox.find({"status": "pending"}, sort=[("created_at", 1)], limit=limit) + outbox.find(
        {"status": "sending", "claimed_at": {"$lt": clock.iso(now - lease)}}, sort=[("created_at", 1)], limit=limit)
    for entry in candidates[:limit]:
        claim = uuid.uuid4().hex
        claimed = outbox.update(entry["id"], {"status": "sending", "claim": claim, "claimed_at": clock.iso(now)},
                                expect={"status": entry["status"], "claim": entry.get("claim")})
        if claimed is None:
            counts["skipped"] += 1   # another deliverer has it
            continue
        payload = {**{key: entry[key] for key in PAYLOAD_FIELDS}, "sent_at": clock.iso(now)}
        try:
            sender.send(payload)
        except Exception as exc:   # noqa: BLE001 - any failure of an adapter means "not delivered"
            attempts = entry.get("attempts", 0) + 1
            outbox.update(entry["id"], {"status": "failed" if attempts >= max_attempts else "pending",
                                        "attempts": attempts, "claim": None, "last_error": type(exc).__name__},
                          expect={"claim": claim})
            log.warning("reminder_not_delivered", reminder_id=entry["id"], attempts=attempts,
                        error=type(exc).__name__)
            counts["failed"] += 1
            continue
        outbox.update(entry["id"], {"status": "sent", "sent_at": clock.iso(now),
                                    "attempts": entry.get("attempts", 0) + 1}, expect={"claim": claim})
        try:
            events.append(store, entry["clinic_id"], entry["client_id"], "reminder_sent", actor="system",
                          data={"assignment_id": entry["assignment_id"], "kind": entry["kind"], "due": entry["due"],
                                "reminder_id": entry["id"]}, idempotency_key=entry["id"], now=now)
        except NotFound:
            pass   # the client's record was deleted meanwhile
        counts["sent"] += 1
    return counts


def send_due(store: DocumentStore, *, now: datetime | None = None) -> tuple[list[dict], dict]:
    """One pass, as the service's timer runs it every minute: create the reminders now due, then
    hand what is waiting to the log and to the clinic's webhook subscriptions."""
    created = due_reminders(store, now=now)
    return created, deliver(store, WebhookQueueSender(store), now=now)

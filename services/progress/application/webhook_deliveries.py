"""Webhook deliveries: the durable queue between an event and a partner (collection
``webhook_deliveries``).

``publish`` turns one event into one delivery per subscription of the clinic that wants it. A
delivery's id is derived from the subscription and the event's id, and the event's id from what
caused it, so an event announced twice (a redelivered message, a resubmitted form) makes one
delivery. The delivery holds the exact body to send, written once: retries and redeliveries send
the same bytes under the same ``webhook-id``.

``deliver_due`` is the relay (the progress service's timer runs it every second, on the embedded
store and on MongoDB alike): it claims each due delivery with a compare-and-set, so two relays
never send one together, POSTs it signed, logs the attempt (status code, duration, error; never
the body) and either marks it delivered or schedules the next attempt with exponential back-off.
A relay killed mid-send leaves its claim; after ``lease_seconds`` another relay takes it over. That
attempt may repeat one whose answer was lost: the unchanged ``webhook-id`` lets the receiver drop
it (at-least-once, as the Standard Webhooks specification expects).
"""
from __future__ import annotations

import abc
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from interlude import clock
from interlude.errors import Conflict
from interlude.logging import get_logger
from interlude.ports.documents import DocumentStore, TenantScope
from services.progress.application import storage
from services.progress.domain import webhooks as rules

log = get_logger(__name__)
MAX_LOG = 50   # attempts kept per delivery (the newest)


@dataclass(frozen=True)
class Attempt:
    status_code: int | None
    duration_ms: int
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class WebhookSender(abc.ABC):
    @abc.abstractmethod
    def post(self, url: str, headers: dict[str, str], body: str) -> Attempt:
        """POST ``body`` with ``headers``; report what happened (never raise for a failed attempt)."""


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: float = 30.0
    max_attempts: int = 8
    lease_seconds: float = 120.0

    @classmethod
    def from_settings(cls, settings) -> "RetryPolicy":
        return cls(base_seconds=settings.webhook_retry_base_seconds, max_attempts=settings.webhook_max_attempts,
                   lease_seconds=max(2 * settings.webhook_timeout_seconds + 10, 30.0))


def _deliveries(store: DocumentStore):
    return storage.collection(store, storage.DELIVERIES)


def publish(store: DocumentStore, clinic_id: str, event_type: str, key: str, data: dict, *,
            now: datetime | None = None) -> list[dict]:
    """Queue ``event_type`` (caused by ``key``: a submission id, a render job id, a reminder id)
    for every subscription of the clinic that wants it; the deliveries created by this call."""
    subscriptions = TenantScope(storage.collection(store, storage.WEBHOOKS), clinic_id).find()
    wanting = [s for s in subscriptions if rules.wants(s, event_type)]
    if not wanting:
        return []
    moment = clock.iso(clock.utcnow(now))
    event_id = rules.event_id(clinic_id, event_type, key)
    body = rules.body_bytes(rules.payload(event_type, moment, {**data, "clinic_id": clinic_id}))
    created = []
    for subscription in wanting:
        delivery = {"id": rules.delivery_id(subscription["id"], event_id), "clinic_id": clinic_id,
                    "subscription_id": subscription["id"], "event_id": event_id, "event_type": event_type,
                    "client_id": data.get("client_id"), "body": body, "status": "pending", "attempts": 0,
                    "next_attempt_at": moment, "claim": None, "claimed_at": None, "created_at": moment,
                    "delivered_at": None, "last_status_code": None, "last_error": None, "log": []}
        try:
            created.append(_deliveries(store).insert(delivery))
        except Conflict:
            continue   # this event was queued for this subscription already
    return created


def current_secrets(subscription: dict, now: datetime) -> list[str]:
    """The secrets to sign with: the current one, and the one rotated out while still honoured."""
    found = [subscription["secret"]]
    if subscription.get("previous_secret") and subscription.get("previous_until", "") > clock.iso(now):
        found.append(subscription["previous_secret"])
    return found


def deliver_due(store: DocumentStore, sender: WebhookSender, policy: RetryPolicy = RetryPolicy(), *,
                now: datetime | None = None, limit: int = 50, map_=map) -> dict:
    """One relay pass: attempt every delivery now due; ``{"delivered", "retrying", "failed", "skipped"}``.
    ``map_`` runs the attempts (the service passes a green pool's, so one slow receiver does not
    hold up the others; each attempt has its own claim)."""
    start = clock.utcnow(now)
    deliveries, counts = _deliveries(store), {"delivered": 0, "retrying": 0, "failed": 0, "skipped": 0}
    due = deliveries.find({"status": "pending", "next_attempt_at": {"$lte": clock.iso(start)}},
                          sort=[("next_attempt_at", 1)], limit=limit)
    stale = deliveries.find({"status": "sending",
                             "claimed_at": {"$lt": clock.iso(start - timedelta(seconds=policy.lease_seconds))}},
                            sort=[("claimed_at", 1)], limit=limit)
    for outcome in map_(lambda delivery: _attempt(store, sender, policy, delivery, now), (due + stale)[:limit]):
        counts[outcome] += 1
    return counts


def _attempt(store: DocumentStore, sender: WebhookSender, policy: RetryPolicy, delivery: dict,
             now: datetime | None) -> str:
    deliveries, claim, moment = _deliveries(store), uuid.uuid4().hex, clock.utcnow(now)
    claimed = deliveries.update(delivery["id"], {"status": "sending", "claim": claim, "claimed_at": clock.iso(moment)},
                                expect={"status": delivery["status"], "claim": delivery.get("claim")})
    if claimed is None:
        return "skipped"   # another relay has it
    subscription = storage.collection(store, storage.WEBHOOKS).get(delivery["subscription_id"])
    if subscription is None or not subscription.get("enabled", True):
        deliveries.update(delivery["id"], {"status": "cancelled", "claim": None,
                                           "last_error": "subscription deleted or disabled"}, expect={"claim": claim})
        return "skipped"
    headers = rules.signed_headers(current_secrets(subscription, moment), delivery["event_id"],
                                   int(moment.timestamp()), delivery["body"])
    attempt = sender.post(subscription["url"], headers, delivery["body"])
    attempts = claimed.get("attempts", 0) + 1
    finished = clock.utcnow(now)
    if attempt.ok:
        status, changes = "delivered", {"delivered_at": clock.iso(finished)}
    elif attempts >= policy.max_attempts or not rules.retryable(attempt.status_code):
        status, changes = "failed", {}
    else:
        wait = rules.retry_delay(attempts, policy.base_seconds)
        status, changes = "pending", {"next_attempt_at": clock.iso(finished + timedelta(seconds=wait))}
    entry = {"at": clock.iso(moment), "status_code": attempt.status_code, "duration_ms": attempt.duration_ms,
             "error": attempt.error, "outcome": status}
    deliveries.update(delivery["id"], {**changes, "status": status, "attempts": attempts, "claim": None,
                                       "last_status_code": attempt.status_code, "last_error": attempt.error,
                                       "log": (claimed.get("log") or [])[-(MAX_LOG - 1):] + [entry]},
                      expect={"claim": claim})
    log.info("webhook_attempt", delivery_id=delivery["id"], subscription_id=delivery["subscription_id"],
             event_id=delivery["event_id"], event_type=delivery["event_type"], attempt=attempts,
             status_code=attempt.status_code, duration_ms=attempt.duration_ms, error=attempt.error, outcome=status)
    return {"delivered": "delivered", "pending": "retrying", "failed": "failed"}[status]


def public_delivery(delivery: dict) -> dict:
    """A delivery as a clinic admin sees it: what was sent (ids only) and every attempt."""
    return {"id": delivery["id"], "subscription_id": delivery["subscription_id"], "event_id": delivery["event_id"],
            "event_type": delivery["event_type"], "status": delivery["status"], "attempts": delivery["attempts"],
            "next_attempt_at": delivery["next_attempt_at"] if delivery["status"] == "pending" else None,
            "created_at": delivery["created_at"], "delivered_at": delivery.get("delivered_at"),
            "last_status_code": delivery.get("last_status_code"), "last_error": delivery.get("last_error"),
            "payload": json.loads(delivery["body"]), "attempt_log": list(delivery.get("log") or [])}

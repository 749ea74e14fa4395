"""Webhook subscriptions of a clinic (collection ``webhook_subscriptions``), managed by its admins.

A subscription is a URL and the events it wants. Its signing secret is shown once, when it is
created or rotated; afterwards only its last four characters are. A rotated-out secret still
signs (as a second signature) for ``ROTATION_GRACE`` so the partner can switch without losing a
delivery. ``check_url`` is the address policy (services/progress/adapters/webhook_http.py): it
refuses non-http(s) URLs and, unless the deployment allows them, private and loopback hosts.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from interlude import clock
from interlude.actor import Actor
from interlude.errors import Conflict, InvalidInput, NotFound
from interlude.ports.documents import DocumentStore, TenantScope
from interlude.text import plain_text
from services.progress.application import storage
from services.progress.application.webhook_deliveries import public_delivery
from services.progress.domain import webhooks as rules

ROTATION_GRACE = timedelta(hours=24)
MAX_PER_CLINIC = 20
MAX_DELIVERIES_LISTED = 100
UrlCheck = Callable[[str], str]


def _scope(store: DocumentStore, actor: Actor) -> TenantScope:
    actor.require_role("clinic_admin")
    return TenantScope(storage.collection(store, storage.WEBHOOKS), actor.clinic_id)


def public_subscription(subscription: dict) -> dict:
    return {"id": subscription["id"], "url": subscription["url"], "events": list(subscription["events"]),
            "description": subscription.get("description") or "", "enabled": subscription.get("enabled", True),
            "secret_hint": "…" + subscription["secret"][-4:], "created_at": subscription["created_at"],
            "updated_at": subscription.get("updated_at")}


def _url(check_url: UrlCheck, value) -> str:
    try:
        return check_url(value)
    except rules.BadWebhookUrl as exc:
        raise InvalidInput(str(exc)) from None


def _events(value) -> list[str]:
    try:
        return rules.clean_events(value)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def _description(value) -> str:
    return plain_text(value, "description", max_len=200, required=False) or ""


def _enabled(value) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput("enabled must be true or false.")
    return value


def create(store: DocumentStore, actor: Actor, form: dict, check_url: UrlCheck, *,
           request_key: str | None = None, now: datetime | None = None) -> dict:
    """A new subscription; the answer carries ``secret``, shown this once."""
    scope = _scope(store, actor)
    subscription_id = storage.keyed_id("whs", actor.clinic_id, request_key)
    if request_key and (existing := scope.get(subscription_id)) is not None:
        return {**public_subscription(existing), "secret": existing["secret"]}   # the same request again
    if scope.count() >= MAX_PER_CLINIC:
        raise Conflict(f"A clinic has at most {MAX_PER_CLINIC} webhook subscriptions: delete one first.")
    moment = clock.iso(clock.utcnow(now))
    subscription = {"id": subscription_id, "url": _url(check_url, form.get("url")),
                    "events": _events(form.get("events")), "description": _description(form.get("description")),
                    "enabled": _enabled(form.get("enabled", True)), "secret": rules.new_secret(),
                    "previous_secret": None, "previous_until": None, "created_at": moment,
                    "created_by": actor.user_id, "updated_at": moment}
    scope.insert(subscription)
    return {**public_subscription(subscription), "secret": subscription["secret"]}


def list_subscriptions(store: DocumentStore, actor: Actor) -> list[dict]:
    return [public_subscription(s) for s in _scope(store, actor).find(sort=[("created_at", 1)])]


def _get(store: DocumentStore, actor: Actor, subscription_id) -> dict:
    found = _scope(store, actor).get(subscription_id) if isinstance(subscription_id, str) else None
    if found is None:
        raise NotFound("No such webhook subscription in this clinic.")
    return found


def get(store: DocumentStore, actor: Actor, subscription_id: str) -> dict:
    return public_subscription(_get(store, actor, subscription_id))


def update(store: DocumentStore, actor: Actor, subscription_id: str, changes: dict, check_url: UrlCheck, *,
           now: datetime | None = None) -> dict:
    _get(store, actor, subscription_id)
    unknown = sorted(set(changes) - {"url", "events", "description", "enabled"})
    if unknown:
        raise InvalidInput(f"{unknown[0]} cannot be changed; use url, events, description or enabled.")
    cleaned = {}
    if "url" in changes:
        cleaned["url"] = _url(check_url, changes["url"])
    if "events" in changes:
        cleaned["events"] = _events(changes["events"])
    if "description" in changes:
        cleaned["description"] = _description(changes["description"])
    if "enabled" in changes:
        cleaned["enabled"] = _enabled(changes["enabled"])
    cleaned["updated_at"] = clock.iso(clock.utcnow(now))
    return public_subscription(_scope(store, actor).update(subscription_id, cleaned))


def rotate_secret(store: DocumentStore, actor: Actor, subscription_id: str, *, now: datetime | None = None) -> dict:
    """A new secret, shown this once; the old one keeps signing alongside it for ROTATION_GRACE."""
    current = _get(store, actor, subscription_id)
    moment = clock.utcnow(now)
    rotated = _scope(store, actor).update(subscription_id, {
        "secret": rules.new_secret(), "previous_secret": current["secret"],
        "previous_until": clock.iso(moment + ROTATION_GRACE), "updated_at": clock.iso(moment)})
    return {**public_subscription(rotated), "secret": rotated["secret"], "previous_valid_until": rotated["previous_until"]}


def delete(store: DocumentStore, actor: Actor, subscription_id: str) -> dict:
    """Remove the subscription; its deliveries not yet made are dropped with it (the log stays)."""
    _get(store, actor, subscription_id)
    _scope(store, actor).delete(subscription_id)
    dropped = storage.collection(store, storage.DELIVERIES).delete_many(
        {"subscription_id": subscription_id, "status": "pending"})
    return {"deleted": subscription_id, "pending_dropped": dropped}


def deliveries(store: DocumentStore, actor: Actor, subscription_id: str, *, limit: int = 50) -> list[dict]:
    """The subscription's deliveries, newest first, each with its attempts."""
    _get(store, actor, subscription_id)
    limit = max(1, min(int(limit), MAX_DELIVERIES_LISTED))
    found = TenantScope(storage.collection(store, storage.DELIVERIES), actor.clinic_id).find(
        {"subscription_id": subscription_id}, sort=[("created_at", -1)], limit=limit)
    return [public_delivery(d) for d in found]


def redeliver(store: DocumentStore, actor: Actor, subscription_id: str, delivery_id: str, *,
              now: datetime | None = None) -> dict:
    """Send a delivery again (same body, same ``webhook-id``) with a fresh round of attempts."""
    subscription = _get(store, actor, subscription_id)
    scope = TenantScope(storage.collection(store, storage.DELIVERIES), actor.clinic_id)
    delivery = scope.get(delivery_id) if isinstance(delivery_id, str) else None
    if delivery is None or delivery["subscription_id"] != subscription_id:
        raise NotFound("No such delivery of this webhook subscription.")
    if not subscription.get("enabled", True):
        raise Conflict("This subscription is disabled: enable it first.")
    if delivery["status"] == "sending":
        raise Conflict("This delivery is being attempted right now; see its attempts in a moment.")
    requeued = scope.update(delivery_id, {"status": "pending", "attempts": 0, "claim": None,
                                          "next_attempt_at": clock.iso(clock.utcnow(now))},
                            expect={"status": delivery["status"]})
    if requeued is None:
        raise Conflict("This delivery changed meanwhile; try again.")
    return public_delivery(requeued)

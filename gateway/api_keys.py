"""API keys: how a partner (an EHR, an app) calls the API for one clinic without a person's login.

A clinic admin creates a key with scopes; its secret (``ilk_`` + 43 random characters) is shown
once and only its SHA-256 is stored (interlude/hashing.py), like session tokens. Rotating gives
the key a new secret and the old one stops at once; revoking ends the key (it stays listed).
The partner sends ``Authorization: Bearer ilk_...``.

Which scopes an operation needs is written once, in gateway/openapi.yaml: an operation lists
``apiKey: [scope]`` among its security requirements (any one of them suffices); an operation
that lists none is for logged-in people only. A key acts as ``Actor(user_id=<key id>,
clinic_id=<its clinic>, role="clinic_admin")``: it reaches all of its clinic's clients, as the
admin who made it does, but only through the operations its scopes open. The services' own
rules still hold (another clinic's records are not found; what a key creates is recorded as
created by the key).
"""
from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

from interlude import clock
from interlude.actor import Actor
from interlude.errors import Forbidden, InvalidInput, NotFound, Unauthenticated
from interlude.hashing import token_digest
from interlude.ports.documents import DocumentStore

SECRET_PREFIX = "ilk_"
KEY_ROLE = "clinic_admin"
SCOPES = {
    "catalogue:read": "Read the catalogue: tools, their PDFs and audio, the taxonomy, search, scoring a measure.",
    "clients:write": "Manage clients and their assignments: create, read, update, assign, issue and revoke links.",
    "progress:read": "Read clients' progress: timelines, measure series, exports, the dashboard.",
    "workbooks:write": "Manage workbooks: plan, create, read, edit, render and download editions.",
}
MAX_PER_MINUTE = 100_000
LAST_USED_EVERY = timedelta(minutes=1)   # last use is kept to the minute: no write on every request


def is_api_key(token: str | None) -> bool:
    return bool(token) and token.startswith(SECRET_PREFIX)


def public_key(key: dict) -> dict:
    """What a key's listing shows: never the secret nor its hash."""
    return {field: key.get(field) for field in (
        "id", "name", "scopes", "prefix", "requests_per_minute", "created_at", "created_by",
        "last_used_at", "rotated_at", "revoked_at")}


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _clean_scopes(scopes) -> list[str]:
    if not isinstance(scopes, list) or not scopes:
        raise InvalidInput(f"scopes: give a list of one or more of {', '.join(SCOPES)}.")
    unknown = [str(s) for s in scopes if s not in SCOPES]
    if unknown:
        raise InvalidInput(f"scopes: {', '.join(unknown)} is not a scope; use {', '.join(SCOPES)}.")
    return sorted(set(scopes))


def _clean_name(name) -> str:
    name = " ".join(str(name or "").split())
    if not 1 <= len(name) <= 80:
        raise InvalidInput("name: give the key a name of 1 to 80 characters (who or what uses it).")
    return name


def _clean_limit(value, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PER_MINUTE:
        raise InvalidInput(f"requests_per_minute: use a whole number from 1 to {MAX_PER_MINUTE}.")
    return value


def ensure_indexes(store: DocumentStore) -> None:
    keys = store.collection("api_keys")
    keys.ensure_index(["secret_digest"], unique=True)
    keys.ensure_index(["clinic_id"])


class ApiKeys:
    def __init__(self, store: DocumentStore, default_per_minute: int = 600):
        self.keys = store.collection("api_keys")
        self.default_per_minute = default_per_minute

    # a clinic admin's management --------------------------------------------------------
    def create(self, actor: Actor, name, scopes, requests_per_minute=None) -> tuple[dict, str]:
        actor.require_role("clinic_admin")
        secret = _new_secret()
        key = {"id": f"key_{uuid.uuid4().hex[:16]}", "clinic_id": actor.clinic_id, "name": _clean_name(name),
               "scopes": _clean_scopes(scopes), "prefix": secret[:8],
               "requests_per_minute": _clean_limit(requests_per_minute, self.default_per_minute),
               "secret_digest": token_digest(secret), "created_at": clock.iso(), "created_by": actor.user_id,
               "last_used_at": None, "rotated_at": None, "revoked_at": None}
        self.keys.insert(key)
        return public_key(key), secret

    def list(self, actor: Actor) -> list[dict]:
        actor.require_role("clinic_admin")
        return [public_key(k) for k in self.keys.find({"clinic_id": actor.clinic_id}, sort=[("created_at", -1)])]

    def _own_key(self, actor: Actor, key_id) -> dict:
        actor.require_role("clinic_admin")
        key = self.keys.get(str(key_id or ""))
        if key is None or key["clinic_id"] != actor.clinic_id:
            raise NotFound(f"key_id: your clinic has no API key {key_id!r}.")
        return key

    def rotate(self, actor: Actor, key_id) -> tuple[dict, str]:
        """A new secret for the key; the old one stops working now."""
        key = self._own_key(actor, key_id)
        if key["revoked_at"]:
            raise InvalidInput("key_id: this key was revoked; create a new one instead.")
        secret = _new_secret()
        changes = {"secret_digest": token_digest(secret), "prefix": secret[:8], "rotated_at": clock.iso()}
        self.keys.update(key["id"], changes)
        return public_key({**key, **changes}), secret

    def revoke(self, actor: Actor, key_id) -> dict:
        key = self._own_key(actor, key_id)
        if not key["revoked_at"]:
            key["revoked_at"] = clock.iso()
            self.keys.update(key["id"], {"revoked_at": key["revoked_at"]})
        return public_key(key)

    # a partner's request ------------------------------------------------------------------
    def resolve(self, secret: str) -> dict:
        """The live key with this secret, or Unauthenticated (unknown, rotated away or revoked)."""
        found = self.keys.find({"secret_digest": token_digest(secret)}, limit=1)
        if not found:
            raise Unauthenticated("This API key is not valid (it may have been rotated): "
                                  "ask your clinic admin for the current one.")
        key = found[0]
        if key["revoked_at"]:
            raise Unauthenticated("This API key was revoked: ask your clinic admin for a new one.")
        return key

    @staticmethod
    def authorise(key: dict, allowed: tuple[frozenset[str], ...], operation: str) -> Actor:
        """The key's actor if its scopes open ``operation`` (one of the ``allowed`` scope sets)."""
        if not allowed:
            raise Forbidden(f"API keys cannot call {operation}: it needs a logged-in user.")
        if not any(needed <= set(key["scopes"]) for needed in allowed):
            wanted = " or ".join(" and ".join(sorted(needed)) for needed in allowed)
            raise Forbidden(f"This API key lacks the scope {wanted} that {operation} needs.")
        return Actor(user_id=key["id"], clinic_id=key["clinic_id"], role=KEY_ROLE)

    def used(self, key: dict, *, now: datetime | None = None) -> None:
        """Record the key's last use, at most once a minute."""
        now = clock.utcnow(now)
        last = key.get("last_used_at")
        if last is None or clock.parse_iso(last) + LAST_USED_EVERY <= now:
            self.keys.update(key["id"], {"last_used_at": clock.iso(now)})

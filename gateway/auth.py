"""Resolve the caller of an HTTP request: a bearer token (partners, scripts), an API key sent as a
bearer token (``ilk_...``, gateway/api_keys.py), or the session cookie (web app). Each worker gets
a small wrapper over the identity store."""
from __future__ import annotations

from nameko.extensions import DependencyProvider

from gateway import rate_limits
from gateway.api_keys import ApiKeys, is_api_key
from gateway.api_keys import ensure_indexes as ensure_key_indexes
from gateway.identity import Identity, ensure_indexes
from interlude import errors, wiring
from interlude.actor import Actor
from interlude.logging import get_logger
from interlude.nameko_deps import settings_of

log = get_logger(__name__)

COOKIE = "interlude_session"


def bearer_token(request) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def bearer_or_cookie(request) -> str | None:
    return bearer_token(request) or request.cookies.get(COOKIE) or None


class Authenticator:
    """Who is calling, and identity itself for the handlers that manage it (one per container)."""

    def __init__(self, identity: Identity, keys: ApiKeys, limits: rate_limits.RateLimits):
        self.identity = identity
        self.keys = keys
        self.limits = limits

    def actor(self, request) -> Actor:
        token = bearer_token(request)
        if is_api_key(token):   # only in the Authorization header: a cookie is never a key
            return self._key_actor(request, token)
        return self.identity.resolve(bearer_or_cookie(request))

    def actor_dict(self, request) -> dict:
        return self.actor(request).to_dict()

    def _key_actor(self, request, secret: str) -> Actor:
        from gateway.entrypoints import operation_of   # entrypoints' routes import this module
        key = self.keys.resolve(secret)
        try:
            self.limits.hit(key["id"], key["requests_per_minute"])
        except errors.TooManyRequests as refused:   # the key's id, never its secret
            log.warning("api_key_rate_limited", key_id=key["id"], clinic_id=key["clinic_id"],
                        retry_after=refused.retry_after)
            raise
        try:
            operation = operation_of(request.method, request.path)
        except errors.InterludeError:   # a web page, or a path the API document does not list
            raise errors.Forbidden(f"API keys cannot call {request.path}: use the /api/v1 operations.") from None
        actor = self.keys.authorise(key, operation.key_scopes, f"{request.method} {request.path}")
        self.keys.used(key)
        return actor


class Auth(DependencyProvider):
    def setup(self):
        settings = settings_of(self.container)
        self.store = wiring.documents(settings)
        ensure_indexes(self.store)   # once, at start: never on a request's path
        ensure_key_indexes(self.store)
        self.identity = Identity(self.store)
        self.keys = ApiKeys(self.store, settings.api_key_requests_per_minute)
        self.limits = rate_limits.from_settings(settings)

    def stop(self):
        self.limits.close()
        self.store.close()

    def get_dependency(self, worker_ctx):
        return Authenticator(self.identity, self.keys, self.limits)

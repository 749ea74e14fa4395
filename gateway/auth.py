"""Resolve the caller of an HTTP request: a bearer token (partners, scripts) or the session
cookie (web app). Each worker gets a small wrapper over the identity store."""
from __future__ import annotations

from nameko.extensions import DependencyProvider

from gateway.identity import Identity, ensure_indexes
from interlude import wiring
from interlude.actor import Actor
from interlude.nameko_deps import settings_of

COOKIE = "interlude_session"


def bearer_or_cookie(request) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.cookies.get(COOKIE) or None


class Authenticator:
    """Who is calling, and identity itself for the handlers that manage it (one per container)."""

    def __init__(self, identity: Identity):
        self.identity = identity

    def actor(self, request) -> Actor:
        return self.identity.resolve(bearer_or_cookie(request))

    def actor_dict(self, request) -> dict:
        return self.actor(request).to_dict()


class Auth(DependencyProvider):
    def setup(self):
        self.store = wiring.documents(settings_of(self.container))
        ensure_indexes(self.store)   # once, at start: never on a request's path
        self.identity = Identity(self.store)

    def stop(self):
        self.store.close()

    def get_dependency(self, worker_ctx):
        return Authenticator(self.identity)

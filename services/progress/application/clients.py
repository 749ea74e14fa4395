"""Clients: people a practitioner helps. Only a display name or pseudonym is required; contact
details are kept only when the practitioner chooses to enter them.

Access: a practitioner reaches their own clients; a clinic admin reaches every client of the clinic.
A client outside that reach is simply not found (the answer never reveals that it exists).
"""
from __future__ import annotations

import re
from datetime import datetime

from interlude import clock
from interlude.actor import Actor
from interlude.emails import normalise_email
from interlude.errors import Conflict, Forbidden, InvalidInput, NotFound
from interlude.ports.documents import DocumentStore, TenantScope
from interlude.text import plain_text
from services.progress.application import events, storage

MAX_NAME = 60
_PHONE = re.compile(r"^\+?[0-9 ().-]{6,32}$")
PUBLIC_FIELDS = ("id", "clinic_id", "practitioner_id", "display_name", "email", "phone", "language",
                 "created_at", "created_by")
# The languages the client portal speaks (its wording: gateway/web/translations, domain "portal");
# the practitioner chooses one per client. A client recorded before this setting reads "en".
LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"


def _scope(store: DocumentStore, clinic_id: str) -> TenantScope:
    return TenantScope(storage.collection(store, storage.CLIENTS), clinic_id)


def public_client(client: dict) -> dict:
    """The client as callers see it (without the record's internal counters)."""
    return {**{key: client.get(key) for key in PUBLIC_FIELDS}, "language": language_of(client)}


def language_of(client: dict) -> str:
    return client.get("language") or DEFAULT_LANGUAGE


def clean_language(value) -> str:
    if value is None or value == "":
        return DEFAULT_LANGUAGE
    if value not in LANGUAGES:
        raise InvalidInput(f"language must be one of {', '.join(LANGUAGES)}.")
    return value


def clean_email(value) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    cleaned = normalise_email(value)
    if cleaned is None:
        raise InvalidInput("email must be an address like name@example.org.")
    return cleaned


def clean_phone(value) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = value.strip() if isinstance(value, str) else ""
    digits = sum(ch.isdigit() for ch in text)
    if not _PHONE.match(text) or not 6 <= digits <= 15:
        raise InvalidInput("phone must be a telephone number of 6-15 digits, e.g. +44 20 7946 0000.")
    return text


def _practitioner(actor: Actor, practitioner_id) -> str:
    """Whose client this is: the acting practitioner, or for a clinic admin another user of the
    clinic. Users are identity's (the gateway's): it checks that the user belongs to the clinic
    before it asks, so this service never reads them."""
    if practitioner_id in (None, actor.user_id):
        return actor.user_id
    actor.require_role("clinic_admin")
    return storage.identifier(practitioner_id, "practitioner_id")


def create_client(store: DocumentStore, actor: Actor, *, display_name: str, email: str | None = None,
                  phone: str | None = None, practitioner_id: str | None = None, language: str | None = None,
                  request_key: str | None = None, now: datetime | None = None) -> dict:
    """A new client, recorded with a ``client_created`` event. Returns the public client.
    ``request_key``: the same key again (a redelivered request) returns the client it created."""
    at = clock.iso(clock.utcnow(now))
    client = {"id": storage.keyed_id("cli", actor.clinic_id, request_key),
              "practitioner_id": _practitioner(actor, practitioner_id),
              "display_name": plain_text(display_name, "display_name", max_len=MAX_NAME),
              "email": clean_email(email), "phone": clean_phone(phone), "language": clean_language(language),
              "created_at": at,
              "created_by": actor.user_id, "event_seq": 0}
    try:
        client = _scope(store, actor.clinic_id).insert(client)
    except Conflict:
        client = _scope(store, actor.clinic_id).get(client["id"]) if request_key is not None else None
        if client is None or client["created_by"] != actor.user_id:
            raise Conflict("This request key was already used for another request.") from None
    events.append(store, actor.clinic_id, client["id"], "client_created", actor=actor.user_id,
                  data={"practitioner_id": client["practitioner_id"]}, idempotency_key="client_created", now=now)
    return public_client(client)


def client_for(store: DocumentStore, actor: Actor, client_id: str) -> dict:
    """The client if ``actor`` may reach it (its practitioner, or an admin of its clinic)."""
    client = _scope(store, actor.clinic_id).get(client_id) if isinstance(client_id, str) else None
    if client is None or (actor.role != "clinic_admin" and client["practitioner_id"] != actor.user_id):
        raise NotFound("No such client.")
    return client


def get_client(store: DocumentStore, actor: Actor, client_id: str) -> dict:
    return public_client(client_for(store, actor, client_id))


def list_clients(store: DocumentStore, actor: Actor, *, practitioner_id: str | None = None) -> list[dict]:
    """A practitioner's own clients; a clinic admin sees all, or one practitioner's."""
    if actor.role != "clinic_admin":
        if practitioner_id not in (None, actor.user_id):
            raise Forbidden("Only a clinic admin can list another practitioner's clients.")
        practitioner_id = actor.user_id
    where = {"practitioner_id": practitioner_id} if practitioner_id else {}
    found = _scope(store, actor.clinic_id).find(where, sort=[("display_name", 1)])
    return [public_client(client) for client in found]


def update_client(store: DocumentStore, actor: Actor, client_id: str, changes: dict) -> dict:
    """Change ``display_name``, ``email``, ``phone`` (None or '' removes it), ``language`` (the
    portal's: en or es) or, for a clinic admin, ``practitioner_id``."""
    client = client_for(store, actor, client_id)
    if not isinstance(changes, dict) or not changes:
        raise InvalidInput("changes must name at least one of display_name, email, phone, language, "
                           "practitioner_id.")
    if unknown := set(changes) - {"display_name", "email", "phone", "language", "practitioner_id"}:
        raise InvalidInput(f"Cannot change {', '.join(sorted(unknown))}.")
    cleaned = {}
    if "display_name" in changes:
        cleaned["display_name"] = plain_text(changes["display_name"], "display_name", max_len=MAX_NAME)
    if "email" in changes:
        cleaned["email"] = clean_email(changes["email"])
    if "phone" in changes:
        cleaned["phone"] = clean_phone(changes["phone"])
    if "language" in changes:
        cleaned["language"] = clean_language(changes["language"])
    if "practitioner_id" in changes:
        actor.require_role("clinic_admin")
        cleaned["practitioner_id"] = _practitioner(actor, changes["practitioner_id"])
    updated = _scope(store, actor.clinic_id).update(client["id"], cleaned)
    if updated is None:
        raise Conflict("The client was removed meanwhile.")
    return public_client(updated)


def require_client(store: DocumentStore, clinic_id: str, client_id: str) -> dict:
    """The client of this clinic (for the portal and system paths, which have no acting user)."""
    client = _scope(store, clinic_id).get(client_id)
    if client is None:
        raise NotFound("No such client.")
    return client

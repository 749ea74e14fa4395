"""Version stamps of what the catalogue's reads are computed from: the published catalogue, and
each clinic's own tools.

Every write that changes one bumps its stamp in the documents store *after* the change, so a
reader that reads the stamp first and the data second never labels older data with a newer stamp,
whichever process wrote (the CLI's `catalog build`, another catalog service instance). A stamp
carries a random generation besides its counter: a store rebuilt from nothing starts again at 1,
and an ETag a browser kept from the old store must not match the new one.
"""
from __future__ import annotations

import uuid

from interlude.errors import Conflict, NotFound
from interlude.ports.documents import DocumentStore

COLLECTION = "catalogue_versions"
CATALOGUE = "catalogue"


def clinic_key(clinic_id: str) -> str:
    return f"clinic:{clinic_id}"


def current(store: DocumentStore, key: str) -> str:
    """The stamp as text, e.g. ``"3f2a…:12"``; created (counter 0) if nothing stamped it yet."""
    versions = store.collection(COLLECTION)
    doc = versions.get(key)
    if doc is None:
        try:
            doc = versions.insert({"id": key, "generation": uuid.uuid4().hex[:12], "counter": 0})
        except Conflict:      # another reader created it meanwhile
            doc = versions.get(key)
    return f"{doc['generation']}:{doc['counter']}"


def bump(store: DocumentStore, key: str) -> None:
    """Record that what ``key`` stands for has changed."""
    versions = store.collection(COLLECTION)
    try:
        versions.increment(key, "counter")
    except NotFound:
        current(store, key)
        versions.increment(key, "counter")

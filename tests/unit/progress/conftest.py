"""Fixtures for the progress domain: the real SQLite documents adapter in tmp_path, two clinics,
a fixed clock."""
from datetime import datetime, timedelta, timezone

import pytest

from interlude.actor import Actor
from interlude.adapters.sqlite_documents import SqliteDocumentStore
from services.progress.application import assignments, clients, storage

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)   # a Monday morning, UTC


def at(days: float = 0, hours: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


@pytest.fixture
def store(tmp_path):
    documents = SqliteDocumentStore(tmp_path / "docs.db")
    storage.ensure_indexes(documents)
    yield documents
    documents.close()


@pytest.fixture
def alice():
    return Actor("usr_alice", "cln_a", "practitioner")


@pytest.fixture
def bob():
    """Another practitioner of the same clinic."""
    return Actor("usr_bob", "cln_a", "practitioner")


@pytest.fixture
def admin():
    return Actor("usr_admin", "cln_a", "clinic_admin")


@pytest.fixture
def carol():
    """A practitioner of another clinic."""
    return Actor("usr_carol", "cln_b", "practitioner")


def new_client(store, actor, name="Sam"):
    return clients.create_client(store, actor, display_name=name, now=T0)


def new_assignment(store, actor, client_id, **kwargs):
    kwargs.setdefault("due", "2026-03-06")
    if not {"tool_id", "chapter", "measure"} & set(kwargs):
        kwargs["tool_id"] = "thought-record"
    return assignments.assign(store, actor, client_id, now=kwargs.pop("now", T0), **kwargs)

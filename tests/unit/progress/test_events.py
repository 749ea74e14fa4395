"""The event store: append-only, atomic per-client sequence, idempotent appends, corrections."""
import inspect
import re
from pathlib import Path

import eventlet.patcher
import pytest

from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.errors import Conflict, InvalidInput, NotFound
from services.progress.application import events, records, storage

from .conftest import T0, new_client

DOMAIN = Path(events.__file__).parent
# Real OS threads: the test session runs monkey-patched by eventlet, whose green threads would
# take turns and never race.
real_threading = eventlet.patcher.original("threading")


def test_events_module_can_only_add():
    public = {name for name, value in vars(events).items()
              if inspect.isfunction(value) and not name.startswith("_") and value.__module__ == events.__name__}
    assert public == {"append", "append_correction", "client_events", "events_of_clients", "get_event",
                      "event_id_for"}
    assert not [name for name in public if re.search(r"update|delete|remove|edit|set|change|replace", name)]


def test_no_module_changes_or_removes_events_except_the_erasure():
    for path in DOMAIN.glob("*.py"):
        source = path.read_text()
        writes = re.findall(r"collection\(store, storage\.EVENTS\)\.(update|delete|delete_many|increment)", source)
        assert not writes, path.name
        if path.name not in ("events.py", "records.py", "storage.py"):
            assert "storage.EVENTS" not in source, f"{path.name} reaches the event collection directly"
    assert not re.search(r"\.(update|delete|delete_many)\(", (DOMAIN / "events.py").read_text())
    # the one deletion of events is the erasure of a whole client on request
    assert "storage.EVENTS" in inspect.getsource(records.delete_client)


def test_append_records_the_event_in_order(store, alice):
    client = new_client(store, alice)
    first = events.append(store, "cln_a", client["id"], "opened", actor="client", data={"assignment_id": "a"}, now=T0)
    assert first["seq"] == 2 and first["at"] == "2026-03-02T09:00:00.000000+00:00"
    history = events.client_events(store, "cln_a", client["id"])
    assert [(e["seq"], e["type"]) for e in history] == [(1, "client_created"), (2, "opened")]
    assert set(first) == {"id", "clinic_id", "client_id", "seq", "type", "at", "actor", "data"}


def test_append_refuses_unknown_types_and_other_clinics(store, alice):
    client = new_client(store, alice)
    with pytest.raises(InvalidInput):
        events.append(store, "cln_a", client["id"], "rewritten", actor="system")
    with pytest.raises(NotFound):
        events.append(store, "cln_b", client["id"], "opened", actor="client")
    with pytest.raises(InvalidInput):
        events.append(store, "cln_a", client["id"], "opened", actor="client", data={"x": object()})


def test_seq_is_atomic_under_concurrent_appends(tmp_path, alice):
    path = tmp_path / "shared.db"
    setup = SqliteDocumentStore(path)
    storage.ensure_indexes(setup)
    client = new_client(setup, alice)
    threads, per_thread, errors = 8, 25, []

    def work():
        own = SqliteDocumentStore(path)   # one connection each, as separate service processes would
        try:
            for _ in range(per_thread):
                events.append(own, "cln_a", client["id"], "audio_played", actor="client", data={"seconds": 1})
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            own.close()

    workers = [real_threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not errors
    seqs = [e["seq"] for e in events.client_events(setup, "cln_a", client["id"])]
    assert seqs == list(range(1, threads * per_thread + 2))
    setup.close()


def test_the_unique_index_backs_the_sequence(store, alice):
    client = new_client(store, alice)
    event = events.append(store, "cln_a", client["id"], "opened", actor="client")
    with pytest.raises(Conflict):
        storage.collection(store, storage.EVENTS).insert({**event, "id": "evt_other"})


def test_an_idempotency_key_appends_once(store, alice):
    client = new_client(store, alice)
    first = events.append(store, "cln_a", client["id"], "submitted", actor="client",
                          data={"n": 1}, idempotency_key="sub-1")
    again = events.append(store, "cln_a", client["id"], "submitted", actor="client",
                          data={"n": 1}, idempotency_key="sub-1")
    assert again == first
    assert events.client_events(store, "cln_a", client["id"], types=["submitted"]) == [first]
    with pytest.raises(Conflict):
        events.append(store, "cln_a", client["id"], "rated", actor="client", idempotency_key="sub-1")


def test_the_same_key_in_another_client_is_another_event(store, alice):
    one, two = new_client(store, alice, "One"), new_client(store, alice, "Two")
    a = events.append(store, "cln_a", one["id"], "submitted", actor="client", idempotency_key="k")
    b = events.append(store, "cln_a", two["id"], "submitted", actor="client", idempotency_key="k")
    assert a["id"] != b["id"] and b["client_id"] == two["id"]


def test_a_correction_is_appended_and_the_original_kept(store, alice):
    client = new_client(store, alice)
    rated = events.append(store, "cln_a", client["id"], "rated", actor="client", data={"rating": 1})
    correction = records.withdraw_event(store, alice, client["id"], rated["id"], reason="Pressed by mistake")
    history = events.client_events(store, "cln_a", client["id"])
    assert [e["type"] for e in history] == ["client_created", "rated", "correction"]
    assert history[1] == rated
    assert correction["data"]["corrects"] == rated["id"] and correction["seq"] == rated["seq"] + 1


def test_only_some_events_can_be_corrected(store, alice):
    client = new_client(store, alice)
    created = events.client_events(store, "cln_a", client["id"])[0]
    with pytest.raises(InvalidInput):
        events.append_correction(store, "cln_a", client["id"], created["id"], actor="usr_alice", reason="x")
    rated = events.append(store, "cln_a", client["id"], "rated", actor="client", data={"rating": 2})
    with pytest.raises(InvalidInput):
        events.append_correction(store, "cln_a", client["id"], rated["id"], actor="usr_alice", reason="x",
                                 replacement={"rating": 5})
    with pytest.raises(NotFound):
        events.append_correction(store, "cln_b", client["id"], rated["id"], actor="usr_carol", reason="x")

"""Export and deletion of a client's record, both in an audit trail that holds no content and
outlives the deletion."""
import json

import pytest

from interlude.hashing import token_digest
from interlude.actor import Actor
from interlude.errors import Forbidden, NotFound
from services.progress.application import audit, events, portal, records, reminders, storage

from .conftest import at, new_assignment, new_client


def busy_client(store, actor, name="Sam"):
    client = new_client(store, actor, name)
    made = new_assignment(store, actor, client["id"], measure="phq9", due="2026-03-03")
    portal.submit(store, made["link"]["token"], answers=[1, 1, 1, 1, 1, 1, 1, 1, 1], now=at(0, 1))
    new_assignment(store, actor, client["id"], tool_id="worry-time", due="2026-03-03", now=at(0, 2))
    reminders.due_reminders(store, now=at(3))
    return client, made


def test_export_is_the_whole_record(store, alice, admin):
    client, made = busy_client(store, alice)
    record = records.export_client(store, alice, client["id"], now=at(4))
    assert record["format"] == "interlude.client-record" and record["client"]["display_name"] == "Sam"
    assert [a["id"] for a in record["assignments"]][0] == made["assignment"]["id"]
    assert [e["type"] for e in record["events"]] == [
        "client_created", "assigned", "submitted", "measure_scored", "risk_flagged", "assigned", "record_exported"]
    text = json.dumps(record)
    assert made["link"]["token"] not in text and token_digest(made["link"]["token"]) not in text
    trail = audit.query(store, admin, {"client_id": client["id"]})["entries"]
    assert [(e["action"], e["user_id"]) for e in trail] == [("record_exported", "usr_alice")]
    assert "Sam" not in json.dumps(trail) and "answers" not in json.dumps(trail)


def test_deletion_removes_everything_and_the_audit_entry_survives(store, alice, admin):
    client, made = busy_client(store, alice)
    other, _ = busy_client(store, alice, "Kim")
    before = {name: storage.collection(store, name).count({"client_id": other["id"]})
              for name in (storage.EVENTS, storage.ASSIGNMENTS, storage.TOKENS, storage.OUTBOX)}
    done = records.delete_client(store, alice, client["id"], now=at(5))
    assert done["removed"]["client"] == 1 and done["removed"]["events"] == 6 and done["removed"]["assignments"] == 2
    assert done["removed"]["links"] == 2 and done["removed"]["reminders"] == 1
    for name in (storage.EVENTS, storage.ASSIGNMENTS, storage.TOKENS, storage.OUTBOX):
        assert storage.collection(store, name).count({"client_id": client["id"]}) == 0
    assert storage.collection(store, storage.CLIENTS).get(client["id"]) is None
    with pytest.raises(NotFound):
        portal.view(store, made["link"]["token"], now=at(5))
    trail = audit.query(store, admin, {})["entries"]
    assert [(e["action"], e["client_id"]) for e in trail] == [("client_deleted", client["id"])]
    assert {k for k, v in trail[0].items() if v is not None} == {
        "id", "clinic_id", "at", "actor_kind", "user_id", "role", "action", "client_id"}
    # the other client is untouched
    assert {name: storage.collection(store, name).count({"client_id": other["id"]}) for name in before} == before
    assert len(events.client_events(store, "cln_a", other["id"])) == 6


def test_only_those_who_reach_the_client_can_export_or_delete(store, alice, bob, carol, admin):
    client, _ = busy_client(store, alice)
    for actor in (bob, carol):
        with pytest.raises(NotFound):
            records.export_client(store, actor, client["id"])
        with pytest.raises(NotFound):
            records.delete_client(store, actor, client["id"])
    with pytest.raises(Forbidden):
        audit.query(store, alice, {})
    assert audit.query(store, Actor("usr_x", "cln_b", "clinic_admin"), {})["entries"] == []
    records.delete_client(store, admin, client["id"], now=at(5))
    assert audit.query(store, admin, {})["entries"][0]["role"] == "clinic_admin"


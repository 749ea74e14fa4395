"""The audit log's rules (services/progress/application/audit.py): checked entries of ids only,
portal links resolved to their client, a render recorded once, queries for clinic admins."""
import pytest

from interlude.errors import Forbidden, InvalidInput
from services.progress.application import audit

from .conftest import at, new_assignment, new_client


def test_portal_entries_name_the_links_client_never_the_token(store, alice, admin):
    client = new_client(store, alice, "Sam")
    made = new_assignment(store, alice, client["id"], measure="phq9", due="2026-03-03")
    audit.record_access(store, [{"actor_kind": "portal_link", "portal_token": made["link"]["token"],
                                 "action": "portal.view", "client_id": "cli_forged", "ip": "::1"}], now=at(1))
    [entry] = audit.query(store, admin, {})["entries"]
    assert entry["client_id"] == client["id"] and entry["assignment_id"] == made["assignment"]["id"]
    assert made["link"]["token"] not in repr(entry) and entry["ip"] == "::1"


@pytest.mark.parametrize("bad", [{"actor_kind": "someone"}, {"action": "Read Robin's notes"},
                                 {"ip": "not an ip"}, {"client_id": "Robin Smith"}, {"counts": {"x": "many"}}])
def test_free_text_cannot_enter_an_entry(store, alice, bad):
    entry = {"actor_kind": "user", "actor": alice.to_dict(), "action": "client.read", **bad}
    with pytest.raises(InvalidInput):
        audit.record_access(store, [entry])


def test_a_render_is_recorded_once_and_queries_filter(store, alice, admin):
    rendered = {"job_id": "job_1", "workbook_id": "wbk_1", "clinic_id": alice.clinic_id, "client_id": "cli_1",
                "edition": 1, "requested_by": alice.user_id}
    audit.record_render(store, rendered, now=at(1))
    audit.record_render(store, rendered, now=at(2))   # the event delivered again
    audit.record_access(store, [{"actor_kind": "user", "actor": alice.to_dict(), "action": "clients.list"}], now=at(3))
    assert audit.query(store, admin, {})["total"] == 2
    assert [e["action"] for e in audit.query(store, admin, {"client_id": "cli_1"})["entries"]] == ["workbook.rendered"]
    day = at(3).date().isoformat()
    assert [e["action"] for e in audit.query(store, admin, {"from": day, "to": day})["entries"]] == ["clients.list"]
    with pytest.raises(Forbidden):
        audit.query(store, alice, {})

"""Clients, assignments and portal links: validation, tenant isolation, expiry (410), revocation
(403), and a token that never reaches another client's data."""
import pytest

from interlude.hashing import token_digest
from interlude.errors import Conflict, Forbidden, Gone, InvalidInput, NotFound
from services.progress.application import assignments, clients, events, portal, storage

from .conftest import T0, at, new_assignment, new_client


def test_a_client_keeps_only_what_the_practitioner_chose(store, alice):
    client = clients.create_client(store, alice, display_name="  <b>J.</b> ", email="J@Example.ORG", now=T0)
    assert client["display_name"] == "J." and client["email"] == "j@example.org"  # interlude.emails: one form everywhere and client["phone"] is None
    assert client["practitioner_id"] == "usr_alice" and client["clinic_id"] == "cln_a"
    updated = clients.update_client(store, alice, client["id"], {"phone": "+44 20 7946 0000", "email": None})
    assert updated["phone"] == "+44 20 7946 0000" and updated["email"] is None
    assert [e["type"] for e in events.client_events(store, "cln_a", client["id"])] == ["client_created"]


@pytest.mark.parametrize("change", [
    {"display_name": ""}, {"display_name": "x" * 61}, {"email": "not-an-email"}, {"email": "a@b"},
    {"phone": "call me"}, {"phone": "12"}, {"phone": "+1 234 567 890 123 456"}, {"date_of_birth": "1990-01-01"},
])
def test_client_details_are_validated(store, alice, change):
    client = new_client(store, alice)
    with pytest.raises(InvalidInput):
        clients.update_client(store, alice, client["id"], change)


def test_practitioners_reach_their_own_clients_and_admins_all(store, alice, bob, admin, carol):
    mine, theirs = new_client(store, alice, "Mine"), new_client(store, bob, "Theirs")
    assert [c["id"] for c in clients.list_clients(store, alice)] == [mine["id"]]
    assert {c["id"] for c in clients.list_clients(store, admin)} == {mine["id"], theirs["id"]}
    with pytest.raises(NotFound):
        clients.get_client(store, alice, theirs["id"])
    with pytest.raises(NotFound):
        clients.get_client(store, carol, mine["id"])
    with pytest.raises(Forbidden):
        clients.list_clients(store, alice, practitioner_id="usr_bob")
    assert clients.list_clients(store, carol) == []


def test_an_admin_can_give_a_client_to_a_practitioner_of_the_clinic(store, admin, alice):
    # Whether the user belongs to the clinic is identity's to say: the gateway checks it
    # (tests/integration/test_progress_api.py); progress reads no users.
    client = clients.create_client(store, admin, display_name="K", practitioner_id="usr_alice", now=T0)
    assert clients.get_client(store, alice, client["id"])["practitioner_id"] == "usr_alice"
    with pytest.raises(InvalidInput):
        clients.create_client(store, admin, display_name="K", practitioner_id="not an id!")
    with pytest.raises(Forbidden):
        clients.create_client(store, alice, display_name="K", practitioner_id="usr_bob")


def test_assign_a_tool_a_chapter_and_a_recurring_measure(store, alice):
    client = new_client(store, alice)
    tool = new_assignment(store, alice, client["id"])
    chapter = new_assignment(store, alice, client["id"], chapter={"workbook_id": "wb_1", "chapter": 2})
    measure = new_assignment(store, alice, client["id"], measure="phq9", recur=14)
    session = new_assignment(store, alice, client["id"], measure="gad7", recur="session")
    assert tool["assignment"]["kind"] == "tool" and tool["assignment"]["title"] == "thought-record"
    assert chapter["assignment"]["target"] == {"workbook_id": "wb_1", "chapter": 2}
    assert measure["assignment"]["recur"] == {"every_days": 14} and measure["assignment"]["title"] == "PHQ-9"
    assert session["assignment"]["recur"] == {"every": "session"}
    assert measure["link"]["expires_at"] == "2026-04-01T09:00:00.000000+00:00"   # 30 days
    history = events.client_events(store, "cln_a", client["id"], types=["assigned"])
    assert [e["data"]["assignment_id"] for e in history] == [
        tool["assignment"]["id"], chapter["assignment"]["id"], measure["assignment"]["id"], session["assignment"]["id"]]


@pytest.mark.parametrize("kwargs", [
    {}, {"tool_id": "a", "measure": "phq9"}, {"measure": "beck"}, {"tool_id": "../etc"},
    {"tool_id": "a", "recur": 7}, {"measure": "phq9", "recur": 0}, {"measure": "phq9", "recur": "weekly"},
    {"chapter": {"workbook_id": "wb_1"}}, {"chapter": {"workbook_id": "wb_1", "chapter": 0}},
    {"tool_id": "a", "due": "next week"}, {"tool_id": "a", "link_days": 0},
])
def test_assignments_are_validated(store, alice, kwargs):
    client = new_client(store, alice)
    kwargs = {"due": "2026-03-06", **kwargs}
    with pytest.raises(InvalidInput):
        assignments.assign(store, alice, client["id"], **kwargs)


def test_only_the_token_hash_is_stored(store, alice, tmp_path):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"])["link"]["token"]
    assert len(token) >= 43
    links = storage.collection(store, storage.TOKENS).find()
    assert [link["id"] for link in links] == [token_digest(token)]
    assert token.encode() not in (tmp_path / "docs.db").read_bytes() + (tmp_path / "docs.db-wal").read_bytes()


def test_a_token_resolves_to_its_own_assignment_and_client(store, alice):
    client = new_client(store, alice)
    made = new_assignment(store, alice, client["id"])
    assignment, owner = assignments.resolve_portal(store, made["link"]["token"], now=at(1))
    assert assignment["id"] == made["assignment"]["id"] and owner["id"] == client["id"]


def test_an_expired_link_is_gone(store, alice):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"], link_days=7)["link"]["token"]
    assignments.resolve_portal(store, token, now=at(6.9))
    with pytest.raises(Gone) as raised:
        portal.view(store, token, now=at(7))
    assert raised.value.status == 410


def test_a_revoked_link_is_forbidden_and_a_new_one_works(store, alice):
    client = new_client(store, alice)
    made = new_assignment(store, alice, client["id"])
    old = made["link"]["token"]
    new = assignments.issue_link(store, alice, made["assignment"]["id"], now=at(1))["token"]
    with pytest.raises(Forbidden) as raised:
        portal.open_assignment(store, old, now=at(1))
    assert raised.value.status == 403
    assert portal.open_assignment(store, new, now=at(1))["assignment"]["id"] == made["assignment"]["id"]
    assert assignments.revoke_links(store, alice, made["assignment"]["id"], now=at(2)) == 1
    with pytest.raises(Forbidden):
        portal.view(store, new, now=at(2))


def test_a_revoked_assignment_closes_every_link_for_good(store, alice):
    client = new_client(store, alice)
    made = new_assignment(store, alice, client["id"])
    assignments.revoke_assignment(store, alice, made["assignment"]["id"], reason="Not needed", now=at(1))
    with pytest.raises(Forbidden):
        portal.view(store, made["link"]["token"], now=at(1))
    with pytest.raises(Forbidden):
        assignments.issue_link(store, alice, made["assignment"]["id"], now=at(1))
    revoked = events.client_events(store, "cln_a", client["id"], types=["assignment_revoked"])
    assert len(revoked) == 1 and revoked[0]["data"]["assignment_id"] == made["assignment"]["id"]


@pytest.mark.parametrize("token", ["", "x" * 43, "a" * 500, None, 42])
def test_unknown_tokens_are_not_found(store, token):
    with pytest.raises(NotFound):
        assignments.resolve_portal(store, token)


def test_a_token_never_reaches_another_client_or_clinic(store, alice, carol):
    sam, kim = new_client(store, alice, "Sam"), new_client(store, alice, "Kim")
    other = new_client(store, carol, "Lee")
    sam_link = new_assignment(store, alice, sam["id"])["link"]["token"]
    kim_made = new_assignment(store, alice, kim["id"])
    other_made = new_assignment(store, carol, other["id"])
    portal.save_draft(store, kim_made["link"]["token"], {"thought": "Kim's words"}, now=at(1))
    portal.save_draft(store, other_made["link"]["token"], {"thought": "Lee's words"}, now=at(1))
    page = portal.open_assignment(store, sam_link, now=at(1))
    assert page["client"]["display_name"] == "Sam" and page["draft"] is None
    portal.save_draft(store, sam_link, {"thought": "Sam's words"}, now=at(1))
    portal.submit(store, sam_link, fields={"thought": "Sam's words"}, now=at(1))
    assert {e["client_id"] for e in storage.collection(store, storage.EVENTS).find()
            if e["actor"] == "client" and "Sam's words" in str(e["data"])} == {sam["id"]}
    assert portal.view(store, kim_made["link"]["token"], now=at(1))["draft"]["fields"] == {"thought": "Kim's words"}
    assert portal.view(store, other_made["link"]["token"], now=at(1))["client"]["display_name"] == "Lee"
    # practitioners of another clinic cannot reach the assignment either
    with pytest.raises(NotFound):
        assignments.get_assignment(store, carol, kim_made["assignment"]["id"])
    with pytest.raises(NotFound):
        assignments.revoke_links(store, carol, kim_made["assignment"]["id"])


def test_a_redelivered_create_or_assign_records_nothing_twice(store, alice, bob):
    first = clients.create_client(store, alice, display_name="K.", request_key="req-create-0001", now=T0)
    again = clients.create_client(store, alice, display_name="K.", request_key="req-create-0001", now=T0)
    assert again == first and len(clients.list_clients(store, alice)) == 1
    assert [e["type"] for e in events.client_events(store, "cln_a", first["id"])] == ["client_created"]

    made = assignments.assign(store, alice, first["id"], due="2030-01-01", measure="gad7", recur=7,
                              request_key="req-assign-0001", link_secret="s" * 32, now=T0)
    redelivered = assignments.assign(store, alice, first["id"], due="2030-01-01", measure="gad7", recur=7,
                                     request_key="req-assign-0001", link_secret="s" * 32, now=T0)
    assert redelivered == made
    assert assignments.resolve_portal(store, made["link"]["token"], now=T0)[0]["id"] == made["assignment"]["id"]
    assert [e["type"] for e in events.client_events(store, "cln_a", first["id"])] == ["client_created", "assigned"]
    # another request's key, or the same key for something else, makes its own record or is refused
    other = assignments.assign(store, alice, first["id"], due="2030-01-01", measure="gad7",
                               request_key="req-assign-0002", link_secret="s" * 32, now=T0)
    assert other["link"]["token"] != made["link"]["token"]
    with pytest.raises(Conflict):
        assignments.assign(store, alice, first["id"], due="2030-01-01", measure="phq9",
                           request_key="req-assign-0001", link_secret="s" * 32, now=T0)

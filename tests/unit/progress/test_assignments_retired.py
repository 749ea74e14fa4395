from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.actor import Actor
from services.progress.application import assignments, clients


def test_retiring_a_tool_marks_its_assignments_and_keeps_them(tmp_path):
    store = SqliteDocumentStore(tmp_path / "d.db")
    actor = Actor("usr_1", "cln_1", "clinic_admin")
    client = clients.create_client(store, actor, display_name="M.", practitioner_id="usr_1")
    kept = assignments.assign(store, actor, client["id"], due="2030-01-01", tool_id="ct_aaaa", title="Our log")
    other = assignments.assign(store, actor, client["id"], due="2030-01-01", tool_id="ct_bbbb", title="Other")
    assert assignments.mark_tool_retired(store, "ct_aaaa") == 1
    assert assignments.mark_tool_retired(store, "ct_aaaa") == 0  # once
    marked = assignments.get_assignment(store, actor, kept["assignment"]["id"])
    assert marked["tool_retired_at"] and marked["title"] == "Our log"
    assert assignments.get_assignment(store, actor, other["assignment"]["id"])["tool_retired_at"] is None
